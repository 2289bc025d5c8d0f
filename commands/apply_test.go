package commands

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	gfn "github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/awsapi"
	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/cloudfake"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// fakeCloud makes the commands talk to api, as account 123456789012.
func fakeCloud(t testing.TB, api *cloudfake.API) {
	t.Helper()
	saved := newCloud
	newCloud = func(context.Context, cloud.Options) (*cloud.Client, error) {
		return &cloud.Client{API: api, Region: "eu-central-1", Poll: time.Millisecond, Timeout: 5 * time.Second,
			CallerAccount: func(context.Context) (string, error) { return "123456789012", nil }}, nil
	}
	t.Cleanup(func() { newCloud = saved })
}

// demoStack is a deployed demo-app stack whose plans the fake keeps: the
// description a plan writes is what a later describe returns.
func demoStack(status *string) *cloudfake.API {
	var description *string
	return &cloudfake.API{
		OnDescribeStacks: func(in *cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error) {
			return &cfn.DescribeStacksOutput{Stacks: []cfn.Stack{{StackName: in.StackName, StackStatus: *status}}}, nil
		},
		OnGetTemplate: func(*cfn.GetTemplateInput) (*cfn.GetTemplateOutput, error) {
			return &cfn.GetTemplateOutput{TemplateBody: string(must(demoApp.Render(templates.YAML, rules.All())))}, nil
		},
		OnCreateChangeSet: func(in *cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error) {
			description = &in.Description
			return &cfn.CreateChangeSetOutput{}, nil
		},
		OnDescribeChangeSet: func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
			if description == nil {
				return nil, cloudfake.NotFound("ChangeSet " + in.ChangeSetName)
			}
			return &cfn.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Description: *description,
				Status: cfn.ChangeSetStatusCreateComplete, ExecutionStatus: cfn.ExecutionStatusAvailable,
				Changes: []cfn.Change{{ResourceChange: &cfn.ResourceChange{Action: "Modify", LogicalResourceId: "Topic",
					ResourceType: "AWS::SNS::Topic", Replacement: cfn.ReplacementFalse}}}}, nil
		},
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// keptPlan plans demo-app on a scripted stack with --keep, as apply's tests
// start: the scripted API, the stack's status and the args that name the
// stack and change set p1.
func keptPlan(t *testing.T) (*cloudfake.API, *string, []string) {
	t.Helper()
	useStacks(t, demoApp)
	status := cfn.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	args := []string{"demo-app", "--stack-name", "demo", "--change-set", "p1"}
	formwork(t, append([]string{"plan", "--keep", "--param", "Repository=acme/site"}, args...)...).wantExit(t, exitFindings)
	return api, &status, args
}

