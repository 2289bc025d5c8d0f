package rules

import "github.com/formwork-dev/formwork/templates"

var logGroupRetention = templates.Rule{
	ID:      "log_group_retention",
	Summary: "log groups expire their events",
	Why:     "without RetentionInDays logs are kept, and billed, forever, with whatever secrets a program printed",
	Check:   reported(checkLogGroupRetention),
}

func checkLogGroupRetention(r ruleReport, tree *templates.Map) {
	for _, g := range templates.ResourcesOfType(tree, "AWS::Logs::LogGroup") {
		if _, ok := g.Properties.Get("RetentionInDays"); !ok {
			r.add(g.ID, "Properties.RetentionInDays", "the log group keeps its events forever: set RetentionInDays (blocks.LogGroup keeps %d days)", LogRetentionDays)
		}
	}
}
