package blocks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/events"
	"github.com/awslabs/goformation/v7/cloudformation/scheduler"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestValidateSchedule(t *testing.T) {
	valid := []string{
		"rate(1 minute)", "rate(2 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(30 days)",
		"cron(0 3 * * ? *)", "cron(0/15 8-18 ? * MON-FRI *)", "cron(0 12 L * ? *)", "cron(0 9 ? * 2#1 *)",
	}
	for _, expr := range valid {
		if err := ValidateSchedule(expr); err != nil {
			t.Errorf("ValidateSchedule(%q) = %v, want nil", expr, err)
		}
	}
	invalid := map[string]string{
		"rate(1 minutes)":         "not a schedule expression",
		"rate(5 minute)":          "not a schedule expression",
		"rate(0 minutes)":         "not a schedule expression",
		"rate(05 minutes)":        "not a schedule expression",
		"rate(5 seconds)":         "not a schedule expression",
		"every day":               "not a schedule expression",
		"":                        "not a schedule expression",
		"rate(5 minutes) ":        "not a schedule expression",
		"cron(0 3 * *)":           "not a schedule expression",
		"cron(0 3 * * * *)":       "exactly one of day-of-month and day-of-week",
		"cron(0 3 ? * ? *)":       "exactly one of day-of-month and day-of-week",
		"0 3 * * ? *":             "not a schedule expression",
		"at(2026-01-01T00:00:00)": "not a schedule expression",
	}
	for expr, want := range invalid {
		err := ValidateSchedule(expr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateSchedule(%q) = %v, want an error containing %q", expr, err, want)
		}
	}
}

func scheduledTestFunction(t *templates.Template) {
	AlertTopic(t, "Alerts", "test", "Email")
	t.Parameter("Email", EmailParameter("Who hears about failures."))
	DeclareFunction(t, Function{ID: "Job", Description: "test job", Runtime: "provided.al2023", Handler: "bootstrap",
		Code: FromS3("bucket", "key", "")})
}

// An invalid schedule expression in a Go option fails when the template is
// rendered, naming the rule and the property.
func TestInvalidScheduleInGoOptionsFailsAtRender(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		scheduledTestFunction(t)
		ScheduleFunction(t, Schedule{ID: "Nightly", Expression: "rate(1 days)", AlertTopic: "Alerts"}, "Job")
	})
	templatestest.WantFinding(t, err, "test: Nightly: Properties.ScheduleExpression: ", `schedule "rate(1 days)" is not a schedule expression: write rate(1 minute|hour|day)`)
}

func TestInvalidScheduleParameterDefaultFailsAtRender(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		scheduledTestFunction(t)
		t.Parameter("Schedule", ScheduleParameter("When to run", "cron(0 3 * * * *)"))
		ScheduleFunction(t, Schedule{ID: "Nightly", Expression: cloudformation.Ref("Schedule"), AlertTopic: "Alerts"}, "Job")
	})
	templatestest.WantFinding(t, err, "test: Nightly: Properties.ScheduleExpression: default of parameter Schedule: ", "exactly one of day-of-month and day-of-week must be ?")
}

func TestScheduleParameterWithoutPatternIsRefused(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		scheduledTestFunction(t)
		t.Parameter("Schedule", cloudformation.Parameter{Type: "String", Default: "rate(1 day)"})
		ScheduleFunction(t, Schedule{ID: "Nightly", Expression: cloudformation.Ref("Schedule"), AlertTopic: "Alerts"}, "Job")
	})
	templatestest.WantFinding(t, err, "test: Nightly: Properties.ScheduleExpression: parameter Schedule feeds a schedule but has no AllowedPattern")
}

// rate(${Minutes} minutes) with MinValue 1 deploys as "rate(1 minutes)",
// which EventBridge rejects: the bound is checked, not only the default.
func TestSubScheduleCheckedAtParameterBounds(t *testing.T) {
	build := func(min float64) func(t *templates.Template) {
		return func(t *templates.Template) {
			scheduledTestFunction(t)
			t.Parameter("Minutes", cloudformation.Parameter{Type: "Number", Default: 5,
				MinValue: cloudformation.Float64(min), MaxValue: cloudformation.Float64(60)})
			ScheduleFunction(t, Schedule{ID: "Every", Expression: cloudformation.Sub("rate(${Minutes} minutes)"), AlertTopic: "Alerts"}, "Job")
		}
	}
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), build(1)), "test: Every: Properties.ScheduleExpression: ", `schedule "rate(1 minutes)"`)
	if err := templatestest.RenderError(rules.All(), build(2)); err != nil {
		t.Fatalf("MinValue 2: %v", err)
	}
}

