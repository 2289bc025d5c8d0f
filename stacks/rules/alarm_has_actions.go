package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

var alarmHasActions = templates.Rule{
	ID:      "alarm_has_actions",
	Summary: "an alarm notifies someone (AlarmActions)",
	Why:     "an alarm with no action changes state where nobody sees it",
	Check:   checkAlarmActions,
}

// checkAlarmActions refuses alarms that would fire without telling anyone.
func checkAlarmActions(stack string, tree *templates.Map) []templates.Finding {
	var out []templates.Finding
	for _, alarm := range templates.ResourcesOfType(tree, "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm") {
		if len(templates.ListAt(alarm.Properties, "AlarmActions")) == 0 {
			out = append(out, templates.Finding{Stack: stack, LogicalID: alarm.ID, Path: "Properties.AlarmActions",
				Message: fmt.Sprintf("alarm %s has no AlarmActions, so nobody hears when it fires: add the SNS topic (stacks.Alarm does)", alarm.ID)})
		}
	}
	return out
}
