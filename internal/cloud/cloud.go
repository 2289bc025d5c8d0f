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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// API is the part of the CloudFormation API formwork calls.
// *cloudformation.Client implements it.
type API interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	CreateChangeSet(context.Context, *cloudformation.CreateChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error)
	DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error)
	ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error)
	DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error)
	ListChangeSets(context.Context, *cloudformation.ListChangeSetsInput, ...func(*cloudformation.Options)) (*cloudformation.ListChangeSetsOutput, error)
	DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error)
	GetTemplate(context.Context, *cloudformation.GetTemplateInput, ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error)
	DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error)
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
type Options struct {
	Region  string // "" = AWS_REGION, then the profile's region
	Profile string // "" = AWS_PROFILE, then default
	// Timeout bounds each call, its retries included; 0 is
	// DefaultCallTimeout.
	Timeout time.Duration
}

// New loads the standard AWS configuration (environment, shared config and
// credentials files, SSO, instance roles; AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_CLOUDFORMATION for an emulator) and returns a client.
func New(ctx context.Context, o Options) (*Client, error) {
	cfg, err := Config(ctx, o.Region, o.Profile, o.Timeout)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, errors.New("no AWS region: pass --region, set AWS_REGION, or give the environment a region")
	}
	identity := sts.NewFromConfig(cfg)
	account := func(ctx context.Context) (string, error) {
		out, err := identity.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			var stalled *StalledError
			if errors.As(err, &stalled) {
				return "", fmt.Errorf("cannot tell which account the AWS credentials are for: %w", stalled)
			}
			return "", fmt.Errorf("cannot tell which account the AWS credentials are for: %s (check aws sts get-caller-identity)", oneLine(apiMessage(err)))
		}
		return aws.ToString(out.Account), nil
	}
	return &Client{API: cloudformation.NewFromConfig(cfg), Region: cfg.Region, Poll: 2 * time.Second, Timeout: 30 * time.Minute,
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
}

// Exists reports whether the stack holds resources: a stack that only
// holds change sets (REVIEW_IN_PROGRESS) is created by its first one.
func (s *Stack) Exists() bool {
	return s != nil && s.Status != string(types.StackStatusReviewInProgress)
}

// DescribeStack returns the stack, or nil when there is none of that name.
func (c *Client) DescribeStack(ctx context.Context, name string) (*Stack, error) {
	out, err := c.API.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &name})
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
	if s.StackStatus == types.StackStatusDeleteComplete {
		return nil, nil
	}
	st := &Stack{Name: aws.ToString(s.StackName), ID: aws.ToString(s.StackId), Status: string(s.StackStatus),
		StatusReason: aws.ToString(s.StackStatusReason), Parameters: map[string]string{}}
	for _, p := range s.Parameters {
		st.Parameters[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	if len(s.Tags) > 0 {
		st.Tags = map[string]string{}
		for _, t := range s.Tags {
			st.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	return st, nil
}

// DeployedTemplate returns the template the stack runs now.
func (c *Client) DeployedTemplate(ctx context.Context, stack string) ([]byte, error) {
	out, err := c.API.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: &stack, TemplateStage: types.TemplateStageOriginal})
	if isNotFound(err) {
		return nil, fmt.Errorf("stack %s does not exist in %s: check the name and region (aws cloudformation list-stacks)", stack, c.Region)
	}
	if err != nil {
		return nil, c.failed("read the template of stack "+stack, err)
	}
	return []byte(aws.ToString(out.TemplateBody)), nil
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
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	return api.ErrorCode() == "ChangeSetNotFound" || strings.Contains(api.ErrorMessage(), "does not exist")
}

// apiMessage is the service's own message, without the SDK's wrapping.
func apiMessage(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorMessage() != "" {
		return api.ErrorCode() + ": " + api.ErrorMessage()
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
