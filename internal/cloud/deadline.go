package cloud

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// DefaultCallTimeout bounds one AWS call, its retries included, when
// neither --timeout nor FORMWORK_AWS_TIMEOUT says otherwise: CloudFormation
// answers in well under a second, so a minute is a stalled endpoint.
const DefaultCallTimeout = 60 * time.Second

// TimeoutVariable is the environment variable that sets the deadline of
// every AWS call, as --timeout does.
const TimeoutVariable = "FORMWORK_AWS_TIMEOUT"

// deadlineID names the middleware that puts the deadline on each call.
const deadlineID = "FormworkCallDeadline"

// CallTimeout is flag if set, else FORMWORK_AWS_TIMEOUT, else the default.
func CallTimeout(flag time.Duration) (time.Duration, error) {
	if flag > 0 {
		return flag, nil
	}
	v := os.Getenv(TimeoutVariable)
	if v == "" {
		return DefaultCallTimeout, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a duration: write e.g. 30s or 2m", TimeoutVariable, v)
	}
	return d, nil
}

// Config loads the standard AWS configuration (environment, shared config
// and credentials files, SSO, instance roles; AWS_ENDPOINT_URL for an
// emulator) with a deadline on every call made through it: region and
// profile win when not "".
func Config(ctx context.Context, region, profile string, timeout time.Duration) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, fmt.Errorf("cannot load the AWS configuration: %v", oneLine(err))
	}
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	cfg.APIOptions = append(cfg.APIOptions, WithDeadline(timeout))
	return cfg, nil
}

// WithDeadline bounds each call made by a client, every attempt and retry
// of it, to d. A call that runs out of time fails with a *StalledError
// naming the endpoint it asked.
func WithDeadline(d time.Duration) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		deadline := middleware.InitializeMiddlewareFunc(deadlineID, func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			ctx, cancel := context.WithTimeoutCause(ctx, d, &StalledError{Timeout: d})
			defer cancel()
			asked := new(string)
			out, md, err := next.HandleInitialize(middleware.WithStackValue(ctx, endpointKey{}, asked), in)
			if err != nil && errors.Is(context.Cause(ctx), errStalled) {
				return out, md, &StalledError{Timeout: d, Operation: middleware.GetOperationName(ctx), Service: middleware.GetServiceID(ctx), Endpoint: *asked}
			}
			return out, md, err
		})
		record := middleware.FinalizeMiddlewareFunc(deadlineID+"Endpoint", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok && req.URL != nil {
				if asked, ok := middleware.GetStackValue(ctx, endpointKey{}).(*string); ok {
					u := *req.URL
					u.RawQuery, u.Path = "", ""
					*asked = u.String()
				}
			}
			return next.HandleFinalize(ctx, in)
		})
		if err := s.Initialize.Add(deadline, middleware.After); err != nil {
			return err
		}
		return s.Finalize.Add(record, middleware.After)
	}
}

type endpointKey struct{}

// WithoutDeadline removes the per-call deadline, for a call that has its
// own (an upload, whose time grows with its size).
func WithoutDeadline(s *middleware.Stack) error {
	if _, err := s.Initialize.Remove(deadlineID); err != nil {
		return err
	}
	_, err := s.Finalize.Remove(deadlineID + "Endpoint")
	return err
}

var errStalled = errors.New("stalled")

// StalledError is an AWS call that got no answer within its deadline.
type StalledError struct {
	Timeout            time.Duration
	Service, Operation string
	Endpoint           string // the URL asked, when known
}

func (e *StalledError) Error() string {
	where := e.Endpoint
	if where == "" {
		where = "the " + e.Service + " endpoint"
	}
	return fmt.Sprintf("no answer from %s to %s within %s: check the network (proxy, VPN, AWS_ENDPOINT_URL), then retry, or allow more time with --timeout or %s",
		where, e.Operation, e.Timeout, TimeoutVariable)
}

func (e *StalledError) Is(target error) bool { return target == errStalled }
