package cloud

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
)

// Event is one line of a stack's history.
type Event struct {
	ID        string
	Time      time.Time
	LogicalID string
	Type      string
	Status    string
	Reason    string
}

// Failed reports an event of a resource (or the stack) that failed.
func (e Event) Failed() bool { return strings.HasSuffix(e.Status, "_FAILED") }

// Outcome is how a stack operation ended.
type Outcome struct {
	Status string // the stack's final status, e.g. CREATE_COMPLETE
	// FirstFailure is the first event that failed, nil when none did.
	FirstFailure *Event
	Events       int
	// Started reports that ExecuteChangeSet was called (and so the
	// deployment may run on whatever happens to the watch).
	Started bool
	// LostAnswer is the error ExecuteChangeSet answered although the
	// execution had started (its first answer was lost and the retry
	// found the change set executing), "" when it answered normally.
	LostAnswer string
}

// Succeeded reports a create or update that completed without rollback.
func (o Outcome) Succeeded() bool {
	return strings.HasSuffix(o.Status, "_COMPLETE") && !strings.Contains(o.Status, "ROLLBACK") && !strings.HasPrefix(o.Status, "DELETE")
}

// ExecuteAndWatch executes the change set, calls onEvent for each stack
// event it causes, in the order they happened, and returns when the stack
// reaches a status that no longer changes by itself.
func (c *Client) ExecuteAndWatch(ctx context.Context, stack, changeSet string, onEvent func(Event)) (Outcome, error) {
	// The newest page of the history before is enough to tell this run's
	// events from it: DescribeStackEvents lists newest first.
	seen := map[string]bool{}
	before, err := c.API.DescribeStackEvents(ctx, &cfn.DescribeStackEventsInput{StackName: stack})
	if err != nil {
		return Outcome{}, c.failed("read the events of stack "+stack, err)
	}
	for _, e := range before.StackEvents {
		seen[e.EventId] = true
	}
	if err := ctx.Err(); err != nil {
		return Outcome{}, err
	}
	var lost string
	if err := c.Execute(ctx, stack, changeSet); err != nil {
		started, checkErr := c.executionStarted(ctx, stack, changeSet, seen)
		if checkErr != nil || !started {
			return Outcome{Started: ctx.Err() != nil}, err // interrupted in the call: it may have started
		}
		lost = err.Error()
	}
	out, err := c.watch(ctx, stack, seen, onEvent)
	out.Started, out.LostAnswer = true, lost
	return out, err
}

// executionStarted finds out from the stack whether a change set whose
// ExecuteChangeSet failed was executed all the same: the answer to the
// first attempt can be lost, and the retry then fails because the
// change set is executing already. It was executed when the change set says
// so, or is gone (CloudFormation deletes a stack's change sets when one is
// executed) while the stack is busy or has new events.
func (c *Client) executionStarted(ctx context.Context, stack, changeSet string, seen map[string]bool) (bool, error) {
	out, err := c.API.DescribeChangeSet(ctx, &cfn.DescribeChangeSetInput{StackName: stack, ChangeSetName: changeSet})
	switch {
	case err == nil:
		switch out.ExecutionStatus {
		case cfn.ExecutionStatusExecuteInProgress, cfn.ExecutionStatusExecuteComplete, cfn.ExecutionStatusExecuteFailed:
			return true, nil
		}
		return false, nil
	case !isNotFound(err):
		return false, err
	}
	st, err := c.DescribeStack(ctx, stack)
	if err != nil || st == nil {
		return false, err
	}
	if strings.HasSuffix(st.Status, "_IN_PROGRESS") && st.Status != cfn.StackStatusReviewInProgress {
		return true, nil
	}
	fresh, err := c.eventsSince(ctx, stack, maps.Clone(seen))
	return len(fresh) > 0, err
}

func (c *Client) watch(ctx context.Context, stack string, seen map[string]bool, onEvent func(Event)) (Outcome, error) {
	var out Outcome
	follow := func() error {
		events, err := c.eventsSince(ctx, stack, seen)
		for _, e := range events {
			out.Events++
			if e.Failed() && out.FirstFailure == nil {
				first := e
				out.FirstFailure = &first
			}
			onEvent(e)
		}
		return err
	}
	err := c.wait(ctx, "stack "+stack, func() (bool, error) {
		if err := follow(); err != nil {
			return false, err
		}
		st, err := c.DescribeStack(ctx, stack)
		if err != nil {
			return false, err
		}
		if st == nil {
			out.Status = "DELETE_COMPLETE"
			return true, nil
		}
		out.Status = st.Status
		// Until the operation's first event arrives, the status may still
		// be the one from before ExecuteChangeSet (UPDATE_COMPLETE, or
		// REVIEW_IN_PROGRESS for a new stack).
		if out.Events == 0 || !settled(st.Status) {
			return false, nil
		}
		err = follow() // the events that came with the final status
		if out.FirstFailure == nil && !out.Succeeded() && st.StatusReason != "" {
			out.FirstFailure = &Event{LogicalID: stack, Type: "AWS::CloudFormation::Stack", Status: st.Status, Reason: st.StatusReason}
		}
		return true, err
	})
	return out, err
}

// settled reports a status that ends an operation.
func settled(status string) bool { return !strings.HasSuffix(status, "_IN_PROGRESS") }

// eventsSince returns the stack's events not yet seen, oldest first, and
// marks them seen. DescribeStackEvents lists newest first, in pages, so it
// stops at the first page that reaches a seen event.
func (c *Client) eventsSince(ctx context.Context, stack string, seen map[string]bool) ([]Event, error) {
	in := &cfn.DescribeStackEventsInput{StackName: stack}
	var fresh []Event
	for {
		out, err := c.API.DescribeStackEvents(ctx, in)
		if err != nil {
			return nil, c.failed("read the events of stack "+stack, err)
		}
		old := false
		for _, e := range out.StackEvents {
			t := e.Timestamp
			id := e.EventId
			if seen[id] {
				old = true
				continue
			}
			seen[id] = true
			fresh = append(fresh, Event{ID: id, Time: t, LogicalID: e.LogicalResourceId, Type: e.ResourceType,
				Status: e.ResourceStatus, Reason: e.ResourceStatusReason})
		}
		if old || out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	slices.Reverse(fresh)
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].Time.Before(fresh[j].Time) })
	return fresh, nil
}
