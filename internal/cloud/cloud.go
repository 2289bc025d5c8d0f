// Package cloud is formwork's whole conversation with AWS CloudFormation:
// change sets (create, wait, describe, execute, delete), the deployed and
// the planned template, stack events. It goes through API, the handful of
// CloudFormation calls it needs, so the commands built on it run in tests
// against recorded responses or moto as well as against AWS.
package cloud

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/formwork-dev/formwork/internal/awsapi"
	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
)

// API is the part of the CloudFormation API formwork calls. *cfn.Client
// implements it.
type API interface {
	DescribeStacks(context.Context, *cfn.DescribeStacksInput) (*cfn.DescribeStacksOutput, error)
	CreateChangeSet(context.Context, *cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error)
	DescribeChangeSet(context.Context, *cfn.DescribeChangeSetInput) (*cfn.DescribeChangeSetOutput, error)
	ExecuteChangeSet(context.Context, *cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error)
	DeleteChangeSet(context.Context, *cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error)
	ListChangeSets(context.Context, *cfn.ListChangeSetsInput) (*cfn.ListChangeSetsOutput, error)
	DeleteStack(context.Context, *cfn.DeleteStackInput) (*cfn.DeleteStackOutput, error)
	GetTemplate(context.Context, *cfn.GetTemplateInput) (*cfn.GetTemplateOutput, error)
	DescribeStackEvents(context.Context, *cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error)
	ListStackResources(context.Context, *cfn.ListStackResourcesInput) (*cfn.ListStackResourcesOutput, error)
}

// Client runs formwork's CloudFormation operations over an API.
type Client struct {
	API API
	// Region the client talks to, for messages.
	Region string
	// Poll is the interval between two status reads while waiting.
	Poll time.Duration
	// Timeout bounds every wait (change set creation, stack operations).
	Timeout time.Duration
	// CallerAccount returns the account of the credentials in use; nil
	// when it cannot be asked (recorded responses).
	CallerAccount func(context.Context) (string, error)
}

// Options choose the credentials and region, as the AWS CLI does.
type Options = awsapi.Options

// New loads the AWS configuration as the AWS CLI does (environment, shared
// config and credentials files, SSO, roles, instance roles;
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_CLOUDFORMATION for an emulator)
// and returns a client.
func New(ctx context.Context, o Options) (*Client, error) {
	aws, err := awsapi.Load(ctx, o)
	if err != nil {
		return nil, err
	}
	if aws.Region == "" {
		return nil, errors.New("no AWS region: pass --region, set AWS_REGION, or give the environment a region")
	}
	account := func(ctx context.Context) (string, error) {
		out, err := aws.CallerIdentity(ctx)
		if err != nil {
			var stalled *StalledError
			if errors.As(err, &stalled) {
				return "", fmt.Errorf("cannot tell which account the AWS credentials are for: %w", stalled)
			}
			return "", fmt.Errorf("cannot tell which account the AWS credentials are for: %s (check aws sts get-caller-identity)", oneLine(apiMessage(err)))
		}
		return out.Account, nil
	}
	return &Client{API: cfn.New(aws), Region: aws.Region, Poll: 2 * time.Second, Timeout: 30 * time.Minute,
		CallerAccount: account}, nil
}

// CheckAccount refuses credentials of another account than want ("" = any).
func (c *Client) CheckAccount(ctx context.Context, want string) error {
	if want == "" || c.CallerAccount == nil {
		return nil
	}
	have, err := c.CallerAccount(ctx)
	if err != nil {
		return err
	}
	if have != want {
		return fmt.Errorf("the AWS credentials are for account %s, the environment deploys to %s: use credentials (or --profile) for %s", have, want, want)
	}
	return nil
}

// Stack is what formwork reads of a deployed stack.
type Stack struct {
	Name, ID, Status, StatusReason string
	Parameters                     map[string]string
	Tags                           map[string]string
	Outputs                        map[string]string
	// DriftStatus is the result of the last drift detection: DRIFTED,
	// IN_SYNC, NOT_CHECKED or UNKNOWN ("" when not reported).
	DriftStatus string
}

// Exists reports whether the stack holds resources: a stack that only
// holds change sets (REVIEW_IN_PROGRESS) is created by its first one.
func (s *Stack) Exists() bool {
	return s != nil && s.Status != cfn.StackStatusReviewInProgress
}

// DescribeStack returns the stack, or nil when there is none of that name.
func (c *Client) DescribeStack(ctx context.Context, name string) (*Stack, error) {
	out, err := c.API.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: name})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, c.failed("describe stack "+name, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	s := out.Stacks[0]
	if s.StackStatus == cfn.StackStatusDeleteComplete {
		return nil, nil
	}
	st := &Stack{Name: s.StackName, ID: s.StackId, Status: s.StackStatus,
		StatusReason: s.StackStatusReason, Parameters: map[string]string{}, Outputs: map[string]string{}}
	for _, p := range s.Parameters {
		st.Parameters[p.ParameterKey] = p.ParameterValue
	}
	for _, o := range s.Outputs {
		st.Outputs[o.OutputKey] = o.OutputValue
	}
	if d := s.DriftInformation; d != nil {
		st.DriftStatus = d.StackDriftStatus
	}
	if len(s.Tags) > 0 {
		st.Tags = map[string]string{}
		for _, t := range s.Tags {
			st.Tags[t.Key] = t.Value
		}
	}
	return st, nil
}

// DeployedTemplate returns the template the stack runs now.
func (c *Client) DeployedTemplate(ctx context.Context, stack string) ([]byte, error) {
	out, err := c.API.GetTemplate(ctx, &cfn.GetTemplateInput{StackName: stack, TemplateStage: cfn.TemplateStageOriginal})
	if isNotFound(err) {
		return nil, fmt.Errorf("stack %s does not exist in %s: check the name and region (aws cloudformation list-stacks)", stack, c.Region)
	}
	if err != nil {
		return nil, c.failed("read the template of stack "+stack, err)
	}
	return []byte(out.TemplateBody), nil
}

func (c *Client) failed(what string, err error) error {
	var stalled *StalledError
	if errors.As(err, &stalled) {
		return fmt.Errorf("cannot %s in %s: %w", what, c.Region, stalled)
	}
	return fmt.Errorf("cannot %s in %s: %s", what, c.Region, oneLine(apiMessage(err)))
}

// isNotFound reports CloudFormation's answer for a stack or change set that
// does not exist: a ValidationError "... does not exist", or
// ChangeSetNotFound.
func isNotFound(err error) bool {
	api := awsapi.AsError(err)
	if api == nil {
		return false
	}
	return api.Code == "ChangeSetNotFound" || strings.Contains(api.Message, "does not exist")
}

// apiMessage is the service's code and message, or the error as it is.
func apiMessage(err error) string {
	if api := awsapi.AsError(err); api != nil && api.Message != "" {
		return api.Code + ": " + api.Message
	}
	return err.Error()
}

func oneLine(v any) string {
	return strings.Join(strings.Fields(fmt.Sprint(v)), " ")
}

// wait calls done every Poll until it reports true or fails, within Timeout.
func (c *Client) wait(ctx context.Context, what string, done func() (bool, error)) error {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 30 * time.Minute
	}
	deadline := time.Now().Add(timeout)
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("gave up waiting for %s after %s: look at it in the CloudFormation console", what, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(c.Poll):
		}
	}
}
