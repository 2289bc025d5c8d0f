package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
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
func demoStack(status *types.StackStatus) *cloudfake.API {
	var description *string
	return &cloudfake.API{
		OnDescribeStacks: func(in *cloudformation.DescribeStacksInput) (*cloudformation.DescribeStacksOutput, error) {
			return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{{StackName: in.StackName, StackStatus: *status}}}, nil
		},
		OnGetTemplate: func(*cloudformation.GetTemplateInput) (*cloudformation.GetTemplateOutput, error) {
			return &cloudformation.GetTemplateOutput{TemplateBody: aws.String(string(must(demoApp.Render(templates.YAML, rules.All()))))}, nil
		},
		OnCreateChangeSet: func(in *cloudformation.CreateChangeSetInput) (*cloudformation.CreateChangeSetOutput, error) {
			description = in.Description
			return &cloudformation.CreateChangeSetOutput{}, nil
		},
		OnDescribeChangeSet: func(in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
			if description == nil {
				return nil, cloudfake.NotFound("ChangeSet " + aws.ToString(in.ChangeSetName))
			}
			return &cloudformation.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Description: description,
				Status: types.ChangeSetStatusCreateComplete, ExecutionStatus: types.ExecutionStatusAvailable,
				Changes: []types.Change{{ResourceChange: &types.ResourceChange{Action: types.ChangeActionModify, LogicalResourceId: aws.String("Topic"),
					ResourceType: aws.String("AWS::SNS::Topic"), Replacement: types.ReplacementFalse}}}}, nil
		},
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestApplyOnRollbackNamesTheFirstFailure(t *testing.T) {
	useStacks(t, demoApp)
	status := types.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	args := []string{"demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p1"}
	formwork(t, append([]string{"plan", "--keep"}, args...)...).wantExit(t, exitFindings)
	executed := false
	api.OnExecuteChangeSet = func(in *cloudformation.ExecuteChangeSetInput) (*cloudformation.ExecuteChangeSetOutput, error) {
		if aws.ToString(in.ChangeSetName) != "p1" {
			t.Errorf("executed %s", aws.ToString(in.ChangeSetName))
		}
		executed, status = true, types.StackStatusUpdateRollbackComplete
		return &cloudformation.ExecuteChangeSetOutput{}, nil
	}
	api.OnDescribeStackEvents = func(*cloudformation.DescribeStackEventsInput) (*cloudformation.DescribeStackEventsOutput, error) {
		if !executed {
			return &cloudformation.DescribeStackEventsOutput{}, nil
		}
		return &cloudformation.DescribeStackEventsOutput{StackEvents: []types.StackEvent{
			{EventId: aws.String("3"), Timestamp: aws.Time(time.Unix(3, 0)), LogicalResourceId: aws.String("demo"), ResourceStatus: "UPDATE_ROLLBACK_COMPLETE"},
			{EventId: aws.String("2"), Timestamp: aws.Time(time.Unix(2, 0)), LogicalResourceId: aws.String("Topic"), ResourceType: aws.String("AWS::SNS::Topic"),
				ResourceStatus: "UPDATE_FAILED", ResourceStatusReason: aws.String("Invalid parameter: DisplayName\nis too long")},
			{EventId: aws.String("1"), Timestamp: aws.Time(time.Unix(1, 0)), LogicalResourceId: aws.String("demo"), ResourceStatus: "UPDATE_IN_PROGRESS"},
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
	status := types.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	args := []string{"demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p1"}
	formwork(t, append([]string{"apply"}, args...)...).wantUsage(t, "stack demo has no change set p1 in eu-central-1: run formwork plan --keep first")
	formwork(t, append([]string{"plan", "--keep"}, args...)...).wantExit(t, exitFindings)
	formwork(t, "apply", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/other", "--change-set", "p1").
		wantUsage(t, "change set p1 was made from another render or other parameter values or tags")
	// a change set made by someone else
	api.OnDescribeChangeSet = func(in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
		return &cloudformation.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: types.ChangeSetStatusCreateComplete,
			ExecutionStatus: types.ExecutionStatusAvailable}, nil
	}
	formwork(t, append([]string{"apply"}, args...)...).wantUsage(t, "was not made by formwork plan")
	for _, c := range []struct {
		status types.ChangeSetStatus
		exec   types.ExecutionStatus
		reason string
		want   string
	}{
		{"FAILED", "UNAVAILABLE", "The submitted information didn't contain changes.", "changes nothing: there is nothing to apply"},
		{"FAILED", "UNAVAILABLE", "Template error: bad", "change set p1 failed: Template error: bad"},
		{"CREATE_COMPLETE", "EXECUTE_COMPLETE", "", "cannot be executed (CREATE_COMPLETE, EXECUTE_COMPLETE)"},
	} {
		api.OnDescribeChangeSet = func(in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
			return &cloudformation.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: c.status, ExecutionStatus: c.exec,
				StatusReason: aws.String(c.reason)}, nil
		}
		formwork(t, append([]string{"apply"}, args...)...).wantUsage(t, c.want)
	}
	if strings.Contains(strings.Join(api.Calls, " "), "ExecuteChangeSet") {
		t.Errorf("a refused apply executed: %v", api.Calls)
	}
}

func TestPlanRefusals(t *testing.T) {
	useStacks(t, demoApp, bigStack)
	status := types.StackStatusUpdateComplete
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
	status := types.StackStatusUpdateComplete
	api := demoStack(&status)
	fakeCloud(t, api)
	api.OnDescribeChangeSet = func(in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
		if api.Calls[len(api.Calls)-2] != "CreateChangeSet" {
			return nil, cloudfake.NotFound("ChangeSet")
		}
		return &cloudformation.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: types.ChangeSetStatusFailed,
			StatusReason: aws.String("Parameter validation failed: parameter value acme/site for parameter name Repository does not exist")}, nil
	}
	api.OnDeleteChangeSet = func(*cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error) {
		return &cloudformation.DeleteChangeSetOutput{}, nil
	}
	r := formwork(t, "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p").wantExit(t, exitUsage)
	if !strings.Contains(r.stdout, "CloudFormation rejected the change set") || !strings.Contains(r.stderr, "Parameter validation failed") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	if !strings.Contains(strings.Join(api.Calls, " "), "DeleteChangeSet") {
		t.Errorf("the failed change set was left behind: %v", api.Calls)
	}
}
