package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

var deadLetterRetention = templates.Rule{
	ID:      "dead_letter_retention",
	Summary: "a dead-letter queue keeps messages longer than its source queue",
	Why:     "SQS counts from the first enqueue, so failed messages would expire soon after they land",
	Check:   checkDeadLetterRetention,
}

// checkDeadLetterRetention: a dead-letter queue must keep messages longer
// than the queues that send it theirs: SQS keeps a message's first enqueue
// time when it moves it, so a message that took long to fail expires soon
// after it lands.
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
