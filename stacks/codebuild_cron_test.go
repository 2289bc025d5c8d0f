package stacks

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func renderCron(t *testing.T, o CodebuildCron) string {
	t.Helper()
	body, err := templates.Stack{Name: "codebuild-cron", Build: o.Build}.Render(templates.YAML, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestCodebuildCronWithoutSource(t *testing.T) {
	body := renderCron(t, CodebuildCron{DefaultSchedule: "rate(12 hours)"})
	for _, want := range []string{"Type: NO_SOURCE", "Type: NO_ARTIFACTS", "Default: rate(12 hours)"} {
		if !strings.Contains(body, want) {
			t.Errorf("template lacks %q", want)
		}
	}
	for _, unwanted := range []string{"ConnectionArn", "SourceVersion", "codeconnections"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("a project without source still has %q", unwanted)
		}
	}
}

// The schedule's role may start this one project and do nothing else.
func TestCodebuildCronScheduleRoleOnlyStartsTheProject(t *testing.T) {
	body := renderCron(t, CodebuildCron{FromRepository: true, DefaultSchedule: "rate(1 day)"})
	want := `          - Effect: Allow
                Action:
                  - codebuild:StartBuild
                Resource:
                  - !GetAtt Job.Arn
          PolicyName: start-Job
`
	role := body[strings.Index(body, "  JobScheduleRole:"):strings.Index(body, "  JobSchedule:\n")]
	if !strings.Contains(role, want) || strings.Count(role, "- Effect: Allow") != 2 {
		t.Fatalf("the schedule role grants more than codebuild:StartBuild on Job:\n%s", role)
	}
}

func TestCodebuildCronMailsFailedAndTimedOutBuilds(t *testing.T) {
	body := renderCron(t, CodebuildCron{FromRepository: true, DefaultSchedule: "rate(1 day)"})
	for _, want := range []string{
		"            - FAILED\n            - TIMED_OUT\n",
		"          project-name:\n            - !Ref Job\n",
		"InputTemplate: !Sub \"CodeBuild project <project> build #<number> ended <status> at <time>: https://${AWS::Region}.console.aws.amazon.com/codesuite/codebuild/",
		"aws:SourceArn: !GetAtt JobFailed.Arn",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("template lacks %q", want)
		}
	}
}

func TestCodebuildCronInvalidDefaultScheduleFailsAtRender(t *testing.T) {
	err := templatestest.RenderError(rules.All(), CodebuildCron{DefaultSchedule: "rate(2 hour)"}.Build)
	templatestest.WantFinding(t, err, "test: JobSchedule: Properties.ScheduleExpression: default of parameter Schedule: schedule \"rate(2 hour)\"")
}
