package cfn

import (
	"context"
	"net/url"
	"strconv"

	"github.com/formwork-dev/formwork/internal/awsapi"
)

// version is the CloudFormation API version of the Query protocol.
const version = "2010-05-15"

// Client calls CloudFormation through an awsapi.Client.
type Client struct{ AWS *awsapi.Client }

// New is a CloudFormation client.
func New(aws *awsapi.Client) *Client { return &Client{AWS: aws} }

func call[T any](ctx context.Context, c *Client, action string, params url.Values) (*T, error) {
	out := new(T)
	if err := c.AWS.Query(ctx, awsapi.CloudFormation, version, action, params, out); err != nil {
		return nil, err
	}
	return out, nil
}

// form is a Query request's parameters; empty values are left out.
type form url.Values

func (f form) set(key, value string) form {
	if value != "" {
		f[key] = []string{value}
	}
	return f
}

// member sets field of the i-th (from 0) member of list: List.member.N.Field,
// or List.member.N for a list of strings. Values travel as written, empty
// ones too (an empty parameter value is a value).
func (f form) member(list string, i int, field, value string) {
	key := list + ".member." + strconv.Itoa(i+1)
	if field != "" {
		key += "." + field
	}
	f[key] = []string{value}
}

func stackForm(stack, next string) url.Values {
	return url.Values(form{}.set("StackName", stack).set("NextToken", next))
}

// DescribeStacks describes a stack.
func (c *Client) DescribeStacks(ctx context.Context, in *DescribeStacksInput) (*DescribeStacksOutput, error) {
	return call[DescribeStacksOutput](ctx, c, "DescribeStacks", stackForm(in.StackName, in.NextToken))
}

// CreateChangeSet makes a change set.
func (c *Client) CreateChangeSet(ctx context.Context, in *CreateChangeSetInput) (*CreateChangeSetOutput, error) {
	f := form{}.set("StackName", in.StackName).set("ChangeSetName", in.ChangeSetName).set("Description", in.Description).
		set("TemplateBody", in.TemplateBody).set("ChangeSetType", in.ChangeSetType).set("RoleARN", in.RoleARN)
	for i, p := range in.Parameters {
		f.member("Parameters", i, "ParameterKey", p.ParameterKey)
		f.member("Parameters", i, "ParameterValue", p.ParameterValue)
	}
	for i, t := range in.Tags {
		f.member("Tags", i, "Key", t.Key)
		f.member("Tags", i, "Value", t.Value)
	}
	for i, cap := range in.Capabilities {
		f.member("Capabilities", i, "", cap)
	}
	return call[CreateChangeSetOutput](ctx, c, "CreateChangeSet", url.Values(f))
}

func changeSetForm(stack, name, next string) url.Values {
	return url.Values(form{}.set("StackName", stack).set("ChangeSetName", name).set("NextToken", next))
}

// DescribeChangeSet reads one page of a change set.
func (c *Client) DescribeChangeSet(ctx context.Context, in *DescribeChangeSetInput) (*DescribeChangeSetOutput, error) {
	return call[DescribeChangeSetOutput](ctx, c, "DescribeChangeSet", changeSetForm(in.StackName, in.ChangeSetName, in.NextToken))
}

// ExecuteChangeSet starts a change set.
func (c *Client) ExecuteChangeSet(ctx context.Context, in *ExecuteChangeSetInput) (*ExecuteChangeSetOutput, error) {
	return call[ExecuteChangeSetOutput](ctx, c, "ExecuteChangeSet", changeSetForm(in.StackName, in.ChangeSetName, ""))
}

// DeleteChangeSet deletes a change set.
func (c *Client) DeleteChangeSet(ctx context.Context, in *DeleteChangeSetInput) (*DeleteChangeSetOutput, error) {
	return call[DeleteChangeSetOutput](ctx, c, "DeleteChangeSet", changeSetForm(in.StackName, in.ChangeSetName, ""))
}

// ListChangeSets lists a page of a stack's change sets.
func (c *Client) ListChangeSets(ctx context.Context, in *ListChangeSetsInput) (*ListChangeSetsOutput, error) {
	return call[ListChangeSetsOutput](ctx, c, "ListChangeSets", stackForm(in.StackName, in.NextToken))
}

// DeleteStack deletes a stack.
func (c *Client) DeleteStack(ctx context.Context, in *DeleteStackInput) (*DeleteStackOutput, error) {
	return call[DeleteStackOutput](ctx, c, "DeleteStack", stackForm(in.StackName, ""))
}

// GetTemplate reads a stack's (or a change set's) template.
func (c *Client) GetTemplate(ctx context.Context, in *GetTemplateInput) (*GetTemplateOutput, error) {
	f := form{}.set("StackName", in.StackName).set("ChangeSetName", in.ChangeSetName).set("TemplateStage", in.TemplateStage)
	return call[GetTemplateOutput](ctx, c, "GetTemplate", url.Values(f))
}

// DescribeStackEvents reads a page of a stack's events.
func (c *Client) DescribeStackEvents(ctx context.Context, in *DescribeStackEventsInput) (*DescribeStackEventsOutput, error) {
	return call[DescribeStackEventsOutput](ctx, c, "DescribeStackEvents", stackForm(in.StackName, in.NextToken))
}

// ListStackResources reads a page of a stack's resources.
func (c *Client) ListStackResources(ctx context.Context, in *ListStackResourcesInput) (*ListStackResourcesOutput, error) {
	return call[ListStackResourcesOutput](ctx, c, "ListStackResources", stackForm(in.StackName, in.NextToken))
}