func TestScheduleParameterAcceptsOnlyRateAndCron(t *testing.T) {
	p := ScheduleParameter("When", "rate(1 day)")
	if p.AllowedPattern == nil || *p.AllowedPattern != SchedulePattern {
		t.Fatalf("AllowedPattern = %v, want SchedulePattern", p.AllowedPattern)
	}
	for _, s := range []string{"rate(1 day)", "cron(0 3 * * ? *)"} {
		if !regexp.MustCompile(SchedulePattern).MatchString(s) {
			t.Errorf("pattern rejects %q", s)
		}
	}
	for _, s := range []string{"at(2026-01-01T00:00:00)", "rate(1 days)", "daily", "cron(0 3 * * ?)"} {
		if regexp.MustCompile(SchedulePattern).MatchString(s) {
			t.Errorf("pattern accepts %q", s)
		}
	}
}

// A rule whose Lambda target has no invoke permission is refused with an
// error that says what to add.
func TestLambdaTargetWithoutPermissionIsRefused(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		scheduledTestFunction(t)
		t.Resource("Nightly", &events.Rule{
			ScheduleExpression: cloudformation.String("rate(1 day)"),
			Targets:            []events.Rule_Target{{Id: "job", Arn: Arn("Job")}},
		}, "")
	})
	templatestest.WantFinding(t, err, "test: Nightly: Properties.Targets[0].Arn: rule targets Lambda function Job, but no AWS::Lambda::Permission lets events.amazonaws.com invoke it: "+
		"add one with FunctionName !Ref Job and SourceArn !GetAtt Nightly.Arn (stacks.ScheduleFunction does this)")
}

func TestPermissionForAnotherRuleDoesNotCount(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		scheduledTestFunction(t)
		ScheduleFunction(t, Schedule{ID: "Nightly", Expression: "rate(1 day)", AlertTopic: "Alerts"}, "Job")
		t.Resource("Hourly", &events.Rule{
			ScheduleExpression: cloudformation.String("rate(1 hour)"),
			Targets:            []events.Rule_Target{{Id: "job", Arn: Arn("Job")}},
		}, "")
	})
	templatestest.WantFinding(t, err, "test: Hourly: Properties.Targets[0].Arn: rule targets Lambda function Job")
	if strings.Contains(err.Error(), "Nightly") {
		t.Errorf("the permitted rule was reported too:\n%v", err)
	}
}

func TestScheduleFunctionWiresEverything(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		t.Resource("Parked", DeadLetterQueue(), "")
		scheduledTestFunction(t)
		ScheduleFunction(t, Schedule{ID: "Nightly", Expression: "cron(0 3 * * ? *)", AlertTopic: "Alerts",
			Retry: Retry{Attempts: 2, MaxAgeSeconds: 3600}, DeadLetterQueue: "Parked"}, "Job")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func schedulerTestSchedule(roleStatements ...Statement) func(t *templates.Template) {
	return func(t *templates.Template) {
		scheduledTestFunction(t)
		t.Resource("SchedulerRole", ServiceRole("scheduler.amazonaws.com", "invoke", Policy(roleStatements...)), "")
		t.Resource("Nightly", &scheduler.Schedule{
			ScheduleExpression: "rate(1 day)",
			FlexibleTimeWindow: &scheduler.Schedule_FlexibleTimeWindow{Mode: "OFF"},
			Target:             &scheduler.Schedule_Target{Arn: Arn("Job"), RoleArn: Arn("SchedulerRole")},
		}, "")
	}
}

// EventBridge Scheduler needs no Lambda permission, but its role must be
// allowed to invoke the function.
func TestSchedulerLambdaTargetNeedsInvokeRole(t *testing.T) {
	err := templatestest.RenderError(rules.All(), schedulerTestSchedule(Allow([]string{"sqs:SendMessage"}, "*")))
	templatestest.WantFinding(t, err, "test: Nightly: Properties.Target.RoleArn: schedule targets Lambda function Job, but its role is not a role of this template allowed lambda:InvokeFunction")
	if err := templatestest.RenderError(rules.All(), schedulerTestSchedule(Allow([]string{"lambda:InvokeFunction"}, Arn("Job")))); err != nil {
		t.Fatalf("a role allowed to invoke the function is enough: %v", err)
	}
}

// A schedule words its alarms for a scheduled job unless told otherwise.
func TestScheduleAlarmWording(t *testing.T) {
	render := func(s Schedule) string {
		out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
			t.Resource("Parked", DeadLetterQueue(), "")
			scheduledTestFunction(t)
			s.ID, s.Expression, s.AlertTopic, s.DeadLetterQueue = "Nightly", "cron(0 3 * * ? *)", "Alerts", "Parked"
			ScheduleFunction(t, s, "Job")
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	wantAll(t, render(Schedule{}), "AlarmDescription: "+ScheduleFailedText+"\n", "AlarmDescription: "+ScheduleDeadLetterText+"\n")
	wantAll(t, render(Schedule{FailedText: "The nightly export failed.", DeadLetterText: "A nightly export never started."}),
		"AlarmDescription: The nightly export failed.\n", "AlarmDescription: A nightly export never started.\n")
}
