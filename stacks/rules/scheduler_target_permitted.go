package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

var schedulerTargetPermitted = templates.Rule{
	ID:      "scheduler_target_permitted",
	Summary: "a Scheduler schedule's role may invoke its Lambda target",
	Why:     "without it every run fails",
	Check:   checkSchedulerLambdaTargets,
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
