package cloud

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
)

// ChangeSet is a described change set: what CloudFormation will do.
type ChangeSet struct {
	StackName, StackID      string
	Name, ID, Description   string
	Status, ExecutionStatus string
	StatusReason            string
	Parameters              map[string]string
	Tags                    map[string]string
	Changes                 []Change
}

// Change is one resource CloudFormation adds, modifies, removes or imports.
type Change struct {
	Action     string // Add, Modify, Remove, Import, Dynamic
	LogicalID  string
	PhysicalID string
	Type       string
	// Replacement is CloudFormation's verdict for a Modify: True,
	// Conditional or False ("" when it says nothing, as moto).
	Replacement string
	Scope       []string // Properties, Metadata, Tags, ...
	Details     []Detail
}

// Detail is one cause of a change.
type Detail struct {
	Attribute          string // Properties, Tags, ...
	Name               string // the property, e.g. BucketName
	RequiresRecreation string // Never, Conditionally, Always
	ChangeSource       string // DirectModification, ParameterReference, ResourceReference, ResourceAttribute, Automatic
	CausingEntity      string // the parameter or resource behind the change
	Evaluation         string // Static, Dynamic
}

// Failed reports a change set CloudFormation could not make.
func (cs ChangeSet) Failed() bool { return cs.Status == cfn.ChangeSetStatusFailed }

// NoChanges reports a change set that failed only because the template and
// parameters change nothing, which is how CloudFormation says "no changes".
func (cs ChangeSet) NoChanges() bool {
	if !cs.Failed() {
		return false
	}
	r := cs.StatusReason
	return strings.Contains(r, "didn't contain changes") || strings.Contains(r, "No updates are to be performed")
}

// ChangeSetRequest is what formwork asks CloudFormation to plan.
type ChangeSetRequest struct {
	Stack, Name, Description string
	Body                     []byte
	Parameters               []Parameter // in the template's order
	Tags                     map[string]string
	Capabilities             []string
	// Create makes the change set create the stack (it does not exist yet).
	Create bool
	// RoleARN is the role CloudFormation deploys with; "" keeps the
	// stack's role, or the caller's credentials.
	RoleARN string
}

// Parameter is a value passed to the stack.
type Parameter struct{ Key, Value string }

// CreateChangeSet makes the change set, waits until CloudFormation has
// computed it, and returns it described. A change set that fails (no
// changes, or a template CloudFormation rejects) is returned, not an error:
// look at Failed and NoChanges. A change set of the same name, left by an
// earlier plan, is replaced.
func (c *Client) CreateChangeSet(ctx context.Context, req ChangeSetRequest) (ChangeSet, error) {
	if err := c.deleteIfPresent(ctx, req.Stack, req.Name); err != nil {
		return ChangeSet{}, err
	}
	in := &cfn.CreateChangeSetInput{
		StackName:     req.Stack,
		ChangeSetName: req.Name,
		Description:   req.Description,
		TemplateBody:  string(req.Body),
		ChangeSetType: cfn.ChangeSetTypeUpdate,
		RoleARN:       req.RoleARN,
		Capabilities:  req.Capabilities,
	}
	if req.Create {
		in.ChangeSetType = cfn.ChangeSetTypeCreate
	}
	for _, p := range req.Parameters {
		in.Parameters = append(in.Parameters, cfn.Parameter{ParameterKey: p.Key, ParameterValue: p.Value})
	}
	for _, k := range slices.Sorted(maps.Keys(req.Tags)) {
		in.Tags = append(in.Tags, cfn.Tag{Key: k, Value: req.Tags[k]})
	}
	if _, err := c.API.CreateChangeSet(ctx, in); err != nil {
		if strings.Contains(apiMessage(err), "No updates are to be performed") {
			// moto refuses an empty change set at once, where CloudFormation
			// makes a FAILED one.
			return ChangeSet{StackName: req.Stack, Name: req.Name, Status: cfn.ChangeSetStatusFailed,
				StatusReason: "The submitted information didn't contain changes. (No updates are to be performed.)"}, nil
		}
		return ChangeSet{}, c.failed("create change set "+req.Name+" for stack "+req.Stack, err)
	}
	var cs ChangeSet
	err := c.wait(ctx, "change set "+req.Name, func() (bool, error) {
		var err error
		cs, err = c.DescribeChangeSet(ctx, req.Stack, req.Name)
		if err != nil {
			return false, err
		}
		switch cs.Status {
		case cfn.ChangeSetStatusCreateComplete, cfn.ChangeSetStatusFailed:
			return true, nil
		}
		return false, nil
	})
	return cs, err
}

func (c *Client) deleteIfPresent(ctx context.Context, stack, name string) error {
	_, err := c.API.DescribeChangeSet(ctx, &cfn.DescribeChangeSetInput{StackName: stack, ChangeSetName: name})
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return c.failed("look for change set "+name, err)
	}
	return c.DeleteChangeSet(ctx, stack, name)
}

