package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var scheduleExpressionValid = templates.Rule{
	ID:      "schedule_expression_valid",
	Summary: "schedule expressions are ones EventBridge accepts",
	Why:     "EventBridge rejects the rule at deploy time",
	Check:   checkScheduleExpressions,
}

// checkScheduleExpressions refuses schedule expressions EventBridge would
// reject: literals, defaults of the parameters they Ref, and !Sub texts with
// each parameter's Default, MinValue and MaxValue substituted (this catches
// "rate(${Minutes} minutes)" with MinValue 1, which EventBridge rejects).
func checkScheduleExpressions(stack string, tree *templates.Map) []templates.Finding {
	params := templates.Section(tree, "Parameters")
	var out []templates.Finding
	for _, rule := range templates.ResourcesOfType(tree, "AWS::Events::Rule") {
		expr, ok := rule.Properties.Get("ScheduleExpression")
		if !ok {
			continue
		}
		for _, msg := range scheduleProblems(expr, params) {
			out = append(out, templates.Finding{Stack: stack, LogicalID: rule.ID, Path: "Properties.ScheduleExpression", Message: msg})
		}
	}
	return out
}

func scheduleProblems(expr any, params *templates.Map) []string {
	var texts []string
	switch e := expr.(type) {
	case string:
		texts = []string{e}
	case templates.Fn:
		switch arg := e.Arg.(type) {
		case string:
			if e.Name == templates.FnRef {
				return refScheduleProblems(arg, params)
			}
			if e.Name == templates.FnSub {
				texts = subInstances(arg, params)
			}
		}
	}
	var out []string
	for _, text := range texts {
		if err := ValidateSchedule(text); err != nil {
			out = append(out, err.Error())
		}
	}
	return out
}

func refScheduleProblems(name string, params *templates.Map) []string {
	p, ok := params.Get(name)
	if !ok {
		return nil // a resource or a dangling Ref: other checks speak to that
	}
	if _, ok := templates.Lookup(p, "AllowedPattern"); !ok {
		return []string{fmt.Sprintf("parameter %s feeds a schedule but has no AllowedPattern: declare it with stacks.ScheduleParameter", name)}
	}
	if def, ok := templates.Lookup(p, "Default"); ok {
		if err := ValidateSchedule(fmt.Sprint(def)); err != nil {
			return []string{fmt.Sprintf("default of parameter %s: %v", name, err)}
		}
	}
	return nil
}

// subInstances returns text with every parameter variable replaced by its
// Default, MinValue and MaxValue in turn.
func subInstances(text string, params *templates.Map) []string {
	vars, _ := templates.SubVariables(text)
	out := []string{}
	for _, key := range []string{"Default", "MinValue", "MaxValue"} {
		instance, complete := text, true
		for _, v := range vars {
			value, ok := templates.Lookup(params, v, key)
			if !ok {
				complete = false
				break
			}
			instance = strings.ReplaceAll(instance, "${"+v+"}", fmt.Sprint(value))
		}
		if complete {
			out = append(out, instance)
		}
	}
	return out
}