func TestApplyOnRollbackNamesTheFirstFailure(t *testing.T) {
	api, status, args := keptPlan(t)
	executed := false
	api.OnExecuteChangeSet = func(in *cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
		if in.ChangeSetName != "p1" {
			t.Errorf("executed %s", in.ChangeSetName)
		}
		executed, *status = true, cfn.StackStatusUpdateRollbackComplete
		return &cfn.ExecuteChangeSetOutput{}, nil
	}
	api.OnDescribeStackEvents = func(*cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
		if !executed {
			return &cfn.DescribeStackEventsOutput{}, nil
		}
		return &cfn.DescribeStackEventsOutput{StackEvents: []cfn.StackEvent{
			{EventId: "3", Timestamp: time.Unix(3, 0), LogicalResourceId: "demo", ResourceStatus: "UPDATE_ROLLBACK_COMPLETE"},
			{EventId: "2", Timestamp: time.Unix(2, 0), LogicalResourceId: "Topic", ResourceType: "AWS::SNS::Topic",
				ResourceStatus: "UPDATE_FAILED", ResourceStatusReason: "Invalid parameter: DisplayName\nis too long"},
			{EventId: "1", Timestamp: time.Unix(1, 0), LogicalResourceId: "demo", ResourceStatus: "UPDATE_IN_PROGRESS"},
		}}, nil
	}
	r := formwork(t, append([]string{"apply"}, args...)...).wantExit(t, exitFindings)
	if strings.Count(r.stdout, "\n") != 3 || !strings.Contains(r.stdout, "UPDATE_FAILED") {
		t.Errorf("want one line per event:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "demo: UPDATE_ROLLBACK_COMPLETE after") ||
		!strings.Contains(r.stderr, "first failure: Topic (AWS::SNS::Topic): Invalid parameter: DisplayName is too long") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestApplyRefusals(t *testing.T) {
	useStacks(t, demoApp)
	status := cfn.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	args := []string{"demo-app", "--stack-name", "demo", "--change-set", "p1"}
	formwork(t, append([]string{"apply"}, args...)...).wantUsage(t, "stack demo has no change set p1 in eu-central-1: run formwork plan --keep first")
	formwork(t, append([]string{"plan", "--keep", "--param", "Repository=acme/site"}, args...)...).wantExit(t, exitFindings)
	formwork(t, "apply", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/other", "--change-set", "p1").
		wantUsage(t, "unknown flag --param")
	changed := demoApp
	changed.Build = func(t *templates.Template) {
		demoApp.Build(t)
		t.Output("Extra", gfn.Output{Value: "x"})
	}
	useStacks(t, changed)
	formwork(t, append([]string{"apply"}, args...)...).
		wantUsage(t, "change set p1 was made from another render of the stack than the current one", "plan --keep again")
	// a change set made by someone else
	api.OnDescribeChangeSet = func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
		return &cfn.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: cfn.ChangeSetStatusCreateComplete,
			ExecutionStatus: cfn.ExecutionStatusAvailable}, nil
	}
	formwork(t, append([]string{"apply"}, args...)...).wantUsage(t, "was not made by this formwork's plan")
	for _, c := range []struct {
		status string
		exec   string
		reason string
		want   string
	}{
		{"FAILED", "UNAVAILABLE", "The submitted information didn't contain changes.", "changes nothing: there is nothing to apply"},
		{"FAILED", "UNAVAILABLE", "Template error: bad", "change set p1 failed: Template error: bad"},
		{"CREATE_COMPLETE", "EXECUTE_COMPLETE", "", "cannot be executed (CREATE_COMPLETE, EXECUTE_COMPLETE)"},
	} {
		api.OnDescribeChangeSet = func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
			return &cfn.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: c.status, ExecutionStatus: c.exec,
				StatusReason: c.reason}, nil
		}
		formwork(t, append([]string{"apply"}, args...)...).wantUsage(t, c.want)
	}
	if strings.Contains(strings.Join(api.Calls, " "), "ExecuteChangeSet") {
		t.Errorf("a refused apply executed: %v", api.Calls)
	}
}

func TestPlanRefusals(t *testing.T) {
	useStacks(t, demoApp, bigStack)
	status := cfn.StackStatusUpdateComplete
	fakeCloud(t, demoStack(&status))
	formwork(t, "plan", "demo-app", "--param", "Repository=acme/site", "--change-set", "1bad").wantUsage(t, "--change-set \"1bad\"")
	formwork(t, "plan", "demo-app", "--change-set", "p").wantUsage(t, "demo-app needs a value for Repository")
	formwork(t, "plan", "demo-app", "--param", "Repository=acme/site", "--format", "yaml").wantUsage(t, "unknown format")
	formwork(t, "plan", "big-stack", "--change-set", "p").wantUsage(t, "over the 51,200 bytes")
	envs := writeEnvironment(t, "", "prod", "account: \"999999999999\"\nstacks:\n  demo-app:\n    parameters: {Repository: acme/site}\n")
	formwork(t, "plan", "demo-app", "--env", "prod", "--environments", envs, "--change-set", "p").
		wantUsage(t, "the AWS credentials are for account 123456789012, the environment deploys to 999999999999")
	formwork(t, "plan", "demo-app", "--env", "staging", "--environments", envs).wantUsage(t, "no environment staging in", "there are prod")
}

func TestPlanReportsARejectedChangeSet(t *testing.T) {
	useStacks(t, demoApp)
	status := cfn.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	api.OnDescribeChangeSet = func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
		if api.Calls[len(api.Calls)-2] != "CreateChangeSet" {
			return nil, cloudfake.NotFound("ChangeSet")
		}
		return &cfn.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: cfn.ChangeSetStatusFailed,
			StatusReason: "Parameter validation failed: parameter value acme/site for parameter name Repository does not exist"}, nil
	}
	api.OnDeleteChangeSet = func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
		return &cfn.DeleteChangeSetOutput{}, nil
	}
	r := formwork(t, "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p").wantExit(t, exitUsage)
	if !strings.Contains(r.stdout, "CloudFormation rejected the change set") || !strings.Contains(r.stderr, "Parameter validation failed") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	if !strings.Contains(strings.Join(api.Calls, " "), "DeleteChangeSet") {
		t.Errorf("the failed change set was left behind: %v", api.Calls)
	}
}

