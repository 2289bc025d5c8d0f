package cloud

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/internal/awsapi"
	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
	"github.com/formwork-dev/formwork/internal/cloudfake"
)

func client(api *cloudfake.API) *Client {
	return &Client{API: api, Region: "eu-central-1", Poll: time.Millisecond, Timeout: 5 * time.Second}
}

func stackWithStatus(status ...string) func(*cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error) {
	i := 0
	return func(in *cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error) {
		s := status[min(i, len(status)-1)]
		i++
		if s == "" {
			return nil, cloudfake.NotFound("Stack with id " + in.StackName)
		}
		return &cfn.DescribeStacksOutput{Stacks: []cfn.Stack{{StackName: in.StackName, StackStatus: s,
			Parameters: []cfn.Parameter{{ParameterKey: "K", ParameterValue: "v"}}}}}, nil
	}
}

func TestDescribeStack(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		status string
		exists bool
	}{{"", false}, {cfn.StackStatusReviewInProgress, false}, {cfn.StackStatusUpdateComplete, true}, {cfn.StackStatusDeleteComplete, false}} {
		st, err := client(&cloudfake.API{OnDescribeStacks: stackWithStatus(c.status)}).DescribeStack(ctx, "s")
		if err != nil {
			t.Fatal(err)
		}
		if st.Exists() != c.exists {
			t.Errorf("%q: exists %v, want %v", c.status, st.Exists(), c.exists)
		}
		if c.exists && st.Parameters["K"] != "v" {
			t.Errorf("parameters not read: %+v", st)
		}
	}
	denied := &awsapi.Error{Code: "AccessDenied", Message: "not allowed: cloudformation:DescribeStacks"}
	_, err := client(&cloudfake.API{OnDescribeStacks: func(*cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error) {
		return nil, denied
	}}).DescribeStack(ctx, "s")
	if err == nil || !strings.Contains(err.Error(), "cannot describe stack s in eu-central-1: AccessDenied: not allowed") {
		t.Errorf("error: %v", err)
	}
}

func change(id string) cfn.Change {
	return cfn.Change{ResourceChange: &cfn.ResourceChange{LogicalResourceId: id, Action: "Add"}}
}

func TestCreateChangeSetWaitsAndReadsEveryPage(t *testing.T) {
	var created *cfn.CreateChangeSetInput
	describes := 0
	api := &cloudfake.API{
		OnCreateChangeSet: func(in *cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error) {
			created = in
			return &cfn.CreateChangeSetOutput{}, nil
		},
		OnDescribeChangeSet: func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
			describes++
			switch {
			case describes == 1: // looking for an earlier change set of the name
				return nil, &awsapi.Error{Code: "ChangeSetNotFound", Message: "ChangeSet [p] does not exist"}
			case describes == 2:
				return &cfn.DescribeChangeSetOutput{Status: cfn.ChangeSetStatusCreateInProgress}, nil
			case in.NextToken == "":
				return &cfn.DescribeChangeSetOutput{Status: cfn.ChangeSetStatusCreateComplete, ChangeSetName: "p",
					Changes: []cfn.Change{change("A"), change("B")}, NextToken: "page2"}, nil
			}
			return &cfn.DescribeChangeSetOutput{Status: cfn.ChangeSetStatusCreateComplete, Changes: []cfn.Change{change("C")}}, nil
		},
	}
	cs, err := client(api).CreateChangeSet(context.Background(), ChangeSetRequest{Stack: "s", Name: "p", Body: []byte("{}"), Create: true,
		Parameters: []Parameter{{"K", "v"}}, Tags: map[string]string{"b": "2", "a": "1"}, Capabilities: []string{"CAPABILITY_IAM"},
		RoleARN: "arn:aws:iam::123456789012:role/deployer"})
	if err != nil {
		t.Fatal(err)
	}
	if created.RoleARN != "arn:aws:iam::123456789012:role/deployer" {
		t.Errorf("RoleARN %q, want the execution role", created.RoleARN)
	}
	var ids []string
	for _, c := range cs.Changes {
		ids = append(ids, c.LogicalID)
	}
	if strings.Join(ids, " ") != "A B C" || cs.Status != "CREATE_COMPLETE" {
		t.Errorf("changes %v, status %s", ids, cs.Status)
	}
	if created.ChangeSetType != cfn.ChangeSetTypeCreate || created.Tags[0].Key != "a" || created.Capabilities[0] != "CAPABILITY_IAM" ||
		created.Parameters[0].ParameterValue != "v" {
		t.Errorf("request: %+v", created)
	}
}

