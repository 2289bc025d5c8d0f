package plan

import (
	"fmt"
	"strings"
)

// StateWarning says, when a deployed stack is in a state that makes a plan
// of it misleading (a failed or rolled-back operation, one still running,
// drift found by the last drift detection), what that state is and what to
// do; "" for a stack in a settled state. A plan shows it before anything
// else: disagreements that come from the stack's state are not the
// template's.
func StateWarning(stack, status, reason, drift string) string {
	why := ""
	if reason != "" {
		why = " (" + strings.Join(strings.Fields(reason), " ") + ")"
	}
	switch {
	case status == "ROLLBACK_COMPLETE":
		return fmt.Sprintf("stack %s is ROLLBACK_COMPLETE%s: its creation failed and it holds nothing; it cannot be updated: delete it (aws cloudformation delete-stack) and plan again", stack, why)
	case strings.HasSuffix(status, "_FAILED"):
		return fmt.Sprintf("stack %s is %s%s: an operation on it failed and CloudFormation could not undo it; the plan compares with a stack in an unknown state: fix the stack first (aws cloudformation continue-update-rollback, or delete it)", stack, status, why)
	case strings.HasSuffix(status, "ROLLBACK_COMPLETE"):
		return fmt.Sprintf("stack %s is %s%s: its last update failed and was rolled back, so what is deployed is the state before that update; changes and disagreements below may come from that failure, not from this template", stack, status, why)
	case strings.HasSuffix(status, "_IN_PROGRESS") && status != "REVIEW_IN_PROGRESS":
		return fmt.Sprintf("stack %s is %s: another operation on it is running; plan again when it has ended", stack, status)
	case drift == "DRIFTED":
		return fmt.Sprintf("stack %s has drifted: its last drift detection found resources changed outside CloudFormation, which a plan does not show (aws cloudformation describe-stack-resource-drifts lists them)", stack)
	}
	return ""
}