// TestApplySaysWhichChangeSetAndWhatWasNotDeployed applies a kept plan with
// no parameters given: the change set carries them. The stack then lacks a
// resource and an output the template declares, as after moto skipped a
// type: apply names both.
func TestApplySaysWhichChangeSetAndWhatWasNotDeployed(t *testing.T) {
	useStacks(t, demoApp)
	status := cfn.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	formwork(t, "plan", "--keep", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p1").wantExit(t, exitFindings)
	describe := api.OnDescribeChangeSet
	api.OnDescribeChangeSet = func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
		out, err := describe(in)
		if out != nil {
			out.Parameters = []cfn.Parameter{{ParameterKey: "Repository", ParameterValue: "acme/site"}}
			out.Tags = []cfn.Tag{{Key: "team", Value: "web"}}
		}
		return out, err
	}
	executed := false
	api.OnExecuteChangeSet = func(*cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
		executed = true
		return &cfn.ExecuteChangeSetOutput{}, nil
	}
	api.OnDescribeStackEvents = func(*cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
		if !executed {
			return &cfn.DescribeStackEventsOutput{}, nil
		}
		return &cfn.DescribeStackEventsOutput{StackEvents: []cfn.StackEvent{
			{EventId: "2", Timestamp: time.Unix(2, 0), LogicalResourceId: "demo", ResourceStatus: "UPDATE_COMPLETE"},
			{EventId: "1", Timestamp: time.Unix(1, 0), LogicalResourceId: "demo", ResourceStatus: "UPDATE_IN_PROGRESS"},
		}}, nil
	}
	api.OnListStackResources = func(*cfn.ListStackResourcesInput) (*cfn.ListStackResourcesOutput, error) {
		return &cfn.ListStackResourcesOutput{StackResourceSummaries: []cfn.StackResourceSummary{{LogicalResourceId: "Topic"}}}, nil
	}
	r := formwork(t, "apply", "demo-app", "--stack-name", "demo", "--change-set", "p1").wantExit(t, exitOK)
	for _, want := range []string{
		"formwork: executing change set p1 (formwork plan of demo-app at ",
		", template sha256:", ", with its 1 parameter value and 1 tag) on stack demo in eu-central-1...",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("apply does not say which change set it applies (%q):\n%s", want, r.stderr)
		}
	}
	for _, want := range []string{
		"demo: UPDATE_COMPLETE in ",
		"demo lacks 1 of the 2 resources its template declares (an emulator skips the types it does not implement): Role (AWS::IAM::Role)\n",
		"demo lacks 1 output its template declares: TopicArn\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestPlanSaysTheStackIsInAnUnusualStateFirst(t *testing.T) {
	useStacks(t, demoApp)
	status := cfn.StackStatusUpdateRollbackComplete
	api := demoStack(&status)
	api.OnDeleteChangeSet = func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
		return &cfn.DeleteChangeSetOutput{}, nil
	}
	fakeCloud(t, api)
	r := formwork(t, "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p").wantExit(t, exitFindings)
	if !strings.HasPrefix(r.stdout, "! stack demo is UPDATE_ROLLBACK_COMPLETE: its last update failed and was rolled back") {
		t.Errorf("the plan must start with the stack's state:\n%s", r.stdout)
	}
	api.OnCreateChangeSet = func(*cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error) {
		return nil, &awsapi.Error{Code: "ValidationError", Message: "Stack:demo is in UPDATE_ROLLBACK_FAILED state and can not be updated."}
	}
	status = cfn.StackStatusUpdateRollbackFailed
	r = formwork(t, "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p").wantExit(t, exitUsage)
	if !strings.Contains(r.stderr, "can not be updated.; first: stack demo is UPDATE_ROLLBACK_FAILED: ") {
		t.Errorf("a plan refused because of the stack's state must name the state:\n%s", r.stderr)
	}
}

// TestPlanWithNoChangesSurvivesAFailedDelete: an endpoint that answers 500
// when the empty change set is deleted does not turn "no changes" into
// exit 2.
func TestPlanWithNoChangesSurvivesAFailedDelete(t *testing.T) {
	useStacks(t, demoApp)
	status := cfn.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	api.OnDescribeChangeSet = func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
		if !slices.Contains(api.Calls, "CreateChangeSet") {
			return nil, cloudfake.NotFound("ChangeSet")
		}
		return &cfn.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: cfn.ChangeSetStatusFailed,
			StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set."}, nil
	}
	api.OnDeleteChangeSet = func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
		return nil, &awsapi.Error{Code: "InternalFailure", Message: "500 Internal Server Error"}
	}
	r := formwork(t, "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p").wantExit(t, exitOK)
	if !strings.Contains(r.stdout, ": no changes") || !strings.Contains(r.stderr, "formwork: warning: ") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}
