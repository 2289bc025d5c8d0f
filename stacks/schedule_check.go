package stacks

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

func init() {
	templates.AddCheck(checkScheduleExpressions)
	templates.AddCheck(checkLambdaTargetsPermitted)
	templates.AddCheck(checkSchedulerLambdaTargets)
}

// checkScheduleExpressions refuses schedule expressions EventBridge would
// reject: literals, defaults of the parameters they Ref, and !Sub texts with
// each parameter's Default, MinValue and MaxValue substituted (this catches
// "rate(${Minutes} minutes)" with MinValue 1, which EventBridge rejects).
func checkScheduleExpressions(stack string, tree *templates.Map) []templates.Finding {
	params := templates.Section(tree, "Parameters")
	var out []templates.Finding
	forEachResource(tree, "AWS::Events::Rule", func(id string, props *templates.Map) {
		expr, ok := props.Get("ScheduleExpression")
		if !ok {
			return
		}
		for _, msg := range scheduleProblems(expr, params) {
			out = append(out, templates.Finding{Stack: stack, LogicalID: id, Path: "Properties.ScheduleExpression", Message: msg})
		}
	})
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
	m, _ := p.(*templates.Map)
	if _, ok := get(m, "AllowedPattern"); !ok {
		return []string{fmt.Sprintf("parameter %s feeds a schedule but has no AllowedPattern: declare it with stacks.ScheduleParameter", name)}
	}
	if def, ok := get(m, "Default"); ok {
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
			p, _ := params.Get(v)
			value, ok := get(asMap(p), key)
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
	functions := map[string]bool{}
	forEachResource(tree, "AWS::Lambda::Function", func(id string, _ *templates.Map) { functions[id] = true })
	permitted := map[[2]string]bool{} // {function, rule}; rule "" = any rule
	forEachResource(tree, "AWS::Lambda::Permission", func(_ string, props *templates.Map) {
		principal, _ := get(props, "Principal")
		if principal != "events.amazonaws.com" {
			return
		}
		fnName, _ := get(props, "FunctionName")
		source, _ := get(props, "SourceArn")
		permitted[[2]string{referencedResource(fnName), referencedResource(source)}] = true
	})
	var out []templates.Finding
	forEachResource(tree, "AWS::Events::Rule", func(rule string, props *templates.Map) {
		targets, _ := get(props, "Targets")
		list, _ := targets.([]any)
		for i, target := range list {
			arn, _ := get(asMap(target), "Arn")
			fn := referencedResource(arn)
			if !functions[fn] || permitted[[2]string{fn, rule}] || permitted[[2]string{fn, ""}] {
				continue
			}
			out = append(out, templates.Finding{Stack: stack, LogicalID: rule, Path: fmt.Sprintf("Properties.Targets[%d].Arn", i),
				Message: fmt.Sprintf("rule targets Lambda function %s, but no AWS::Lambda::Permission lets events.amazonaws.com invoke it: "+
					"add one with FunctionName !Ref %s and SourceArn !GetAtt %s.Arn (stacks.ScheduleFunction does this)", fn, fn, rule)})
		}
	})
	return out
}

// checkSchedulerLambdaTargets is the EventBridge Scheduler counterpart:
// Scheduler invokes through the schedule's role, not a resource policy, so
// the role of a schedule targeting a Lambda function of this template must
// allow lambda:InvokeFunction on it.
func checkSchedulerLambdaTargets(stack string, tree *templates.Map) []templates.Finding {
	functions := map[string]bool{}
	forEachResource(tree, "AWS::Lambda::Function", func(id string, _ *templates.Map) { functions[id] = true })
	roles := templates.Section(tree, "Resources")
	var out []templates.Finding
	forEachResource(tree, "AWS::Scheduler::Schedule", func(id string, props *templates.Map) {
		target := asMap(mustGet(props, "Target"))
		fn := referencedResource(mustGet(target, "Arn"))
		if !functions[fn] {
			return
		}
		role := referencedResource(mustGet(target, "RoleArn"))
		if role != "" && resourceType(mustGet(roles, role)) == "AWS::IAM::Role" && roleMayInvoke(properties(mustGet(roles, role)), fn) {
			return
		}
		out = append(out, templates.Finding{Stack: stack, LogicalID: id, Path: "Properties.Target.RoleArn",
			Message: fmt.Sprintf("schedule targets Lambda function %s, but its role is not a role of this template allowed lambda:InvokeFunction on !GetAtt %s.Arn: "+
				"EventBridge Scheduler invokes through Target.RoleArn, not an AWS::Lambda::Permission", fn, fn)})
	})
	return out
}

// roleMayInvoke reports whether an inline policy of the role allows
// lambda:InvokeFunction on the function.
func roleMayInvoke(role *templates.Map, fn string) bool {
	policies, _ := mustGet(role, "Policies").([]any)
	for _, p := range policies {
		statements, _ := mustGet(asMap(mustGet(asMap(p), "PolicyDocument")), "Statement").([]any)
		for _, st := range statements {
			m := asMap(st)
			if mustGet(m, "Effect") == "Allow" && listHas(mustGet(m, "Action"), func(a any) bool { return a == "lambda:InvokeFunction" }) &&
				listHas(mustGet(m, "Resource"), func(r any) bool { return referencedResource(r) == fn }) {
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

// referencedResource returns X for !Ref X and !GetAtt X.Attr, else "".
func referencedResource(v any) string {
	fn, ok := v.(templates.Fn)
	if !ok {
		return ""
	}
	switch arg := fn.Arg.(type) {
	case string:
		if fn.Name == templates.FnRef {
			return arg
		}
	case []any:
		if fn.Name == templates.FnGetAtt && len(arg) == 2 {
			name, _ := arg[0].(string)
			return name
		}
	}
	return ""
}

// forEachResource calls visit with the logical id and properties of every
// resource of the given type, in declaration order.
func forEachResource(tree *templates.Map, typ string, visit func(id string, props *templates.Map)) {
	resources := templates.Section(tree, "Resources")
	for _, id := range resources.Keys() {
		res, _ := resources.Get(id)
		if resourceType(res) == typ {
			visit(id, properties(res))
		}
	}
}

func resourceType(res any) string {
	t, _ := get(asMap(res), "Type")
	s, _ := t.(string)
	return s
}

func properties(res any) *templates.Map {
	p, _ := get(asMap(res), "Properties")
	return asMap(p)
}

func asMap(v any) *templates.Map {
	if m, ok := v.(*templates.Map); ok {
		return m
	}
	return templates.NewMap()
}

func get(m *templates.Map, key string) (any, bool) {
	if m == nil {
		return nil, false
	}
	return m.Get(key)
}
