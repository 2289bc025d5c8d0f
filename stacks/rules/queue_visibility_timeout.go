package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

var queueVisibilityTimeout = templates.Rule{
	ID:      "queue_visibility_timeout",
	Summary: "a queue's visibility timeout is at least six times its consumer's timeout",
	Why:     "a shorter one delivers a batch again while the first run still works on it",
	Check:   checkQueueVisibility,
}

// checkQueueVisibility: a queue a Lambda function of the template consumes
// must hide a received message for at least six times the function's
// timeout, or a message still being handled (or waiting out a throttled
// retry) is delivered again.
func checkQueueVisibility(stack string, tree *templates.Map) []templates.Finding {
	resources := templates.Section(tree, "Resources")
	params := templates.Section(tree, "Parameters")
	var out []templates.Finding
	for _, m := range templates.ResourcesOfType(tree, "AWS::Lambda::EventSourceMapping") {
		queue, fn := templates.RefTarget(templates.ValueAt(m.Properties, "EventSourceArn")), templates.RefTarget(templates.ValueAt(m.Properties, "FunctionName"))
		if templates.StringAt(resources, queue, "Type") != "AWS::SQS::Queue" || templates.StringAt(resources, fn, "Type") != "AWS::Lambda::Function" {
			continue
		}
		visibility, ok := boundedNumber(templates.ValueAt(resources, queue, "Properties"), "VisibilityTimeout", sqsDefaultVisibilitySeconds, "MinValue", params)
		if !ok {
			continue
		}
		timeout, ok := boundedNumber(templates.ValueAt(resources, fn, "Properties"), "Timeout", DefaultFunctionTimeout, "MaxValue", params)
		if !ok || visibility >= VisibilityTimeoutFactor*timeout {
			continue
		}
		out = append(out, templates.Finding{Stack: stack, LogicalID: queue, Path: "Properties.VisibilityTimeout",
			Message: fmt.Sprintf("visibility timeout %s s is less than %d times the %s s timeout of its consumer %s, so a message still being handled is delivered again: set it to at least %s",
				formatNumber(visibility), VisibilityTimeoutFactor, formatNumber(timeout), fn, formatNumber(VisibilityTimeoutFactor*timeout))})
	}
	return out
}
