package blocks

import (
	"fmt"
	"slices"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// LogRetentionDays is how long every log group keeps its events: long enough
// to investigate a monthly incident, short enough not to keep logs forever.
const LogRetentionDays = rules.LogRetentionDays

// LogGroup returns a log group with the standard retention, deleted with
// the stack: its events expire after LogRetentionDays anyway, and a retained
// group's name would block creating the stack again. name may hold
// intrinsics, e.g. cloudformation.Sub("/aws/lambda/${Function}").
func LogGroup(name string) *logs.LogGroup {
	deletion, replace := Transient.Policies()
	return &logs.LogGroup{
		LogGroupName:                         cloudformation.String(name),
		RetentionInDays:                      cloudformation.Int(LogRetentionDays),
		AWSCloudFormationDeletionPolicy:      deletion,
		AWSCloudFormationUpdateReplacePolicy: replace,
	}
}

// RetentionPeriods are the retention periods CloudWatch Logs accepts, in days.
var RetentionPeriods = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// checkRetention fails the template when days is not a period CloudWatch
// Logs accepts.
func checkRetention(t *templates.Template, logGroup string, days int) {
	if !slices.Contains(RetentionPeriods, days) {
		t.Fail(logGroup, "Properties.RetentionInDays", fmt.Sprintf("CloudWatch Logs keeps events 1, 3, 5, 7, 14, 30, 60, 90, ... or 3653 days, not %d: pick one of blocks.RetentionPeriods", days))
	}
}

// retentionOrDefault is days, or LogRetentionDays when days is 0.
func retentionOrDefault(days int) int {
	if days == 0 {
		return LogRetentionDays
	}
	return days
}