func TestCreateChangeSetReplacesAnEarlierOneAndReadsNoUpdates(t *testing.T) {
	api := &cloudfake.API{
		OnDescribeChangeSet: func(*cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
			return &cfn.DescribeChangeSetOutput{Status: cfn.ChangeSetStatusCreateComplete}, nil
		},
		OnDeleteChangeSet: func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
			return &cfn.DeleteChangeSetOutput{}, nil
		},
		OnCreateChangeSet: func(*cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error) {
			return nil, &awsapi.Error{Code: "ValidationError", Message: "No updates are to be performed."}
		},
	}
	cs, err := client(api).CreateChangeSet(context.Background(), ChangeSetRequest{Stack: "s", Name: "p"})
	if err != nil || !cs.NoChanges() {
		t.Fatalf("%+v %v", cs, err)
	}
	if strings.Join(api.Calls, " ") != "DescribeChangeSet DeleteChangeSet CreateChangeSet" {
		t.Errorf("calls: %v", api.Calls)
	}
}

func TestAbandon(t *testing.T) {
	deleteOK := func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
		return &cfn.DeleteChangeSetOutput{}, nil
	}
	cases := []struct {
		status []string
		others int // other change sets of the stack
		calls  string
	}{
		// a plan of a new stack: the empty stack goes too, and is waited for
		{[]string{cfn.StackStatusReviewInProgress, cfn.StackStatusDeleteInProgress, ""}, 0,
			"DeleteChangeSet DescribeStacks ListChangeSets DeleteStack DescribeStacks DescribeStacks"},
		// unless another kept plan still needs it
		{[]string{cfn.StackStatusReviewInProgress}, 1, "DeleteChangeSet DescribeStacks ListChangeSets"},
		{[]string{cfn.StackStatusUpdateComplete}, 0, "DeleteChangeSet DescribeStacks"},
	}
	for _, c := range cases {
		others := make([]cfn.ChangeSetSummary, c.others)
		api := &cloudfake.API{OnDeleteChangeSet: deleteOK, OnDescribeStacks: stackWithStatus(c.status...),
			OnListChangeSets: func(*cfn.ListChangeSetsInput) (*cfn.ListChangeSetsOutput, error) {
				return &cfn.ListChangeSetsOutput{Summaries: others}, nil
			},
			OnDeleteStack: func(*cfn.DeleteStackInput) (*cfn.DeleteStackOutput, error) {
				return &cfn.DeleteStackOutput{}, nil
			}}
		if err := client(api).Abandon(context.Background(), "s", "p"); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(api.Calls, " "); got != c.calls {
			t.Errorf("%v: calls %s, want %s", c.status, got, c.calls)
		}
	}
}

func event(id string, at int, logical string, status string, reason string) cfn.StackEvent {
	return cfn.StackEvent{EventId: id, Timestamp: time.Unix(int64(at), 0), LogicalResourceId: logical,
		ResourceType: "AWS::SNS::Topic", ResourceStatus: status, ResourceStatusReason: reason}
}

func TestExecuteAndWatchNamesTheFirstFailure(t *testing.T) {
	before := []cfn.StackEvent{event("old", 1, "s", "UPDATE_COMPLETE", "")}
	history := []cfn.StackEvent{ // newest first, as CloudFormation lists them
		event("e6", 16, "s", "UPDATE_ROLLBACK_COMPLETE", ""),
		event("e5", 15, "Topic", "UPDATE_FAILED", "Resource update cancelled"),
		event("e4", 14, "Queue", "UPDATE_FAILED", "Invalid value for MessageRetentionPeriod"),
		event("e3", 13, "Queue", "UPDATE_IN_PROGRESS", ""),
		event("e2", 12, "s", "UPDATE_IN_PROGRESS", "User Initiated"),
	}
	executed, reads := false, 0
	api := &cloudfake.API{
		OnExecuteChangeSet: func(*cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
			executed = true
			return &cfn.ExecuteChangeSetOutput{}, nil
		},
		OnDescribeStackEvents: func(in *cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
			if !executed {
				return &cfn.DescribeStackEventsOutput{StackEvents: before}, nil
			}
			reads++
			if reads == 1 {
				return &cfn.DescribeStackEventsOutput{StackEvents: before}, nil // none yet
			}
			visible := history[max(0, 4-(reads-1)*2):] // two more events each read
			if in.NextToken == "" && len(visible) > 2 {
				return &cfn.DescribeStackEventsOutput{StackEvents: visible[:2], NextToken: "more"}, nil
			}
			if in.NextToken != "" {
				return &cfn.DescribeStackEventsOutput{StackEvents: append(slices.Clone(visible[2:]), before...)}, nil
			}
			return &cfn.DescribeStackEventsOutput{StackEvents: append(slices.Clone(visible), before...)}, nil
		},
		// the status lags: still the old one when the first read comes
		OnDescribeStacks: stackWithStatus(cfn.StackStatusUpdateComplete, cfn.StackStatusUpdateRollbackInProgress, cfn.StackStatusUpdateRollbackComplete),
	}
	var lines []string
	out, err := client(api).ExecuteAndWatch(context.Background(), "s", "p", func(e Event) { lines = append(lines, e.ID) })
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines, " "); got != "e2 e3 e4 e5 e6" {
		t.Errorf("events %s, want each once, oldest first", got)
	}
	if out.Succeeded() || out.Status != "UPDATE_ROLLBACK_COMPLETE" || out.FirstFailure == nil || out.FirstFailure.LogicalID != "Queue" ||
		out.FirstFailure.Reason != "Invalid value for MessageRetentionPeriod" || out.Events != 5 {
		t.Errorf("outcome %+v (first failure %+v)", out, out.FirstFailure)
	}
}

