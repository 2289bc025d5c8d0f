// Package cloudfake is a scripted CloudFormation API for tests: each call
// goes to the function the test set for it (recorded responses), and a call
// the test did not expect fails. It records the calls made, in order.
package cloudfake

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/smithy-go"
)

// API implements cloud.API.
type API struct {
	OnDescribeStacks      func(*cloudformation.DescribeStacksInput) (*cloudformation.DescribeStacksOutput, error)
	OnCreateChangeSet     func(*cloudformation.CreateChangeSetInput) (*cloudformation.CreateChangeSetOutput, error)
	OnDescribeChangeSet   func(*cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error)
	OnExecuteChangeSet    func(*cloudformation.ExecuteChangeSetInput) (*cloudformation.ExecuteChangeSetOutput, error)
	OnListChangeSets      func(*cloudformation.ListChangeSetsInput) (*cloudformation.ListChangeSetsOutput, error)
	OnDeleteChangeSet     func(*cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error)
	OnDeleteStack         func(*cloudformation.DeleteStackInput) (*cloudformation.DeleteStackOutput, error)
	OnGetTemplate         func(*cloudformation.GetTemplateInput) (*cloudformation.GetTemplateOutput, error)
	OnDescribeStackEvents func(*cloudformation.DescribeStackEventsInput) (*cloudformation.DescribeStackEventsOutput, error)
	OnListStackResources  func(*cloudformation.ListStackResourcesInput) (*cloudformation.ListStackResourcesOutput, error)

	// Calls lists the operations called, in order.
	Calls []string
}

// NotFound is the error CloudFormation answers for a missing stack.
func NotFound(what string) error {
	return &smithy.GenericAPIError{Code: "ValidationError", Message: what + " does not exist"}
}

func unexpected(op string) error { return fmt.Errorf("cloudfake: unexpected call %s", op) }

// DescribeStacks calls OnDescribeStacks.
func (a *API) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	a.Calls = append(a.Calls, "DescribeStacks")
	if a.OnDescribeStacks == nil {
		return nil, unexpected("DescribeStacks")
	}
	return a.OnDescribeStacks(in)
}

// CreateChangeSet calls OnCreateChangeSet.
func (a *API) CreateChangeSet(_ context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	a.Calls = append(a.Calls, "CreateChangeSet")
	if a.OnCreateChangeSet == nil {
		return nil, unexpected("CreateChangeSet")
	}
	return a.OnCreateChangeSet(in)
}

// DescribeChangeSet calls OnDescribeChangeSet.
func (a *API) DescribeChangeSet(_ context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	a.Calls = append(a.Calls, "DescribeChangeSet")
	if a.OnDescribeChangeSet == nil {
		return nil, unexpected("DescribeChangeSet")
	}
	return a.OnDescribeChangeSet(in)
}

// ExecuteChangeSet calls OnExecuteChangeSet.
func (a *API) ExecuteChangeSet(_ context.Context, in *cloudformation.ExecuteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	a.Calls = append(a.Calls, "ExecuteChangeSet")
	if a.OnExecuteChangeSet == nil {
		return nil, unexpected("ExecuteChangeSet")
	}
	return a.OnExecuteChangeSet(in)
}

// DeleteChangeSet calls OnDeleteChangeSet.
func (a *API) DeleteChangeSet(_ context.Context, in *cloudformation.DeleteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	a.Calls = append(a.Calls, "DeleteChangeSet")
	if a.OnDeleteChangeSet == nil {
		return nil, unexpected("DeleteChangeSet")
	}
	return a.OnDeleteChangeSet(in)
}

// DeleteStack calls OnDeleteStack.
func (a *API) DeleteStack(_ context.Context, in *cloudformation.DeleteStackInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	a.Calls = append(a.Calls, "DeleteStack")
	if a.OnDeleteStack == nil {
		return nil, unexpected("DeleteStack")
	}
	return a.OnDeleteStack(in)
}

// GetTemplate calls OnGetTemplate.
func (a *API) GetTemplate(_ context.Context, in *cloudformation.GetTemplateInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	a.Calls = append(a.Calls, "GetTemplate")
	if a.OnGetTemplate == nil {
		return nil, unexpected("GetTemplate")
	}
	return a.OnGetTemplate(in)
}

// DescribeStackEvents calls OnDescribeStackEvents.
func (a *API) DescribeStackEvents(_ context.Context, in *cloudformation.DescribeStackEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	a.Calls = append(a.Calls, "DescribeStackEvents")
	if a.OnDescribeStackEvents == nil {
		return nil, unexpected("DescribeStackEvents")
	}
	return a.OnDescribeStackEvents(in)
}

// ListChangeSets calls OnListChangeSets.
func (a *API) ListChangeSets(_ context.Context, in *cloudformation.ListChangeSetsInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListChangeSetsOutput, error) {
	a.Calls = append(a.Calls, "ListChangeSets")
	if a.OnListChangeSets == nil {
		return nil, unexpected("ListChangeSets")
	}
	return a.OnListChangeSets(in)
}

// ListStackResources calls OnListStackResources.
func (a *API) ListStackResources(_ context.Context, in *cloudformation.ListStackResourcesInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error) {
	a.Calls = append(a.Calls, "ListStackResources")
	if a.OnListStackResources == nil {
		return nil, unexpected("ListStackResources")
	}
	return a.OnListStackResources(in)
}
