package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

var scheduleTargetPermitted = templates.Rule{
	ID:      "schedule_target_permitted",
	Summary: "a rule's Lambda target has a permission for that rule",
	Why:     "without it EventBridge cannot invoke the function and every run fails silently",
	Check:   checkLambdaTargetsPermitted,
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
