package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
)

// LogRetentionDays is how long every log group keeps its events: long enough
// to investigate a monthly incident, short enough not to keep logs forever.
const LogRetentionDays = 30

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
