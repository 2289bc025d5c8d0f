package blocks

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestAlarmWithoutActionsIsRefused(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		t.Resource("Silent", &cloudwatch.Alarm{
			Namespace: cloudformation.String("AWS/Lambda"), MetricName: cloudformation.String("Errors"),
			Statistic: cloudformation.String("Sum"), Period: cloudformation.Int(60), EvaluationPeriods: 1,
			Threshold: cloudformation.Float64(1), ComparisonOperator: "GreaterThanOrEqualToThreshold",
		}, "")
	})
	templatestest.WantFinding(t, err, "test: Silent: Properties.AlarmActions: alarm Silent has no AlarmActions, so nobody hears when it fires: add the SNS topic")
}

func TestAlarmHelperNotifiesTopic(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		t.Parameter("Email", EmailParameter("Who hears."))
		AlertTopic(t, "Alerts", "test", "Email")
		t.Resource("Fn", DeadLetterQueue(), "")
		QueueNotEmptyAlarm(t, "FnAlarm", "Fn", "Alerts", "Orders wait in the dead-letter queue.")
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

// The wording of an alarm is the caller's: a queue consumer's alarms do not
// speak of schedules.
func TestAlarmWordingIsTheCallers(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		t.Parameter("Email", EmailParameter("Who hears."))
		AlertTopic(t, "Alerts", "test", "Email")
		t.Resource("Parked", DeadLetterQueue(), "")
		QueueNotEmptyAlarm(t, "ParkedAlarm", "Parked", "Alerts", "An order could not be fulfilled; it waits in Parked.")
		DeclareFunction(t, Function{ID: "Fn", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n")})
		FunctionErrorsAlarm(t, "FnErrors", "Fn", "Alerts", "Order intake failed. Its log group says why.")
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"AlarmDescription: An order could not be fulfilled; it waits in Parked.\n",
		"AlarmDescription: Order intake failed. Its log group says why.\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "schedule") {
		t.Errorf("schedule wording leaked:\n%s", out)
	}
}
