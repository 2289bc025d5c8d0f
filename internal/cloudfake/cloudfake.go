// Package cloudfake is a scripted CloudFormation API for tests: each call
// goes to the function the test set for it (recorded responses), and a call
// the test did not expect fails. It records the calls made, in order.
package cloudfake

import (
	"context"
	"fmt"

	"github.com/formwork-dev/formwork/internal/awsapi"
	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
)

// API implements cloud.API.
type API struct {
	OnDescribeStacks      func(*cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error)
	OnCreateChangeSet     func(*cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error)
	OnDescribeChangeSet   func(*cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error)
	OnExecuteChangeSet    func(*cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error)
	OnListChangeSets      func(*cfn.ListChangeSetsInput) (*cfn.ListChangeSetsOutput, error)
	OnDeleteChangeSet     func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error)
	OnDeleteStack         func(*cfn.DeleteStackInput) (*cfn.DeleteStackOutput, error)
	OnGetTemplate         func(*cfn.GetTemplateInput) (*cfn.GetTemplateOutput, error)
	OnDescribeStackEvents func(*cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error)
	OnListStackResources  func(*cfn.ListStackResourcesInput) (*cfn.ListStackResourcesOutput, error)

	// Calls lists the operations called, in order.
	Calls []string
}

// NotFound is the error CloudFormation answers for a missing stack.
func NotFound(what string) error {
	return &awsapi.Error{Code: "ValidationError", Message: what + " does not exist", Status: 400}
}

func unexpected(op string) error { return fmt.Errorf("cloudfake: unexpected call %s", op) }

// DescribeStacks calls OnDescribeStacks.
func (a *API) DescribeStacks(_ context.Context, in *cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error) {
	a.Calls = append(a.Calls, "DescribeStacks")
	if a.OnDescribeStacks == nil {
		return nil, unexpected("DescribeStacks")
	}
	return a.OnDescribeStacks(in)
}

// CreateChangeSet calls OnCreateChangeSet.
func (a *API) CreateChangeSet(_ context.Context, in *cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error) {
	a.Calls = append(a.Calls, "CreateChangeSet")
	if a.OnCreateChangeSet == nil {
		return nil, unexpected("CreateChangeSet")
	}
	return a.OnCreateChangeSet(in)
}

// DescribeChangeSet calls OnDescribeChangeSet.
func (a *API) DescribeChangeSet(_ context.Context, in *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error) {
	a.Calls = append(a.Calls, "DescribeChangeSet")
	if a.OnDescribeChangeSet == nil {
		return nil, unexpected("DescribeChangeSet")
	}
	return a.OnDescribeChangeSet(in)
}

// ExecuteChangeSet calls OnExecuteChangeSet.
func (a *API) ExecuteChangeSet(_ context.Context, in *cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
	a.Calls = append(a.Calls, "ExecuteChangeSet")
	if a.OnExecuteChangeSet == nil {
		return nil, unexpected("ExecuteChangeSet")
	}
	return a.OnExecuteChangeSet(in)
}

// DeleteChangeSet calls OnDeleteChangeSet.
func (a *API) DeleteChangeSet(_ context.Context, in *cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
	a.Calls = append(a.Calls, "DeleteChangeSet")
	if a.OnDeleteChangeSet == nil {
		return nil, unexpected("DeleteChangeSet")
	}
	return a.OnDeleteChangeSet(in)
}

// DeleteStack calls OnDeleteStack.
func (a *API) DeleteStack(_ context.Context, in *cfn.DeleteStackInput) (*cfn.DeleteStackOutput, error) {
	a.Calls = append(a.Calls, "DeleteStack")
	if a.OnDeleteStack == nil {
		return nil, unexpected("DeleteStack")
	}
	return a.OnDeleteStack(in)
}

// GetTemplate calls OnGetTemplate.
func (a *API) GetTemplate(_ context.Context, in *cfn.GetTemplateInput) (*cfn.GetTemplateOutput, error) {
	a.Calls = append(a.Calls, "GetTemplate")
	if a.OnGetTemplate == nil {
		return nil, unexpected("GetTemplate")
	}
	return a.OnGetTemplate(in)
}

// DescribeStackEvents calls OnDescribeStackEvents.
func (a *API) DescribeStackEvents(_ context.Context, in *cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
	a.Calls = append(a.Calls, "DescribeStackEvents")
	if a.OnDescribeStackEvents == nil {
		return nil, unexpected("DescribeStackEvents")
	}
	return a.OnDescribeStackEvents(in)
}

// ListChangeSets calls OnListChangeSets.
func (a *API) ListChangeSets(_ context.Context, in *cfn.ListChangeSetsInput) (*cfn.ListChangeSetsOutput, error) {
	a.Calls = append(a.Calls, "ListChangeSets")
	if a.OnListChangeSets == nil {
		return nil, unexpected("ListChangeSets")
	}
	return a.OnListChangeSets(in)
}

// ListStackResources calls OnListStackResources.
func (a *API) ListStackResources(_ context.Context, in *cfn.ListStackResourcesInput) (*cfn.ListStackResourcesOutput, error) {
	a.Calls = append(a.Calls, "ListStackResources")
	if a.OnListStackResources == nil {
		return nil, unexpected("ListStackResources")
	}
	return a.OnListStackResources(in)
}
