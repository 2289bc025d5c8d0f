package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// scheduleRules are the wiring rules of schedule.
var scheduleRules = templates.Rules{
	{ID: "schedule_expression_valid", Summary: "schedule expressions are ones EventBridge accepts",
		Why: "EventBridge rejects the rule at deploy time", Check: checkScheduleExpressions},
	{ID: "schedule_target_permitted", Summary: "a rule's Lambda target has a permission for that rule",
		Why: "without it EventBridge cannot invoke the function and every run fails silently", Check: checkLambdaTargetsPermitted},
	{ID: "scheduler_target_permitted", Summary: "a Scheduler schedule's role may invoke its Lambda target",
		Why: "without it every run fails", Check: checkSchedulerLambdaTargets},
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

// checkLambdaTargetsPermitted refuses an Events rule whose target is a Lambda
// function of this template that no AWS::Lambda::Permission lets the rule
// invoke: CloudFormation would deploy it and every run would fail silently.
func checkLambdaTargetsPermitted(stack string, tree *templates.Map) []templates.Finding {
	functions := lambdaFunctions(tree)
	permitted := eventsPermissions(tree)
	var out []templates.Finding
	for _, rule := range templates.ResourcesOfType(tree, "AWS::Events::Rule") {
		for i, target := range templates.ListAt(rule.Properties, "Targets") {
			fn := templates.RefTarget(templates.ValueAt(target, "Arn"))
			if !functions[fn] || permitted[[2]string{fn, rule.ID}] || permitted[[2]string{fn, ""}] {
				continue
			}
			out = append(out, templates.Finding{Stack: stack, LogicalID: rule.ID, Path: fmt.Sprintf("Properties.Targets[%d].Arn", i),
				Message: fmt.Sprintf("rule targets Lambda function %s, but no AWS::Lambda::Permission lets events.amazonaws.com invoke it: "+
					"add one with FunctionName !Ref %s and SourceArn !GetAtt %s.Arn (stacks.ScheduleFunction does this)", fn, fn, rule.ID)})
		}
	}
	return out
}

// eventsPermissions is the set of {function, rule} pairs that an
// AWS::Lambda::Permission lets EventBridge invoke; rule "" means any rule.
func eventsPermissions(tree *templates.Map) map[[2]string]bool {
	permitted := map[[2]string]bool{}
	for _, p := range templates.ResourcesOfType(tree, "AWS::Lambda::Permission") {
		if templates.StringAt(p.Properties, "Principal") != "events.amazonaws.com" {
			continue
		}
		fn, source := templates.ValueAt(p.Properties, "FunctionName"), templates.ValueAt(p.Properties, "SourceArn")
		permitted[[2]string{templates.RefTarget(fn), templates.RefTarget(source)}] = true
	}
	return permitted
}

// lambdaFunctions is the set of the template's Lambda functions.
func lambdaFunctions(tree *templates.Map) map[string]bool {
	functions := map[string]bool{}
	for _, fn := range templates.ResourcesOfType(tree, "AWS::Lambda::Function") {
		functions[fn.ID] = true
	}
	return functions
}

// checkSchedulerLambdaTargets is the EventBridge Scheduler counterpart:
// Scheduler invokes through the schedule's role, not a resource policy, so
// the role of a schedule targeting a Lambda function of this template must
// allow lambda:InvokeFunction on it.
func checkSchedulerLambdaTargets(stack string, tree *templates.Map) []templates.Finding {
	functions := lambdaFunctions(tree)
	var out []templates.Finding
	for _, schedule := range templates.ResourcesOfType(tree, "AWS::Scheduler::Schedule") {
		target := templates.ValueAt(schedule.Properties, "Target")
		fn := templates.RefTarget(templates.ValueAt(target, "Arn"))
		if !functions[fn] {
			continue
		}
		roleID := templates.RefTarget(templates.ValueAt(target, "RoleArn"))
		role := templates.ValueAt(tree, "Resources", roleID)
		if roleID != "" && templates.StringAt(role, "Type") == "AWS::IAM::Role" && roleMayInvoke(templates.ValueAt(role, "Properties"), fn) {
			continue
		}
		out = append(out, templates.Finding{Stack: stack, LogicalID: schedule.ID, Path: "Properties.Target.RoleArn",
			Message: fmt.Sprintf("schedule targets Lambda function %s, but its role is not a role of this template allowed lambda:InvokeFunction on !GetAtt %s.Arn: "+
				"EventBridge Scheduler invokes through Target.RoleArn, not an AWS::Lambda::Permission", fn, fn)})
	}
	return out
}

// roleMayInvoke reports whether an inline policy in a role's properties
// allows lambda:InvokeFunction on the function.
func roleMayInvoke(props any, fn string) bool {
	for _, p := range templates.ListAt(props, "Policies") {
		for _, st := range templates.ListAt(p, "PolicyDocument", "Statement") {
			if templates.StringAt(st, "Effect") == "Allow" &&
				listHas(templates.ValueAt(st, "Action"), func(a any) bool { return a == "lambda:InvokeFunction" }) &&
				listHas(templates.ValueAt(st, "Resource"), func(r any) bool { return templates.RefTarget(r) == fn }) {
				return true
			}
		}
	}
	return false
}

func listHas(v any, match func(any) bool) bool {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	for _, item := range list {
		if match(item) {
			return true
		}
	}
	return false
}
