package rules

import (
	"fmt"
	"strconv"

	"github.com/formwork-dev/formwork/templates"
)

// Wiring checks for SQS queues, run on every rendered template:
//   - a queue a Lambda function of the template consumes must hide a
//     received message for at least six times the function's timeout, or a
//     message still being handled (or waiting out a throttled retry) is
//     delivered again;
//   - a dead-letter queue must keep messages longer than the queues that
//     send it theirs: SQS keeps a message's first enqueue time when it moves
//     it, so a message that took long to fail expires soon after it lands.
//
// Values are literals, or parameters bounded by MinValue/MaxValue taken at
// their worst; what cannot be bounded is not checked.

// queueRules are the wiring rules of queue.
var queueRules = templates.Rules{
	{ID: "queue_visibility_timeout", Summary: "a queue's visibility timeout is at least six times its consumer's timeout",
		Why: "a shorter one delivers a batch again while the first run still works on it", Check: checkQueueVisibility},
	{ID: "dead_letter_retention", Summary: "a dead-letter queue keeps messages longer than its source queue",
		Why: "SQS counts from the first enqueue, so failed messages would expire soon after they land", Check: checkDeadLetterRetention},
}

// SQS and Lambda defaults, for properties a template leaves out.
const (
	sqsDefaultVisibilitySeconds = 30
	sqsDefaultRetentionSeconds  = 4 * 24 * 3600
)

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

func checkDeadLetterRetention(stack string, tree *templates.Map) []templates.Finding {
	resources := templates.Section(tree, "Resources")
	params := templates.Section(tree, "Parameters")
	var out []templates.Finding
	for _, q := range templates.ResourcesOfType(tree, "AWS::SQS::Queue") {
		dlq := templates.RefTarget(templates.ValueAt(q.Properties, "RedrivePolicy", "deadLetterTargetArn"))
		if templates.StringAt(resources, dlq, "Type") != "AWS::SQS::Queue" {
			continue
		}
		kept, ok := boundedNumber(templates.ValueAt(resources, dlq, "Properties"), "MessageRetentionPeriod", sqsDefaultRetentionSeconds, "MinValue", params)
		if !ok {
			continue
		}
		source, ok := boundedNumber(q.Properties, "MessageRetentionPeriod", sqsDefaultRetentionSeconds, "MaxValue", params)
		if !ok || kept > source {
			continue
		}
		out = append(out, templates.Finding{Stack: stack, LogicalID: dlq, Path: "Properties.MessageRetentionPeriod",
			Message: fmt.Sprintf("dead-letter queue keeps messages %s s, no longer than %s (%s s), and SQS counts from a message's first enqueue, so failed messages expire soon after they land: keep them longer, e.g. 1209600 (14 days)",
				formatNumber(kept), q.ID, formatNumber(source))})
	}
	return out
}

// boundedNumber is the number at key in props: def when absent, the literal,
// or the bound (MinValue or MaxValue) of the parameter it Refs. ok is false
// when it cannot be bounded.
func boundedNumber(props any, key string, def float64, bound string, params *templates.Map) (float64, bool) {
	v, ok := templates.Lookup(props, key)
	if !ok {
		return def, true
	}
	if fn, isFn := v.(templates.Fn); isFn {
		name, _ := fn.Arg.(string)
		if fn.Name != templates.FnRef {
			return 0, false
		}
		if v, ok = templates.Lookup(params, name, bound); !ok {
			return 0, false
		}
	}
	n, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return n, err == nil
}

func formatNumber(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }
