package commands

import "testing"

func TestPlanRefusesARoleARNThatIsNone(t *testing.T) {
	formwork(t, "plan", "access-point-monitor", "--stack-name", "apm", "--role-arn", "deployer").
		wantUsage(t, `--role-arn "deployer" is not an IAM role ARN`, "arn:aws:iam::ACCOUNT:role/NAME")
	t.Setenv("FORMWORK_ROLE_ARN", "arn:aws:iam::12345:role/x")
	formwork(t, "plan", "access-point-monitor", "--stack-name", "apm").wantUsage(t, "is not an IAM role ARN")
}