// DescribeChangeSet reads a change set, every page of its changes.
func (c *Client) DescribeChangeSet(ctx context.Context, stack, name string) (ChangeSet, error) {
	in := &cfn.DescribeChangeSetInput{StackName: stack, ChangeSetName: name}
	var cs ChangeSet
	for page := 0; ; page++ {
		out, err := c.API.DescribeChangeSet(ctx, in)
		if isNotFound(err) {
			return ChangeSet{}, fmt.Errorf("stack %s has no change set %s in %s: run formwork plan --keep first", stack, name, c.Region)
		}
		if err != nil {
			return ChangeSet{}, c.failed("describe change set "+name, err)
		}
		if page == 0 {
			cs = fromOutput(out)
		} else {
			cs.Changes = append(cs.Changes, changesOf(out.Changes)...)
		}
		if out.NextToken == "" {
			return cs, nil
		}
		in.NextToken = out.NextToken
	}
}

// FromOutput converts one DescribeChangeSet response (a recorded one, in
// tests) into a ChangeSet.
func FromOutput(out *cfn.DescribeChangeSetOutput) ChangeSet { return fromOutput(out) }

func fromOutput(out *cfn.DescribeChangeSetOutput) ChangeSet {
	cs := ChangeSet{
		StackName: out.StackName, StackID: out.StackId,
		Name: out.ChangeSetName, ID: out.ChangeSetId, Description: out.Description,
		Status: out.Status, ExecutionStatus: out.ExecutionStatus, StatusReason: out.StatusReason,
		Parameters: map[string]string{}, Tags: map[string]string{}, Changes: changesOf(out.Changes),
	}
	for _, t := range out.Tags {
		cs.Tags[t.Key] = t.Value
	}
	for _, p := range out.Parameters {
		cs.Parameters[p.ParameterKey] = p.ParameterValue
	}
	return cs
}

func changesOf(list []cfn.Change) []Change {
	out := make([]Change, 0, len(list))
	for _, ch := range list {
		rc := ch.ResourceChange
		if rc == nil {
			continue
		}
		c := Change{Action: rc.Action, LogicalID: rc.LogicalResourceId, PhysicalID: rc.PhysicalResourceId,
			Type: rc.ResourceType, Replacement: rc.Replacement, Scope: rc.Scope}
		for _, d := range rc.Details {
			det := Detail{ChangeSource: d.ChangeSource, CausingEntity: d.CausingEntity, Evaluation: d.Evaluation}
			if t := d.Target; t != nil {
				det.Attribute, det.Name, det.RequiresRecreation = t.Attribute, t.Name, t.RequiresRecreation
			}
			c.Details = append(c.Details, det)
		}
		out = append(out, c)
	}
	return out
}

// DeleteChangeSet deletes one change set. A failed call after which the
// change set is gone all the same (an endpoint answering 500 for a change
// set it deleted or never made, as moto does) is a success.
func (c *Client) DeleteChangeSet(ctx context.Context, stack, name string) error {
	_, err := c.API.DeleteChangeSet(ctx, &cfn.DeleteChangeSetInput{StackName: stack, ChangeSetName: name})
	if err == nil || isNotFound(err) {
		return nil
	}
	if _, describeErr := c.API.DescribeChangeSet(ctx, &cfn.DescribeChangeSetInput{StackName: stack, ChangeSetName: name}); isNotFound(describeErr) {
		return nil
	}
	return c.failed("delete change set "+name, err)
}

// Abandon deletes a change set nobody will execute and, when it was the
// last change set of a stack that does not exist yet, the empty
// REVIEW_IN_PROGRESS stack CloudFormation made to hold it, so an abandoned
// plan leaves nothing behind.
func (c *Client) Abandon(ctx context.Context, stack, name string) error {
	if err := c.DeleteChangeSet(ctx, stack, name); err != nil {
		return err
	}
	st, err := c.DescribeStack(ctx, stack)
	if err != nil || st == nil || st.Exists() {
		return err
	}
	// Another kept plan of the new stack keeps it.
	others, err := c.API.ListChangeSets(ctx, &cfn.ListChangeSetsInput{StackName: stack})
	if err != nil {
		return c.failed("list the change sets of stack "+stack, err)
	}
	if len(others.Summaries) > 0 {
		return nil
	}
	if _, err := c.API.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: stack}); err != nil {
		return c.failed("delete the empty stack "+stack+" the plan made", err)
	}
	return c.wait(ctx, "stack "+stack+" to be deleted", func() (bool, error) {
		st, err := c.DescribeStack(ctx, stack)
		return st == nil, err
	})
}

// Execute starts the change set.
func (c *Client) Execute(ctx context.Context, stack, name string) error {
	_, err := c.API.ExecuteChangeSet(ctx, &cfn.ExecuteChangeSetInput{StackName: stack, ChangeSetName: name})
	if err != nil {
		return c.failed("execute change set "+name, err)
	}
	return nil
}
