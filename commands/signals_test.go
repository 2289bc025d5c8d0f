package commands

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/internal/awsapi"
	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
	"github.com/formwork-dev/formwork/internal/cloudfake"
	"github.com/formwork-dev/formwork/stacks/rules"
)

func TestWatchSignals(t *testing.T) {
	sigs := make(chan os.Signal, 3)
	var stderr bytes.Buffer
	cancelled, exited := 0, -1
	sigs <- syscall.SIGPIPE // a closed stdout: ignored
	sigs <- os.Interrupt
	sigs <- syscall.SIGTERM
	close(sigs)
	watchSignals(sigs, func() { cancelled++ }, func(code int) { exited = code }, &stderr)
	if cancelled != 1 || exited != exitInterrupted {
		t.Errorf("cancelled %d times, exit %d", cancelled, exited)
	}
	want := "formwork: interrupted: undoing what this run started (interrupted again to stop at once)\n" +
		"formwork: stopped at once: what the command started may remain (see the lines above)\n"
	if stderr.String() != want {
		t.Errorf("stderr:\n%s", &stderr)
	}
}

// A plan of a new stack interrupted while CloudFormation computes the change
// set deletes the change set and the empty REVIEW_IN_PROGRESS stack, then
// says nothing remains.
func TestInterruptedPlanLeavesNothing(t *testing.T) {
	useStacks(t, demoApp)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	created, stackGone := false, false
	api := &cloudfake.API{
		OnDescribeStacks: func(in *cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error) {
			if !created || stackGone {
				return nil, cloudfake.NotFound("Stack with id demo")
			}
			return &cfn.DescribeStacksOutput{Stacks: []cfn.Stack{{StackName: in.StackName, StackStatus: cfn.StackStatusReviewInProgress}}}, nil
		},
		OnCreateChangeSet: func(*cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error) {
			created = true
			return &cfn.CreateChangeSetOutput{}, nil
		},
		OnDescribeChangeSet: func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
			if !created {
				return nil, cloudfake.NotFound("ChangeSet")
			}
			cancel() // Ctrl-C while CloudFormation computes it
			return &cfn.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName, Status: cfn.ChangeSetStatusCreateInProgress}, nil
		},
		OnDeleteChangeSet: func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
			return &cfn.DeleteChangeSetOutput{}, nil
		},
		OnListChangeSets: func(*cfn.ListChangeSetsInput) (*cfn.ListChangeSetsOutput, error) {
			return &cfn.ListChangeSetsOutput{}, nil
		},
		OnDeleteStack: func(*cfn.DeleteStackInput) (*cfn.DeleteStackOutput, error) {
			stackGone = true
			return &cfn.DeleteStackOutput{}, nil
		},
	}
	fakeCloud(t, api)
	var out, errOut bytes.Buffer
	code := (Config{Stacks: testStacks, Rules: rules.All()}).Run(ctx, []string{"formwork", "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=a/b", "--change-set", "p"}, &out, &errOut)
	if code != exitInterrupted || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q", code, &out)
	}
	if !strings.HasSuffix(errOut.String(), "formwork: interrupted: change set p deleted (and stack demo, had the plan created it): nothing remains in eu-central-1\n") {
		t.Errorf("stderr:\n%s", &errOut)
	}
	calls := strings.Join(api.Calls, " ")
	if !strings.Contains(calls, "DeleteChangeSet") || !strings.Contains(calls, "DeleteStack") {
		t.Errorf("calls: %s", calls)
	}

	// When the cleanup fails, the one line says what remains and how to remove it.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	created, stackGone = false, false
	api.Calls = nil
	api.OnDeleteChangeSet = nil // the fake fails the call
	out.Reset()
	errOut.Reset()
	code = (Config{Stacks: testStacks, Rules: rules.All()}).Run(ctx, []string{"formwork", "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=a/b", "--change-set", "p"}, &out, &errOut)
	want := "formwork: interrupted: change set p of stack demo in eu-central-1 remains (cannot delete change set p in eu-central-1: cloudfake: unexpected call DeleteChangeSet): " +
		"delete it with aws cloudformation delete-change-set --stack-name demo --change-set-name p --region eu-central-1"
	if code != exitInterrupted || !strings.Contains(errOut.String(), want) {
		t.Errorf("exit %d, stderr:\n%s", code, &errOut)
	}
}

// apply interrupted while it follows the execution says that CloudFormation
// goes on, and how to follow or stop it.
func TestInterruptedApplySaysWhatGoesOn(t *testing.T) {
	api, status, args := keptPlan(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	api.OnExecuteChangeSet = func(*cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
		*status = cfn.StackStatusUpdateInProgress
		return &cfn.ExecuteChangeSetOutput{}, nil
	}
	api.OnDescribeStackEvents = func(*cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
		if *status == cfn.StackStatusUpdateInProgress {
			cancel()
		}
		return &cfn.DescribeStackEventsOutput{StackEvents: []cfn.StackEvent{{EventId: "1"}}}, nil
	}
	var out, errOut bytes.Buffer
	code := (Config{Stacks: testStacks, Rules: rules.All()}).Run(ctx, append([]string{"formwork", "apply"}, args...), &out, &errOut)
	if code != exitInterrupted || !strings.Contains(errOut.String(), "formwork: interrupted: CloudFormation goes on executing change set p1") ||
		!strings.Contains(errOut.String(), "aws cloudformation cancel-update-stack --stack-name demo --region eu-central-1") {
		t.Errorf("exit %d, stderr:\n%s", code, &errOut)
	}
}

// Interrupted before it writes, render --out writes nothing.
func TestInterruptedRenderWritesNothing(t *testing.T) {
	useStacks(t, demoApp)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	if code := (Config{Stacks: testStacks, Rules: rules.All()}).Run(ctx, []string{"formwork", "render", "--out", dir}, &out, &errOut); code != exitInterrupted ||
		errOut.String() != "formwork: interrupted: nothing was written\n" {
		t.Errorf("exit %d, stderr %q", code, &errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}

// The answer to ExecuteChangeSet is lost and the SDK's retry fails because
// the change set is executing: apply follows the deployment and says so.
func TestApplyAfterALostExecuteAnswer(t *testing.T) {
	api, status, args := keptPlan(t)
	describe := api.OnDescribeChangeSet
	executed := false
	api.OnDescribeChangeSet = func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
		out, err := describe(in)
		if executed && err == nil {
			out.ExecutionStatus = cfn.ExecutionStatusExecuteInProgress
		}
		return out, err
	}
	api.OnExecuteChangeSet = func(*cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
		executed, *status = true, cfn.StackStatusUpdateComplete
		return nil, &awsapi.Error{Code: "InvalidChangeSetStatus", Message: "ChangeSet [p1] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]"}
	}
	api.OnDescribeStackEvents = func(*cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
		if !executed {
			return &cfn.DescribeStackEventsOutput{}, nil
		}
		return &cfn.DescribeStackEventsOutput{StackEvents: []cfn.StackEvent{{EventId: "1", Timestamp: time.Unix(1, 0),
			LogicalResourceId: "demo", ResourceStatus: "UPDATE_COMPLETE"}}}, nil
	}
	r := formwork(t, append([]string{"apply"}, args...)...).wantExit(t, exitOK)
	if !strings.Contains(r.stderr, `formwork: ExecuteChangeSet answered "cannot execute change set p1 in eu-central-1: InvalidChangeSetStatus`) ||
		!strings.Contains(r.stderr, "but the stack shows that the execution had started") || !strings.Contains(r.stdout, "demo: UPDATE_COMPLETE in") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}