func TestWaitGivesUp(t *testing.T) {
	c := client(&cloudfake.API{})
	c.Timeout = 5 * time.Millisecond
	err := c.wait(context.Background(), "change set p", func() (bool, error) { return false, nil })
	if err == nil || !strings.Contains(err.Error(), "gave up waiting for change set p") {
		t.Errorf("error: %v", err)
	}
	boom := errors.New("boom")
	if err := c.wait(context.Background(), "x", func() (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("error: %v", err)
	}
}

func TestCheckAccount(t *testing.T) {
	c := client(&cloudfake.API{})
	c.CallerAccount = func(context.Context) (string, error) { return "111111111111", nil }
	if err := c.CheckAccount(context.Background(), ""); err != nil {
		t.Error(err)
	}
	if err := c.CheckAccount(context.Background(), "111111111111"); err != nil {
		t.Error(err)
	}
	err := c.CheckAccount(context.Background(), "222222222222")
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("credentials are for account %s, the environment deploys to %s", "111111111111", "222222222222")) {
		t.Errorf("error: %v", err)
	}
}

// The answer to ExecuteChangeSet is lost and the SDK's retry finds the
// change set executing: apply follows the execution instead of failing.
func TestExecuteAndWatchSurvivesALostAnswer(t *testing.T) {
	retried := &awsapi.Error{Code: "InvalidChangeSetStatus", Message: "ChangeSet [p] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]"}
	for _, c := range []struct {
		name      string
		changeSet func() (*cfn.DescribeChangeSetOutput, error)
		status    []string
		started   bool
	}{
		{"the change set says it is executing", func() (*cfn.DescribeChangeSetOutput, error) {
			return &cfn.DescribeChangeSetOutput{ExecutionStatus: cfn.ExecutionStatusExecuteInProgress}, nil
		}, []string{cfn.StackStatusUpdateComplete}, true},
		{"the change set is gone and the stack is updating", func() (*cfn.DescribeChangeSetOutput, error) {
			return nil, &awsapi.Error{Code: "ChangeSetNotFound", Message: "ChangeSet [p] does not exist"}
		}, []string{cfn.StackStatusUpdateInProgress, cfn.StackStatusUpdateComplete}, true},
		{"the change set is still available: it did not start", func() (*cfn.DescribeChangeSetOutput, error) {
			return &cfn.DescribeChangeSetOutput{ExecutionStatus: cfn.ExecutionStatusAvailable}, nil
		}, []string{cfn.StackStatusUpdateComplete}, false},
	} {
		executed := false
		api := &cloudfake.API{
			OnExecuteChangeSet: func(*cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
				executed = true
				return nil, retried
			},
			OnDescribeChangeSet: func(*cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
				return c.changeSet()
			},
			OnDescribeStackEvents: func(*cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
				if !executed || !c.started {
					return &cfn.DescribeStackEventsOutput{}, nil
				}
				return &cfn.DescribeStackEventsOutput{StackEvents: []cfn.StackEvent{event("e1", 1, "s", "UPDATE_COMPLETE", "")}}, nil
			},
			OnDescribeStacks: stackWithStatus(c.status...),
		}
		out, err := client(api).ExecuteAndWatch(context.Background(), "s", "p", func(Event) {})
		if !c.started {
			if err == nil || !strings.Contains(err.Error(), "cannot execute change set p in eu-central-1: InvalidChangeSetStatus") {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err != nil || !out.Succeeded() || out.Events != 1 || !strings.Contains(out.LostAnswer, "InvalidChangeSetStatus") {
			t.Errorf("%s: %+v %v", c.name, out, err)
		}
	}
}

func TestDeleteChangeSetThatIsGoneDespiteAnError(t *testing.T) {
	var exists bool
	api := &cloudfake.API{
		OnDeleteChangeSet: func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
			return nil, errors.New("InternalFailure: 500 Internal Server Error")
		},
		OnDescribeChangeSet: func(in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
			if exists {
				return &cfn.DescribeChangeSetOutput{ChangeSetName: in.ChangeSetName}, nil
			}
			return nil, cloudfake.NotFound("ChangeSet " + in.ChangeSetName)
		},
	}
	if err := client(api).DeleteChangeSet(context.Background(), "s", "p"); err != nil {
		t.Errorf("a change set gone after a 500 is deleted: %v", err)
	}
	exists = true
	if err := client(api).DeleteChangeSet(context.Background(), "s", "p"); err == nil || !strings.Contains(err.Error(), "delete change set p") {
		t.Errorf("a change set still there after an error: %v", err)
	}
}
