package blocks

import (
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/templatestest"
)

func TestAlarmWithoutActionsIsRefused(t *testing.T) {
	err := templatestest.RenderError(func(t *templates.Template) {
		t.Resource("Silent", &cloudwatch.Alarm{
			Namespace: cloudformation.String("AWS/Lambda"), MetricName: cloudformation.String("Errors"),
			Statistic: cloudformation.String("Sum"), Period: cloudformation.Int(60), EvaluationPeriods: 1,
			Threshold: cloudformation.Float64(1), ComparisonOperator: "GreaterThanOrEqualToThreshold",
		}, "")
	})
	templatestest.WantFinding(t, err, "test: Silent: Properties.AlarmActions: alarm Silent has no AlarmActions, so nobody hears when it fires: add the SNS topic")
}

func TestAlarmHelperNotifiesTopic(t *testing.T) {
	err := templatestest.RenderError(func(t *templates.Template) {
		t.Parameter("Email", EmailParameter("Who hears."))
		AlertTopic(t, "Alerts", "test", "Email")
		t.Resource("Fn", DeadLetterQueue(), "")
		QueueNotEmptyAlarm(t, "FnAlarm", "Fn", "Alerts")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEmailPattern(t *testing.T) {
	re := mustCompile(t, EmailPattern)
	for _, ok := range []string{"ops@example.org", "a.b+c@mesh.example.net"} {
		if !re.MatchString(ok) {
			t.Errorf("EmailPattern rejects %q", ok)
		}
	}
	for _, bad := range []string{"", "ops", "ops@example", "Ops <ops@example.org>", "a@b@c.d"} {
		if re.MatchString(bad) {
			t.Errorf("EmailPattern accepts %q", bad)
		}
	}
}
