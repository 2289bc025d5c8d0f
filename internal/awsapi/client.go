// Package awsapi is formwork's wire to AWS: the configuration as the AWS
// CLI resolves it (profile, region, endpoints), the standard credential
// chain, and one HTTP transport that signs (SigV4), retries as the SDK's
// standard retryer does and puts a deadline on every call. The calls
// themselves (CloudFormation, S3, STS, SSO) build Requests for it.
package awsapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// DefaultCallTimeout bounds one AWS call, its retries included, when
// neither --timeout nor FORMWORK_AWS_TIMEOUT says otherwise: CloudFormation
// answers in well under a second, so a minute is a stalled endpoint.
const DefaultCallTimeout = 60 * time.Second

// TimeoutVariable is the environment variable that sets the deadline of
// every AWS call, as --timeout does.
const TimeoutVariable = "FORMWORK_AWS_TIMEOUT"

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

// Retryer decides whether and when a failed attempt is tried again;
// *retry.Standard (3 attempts, jittered exponential backoff; throttling
// codes, 5xx and connection errors; a retry quota shared by the client's
// calls) is the default.
type Retryer interface {
	MaxAttempts() int
	IsErrorRetryable(error) bool
	RetryDelay(attempt int, err error) (time.Duration, error)
	// GetRetryToken takes a retry from the quota; release gives it back
	// when the retry succeeds.
	GetRetryToken(ctx context.Context, err error) (release func(error) error, quotaErr error)
}

// Client calls AWS services in one region with one set of credentials.
type Client struct {
	Region      string
	Credentials aws.CredentialsProvider
	// Timeout bounds each call, its retries included; 0 is
	// DefaultCallTimeout.
	Timeout time.Duration
	HTTP    *http.Client
	Retryer Retryer

	endpoints endpointSettings
}

// NewClient is a client of the AWS services at their configured (or
// regional) endpoints.
func NewClient(region string, creds aws.CredentialsProvider, timeout time.Duration) *Client {
	return &Client{Region: region, Credentials: creds, Timeout: timeout, HTTP: newHTTPClient(),
		Retryer: retry.NewStandard(), endpoints: endpointSettings{env: osEnv}}
}

// newHTTPClient follows no redirect: AWS answers one (S3's bucket in
// another region) as an error to read, and a signed request cannot be
// replayed to another host.
func newHTTPClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Endpoint is where the client calls service s.
func (c *Client) Endpoint(s Service) (Endpoint, error) { return c.endpoints.resolve(s, c.Region) }

// Request is one call.
type Request struct {
	Service   Service
	Operation string // for messages: DescribeStacks, PutObject
	Method    string
	// Endpoint replaces the service's endpoint (S3's virtual-hosted
	// bucket); nil is Client.Endpoint.
	Endpoint *url.URL
	Path     string // escaped, appended to the endpoint's
	Query    url.Values
	Header   http.Header
	Body     []byte
	// Unsigned sends the request without SigV4 (SSO's bearer token, the
	// OIDC token exchange).
	Unsigned bool
	// Timeout replaces the client's for this call (an upload, whose time
	// grows with its size).
	Timeout time.Duration
}

// Response is a service's successful answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do makes the call: signed, retried, within its deadline. A refused call
// is an *Error; one that got no answer in time a *StalledError.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	timeout := first(req.Timeout, c.Timeout, DefaultCallTimeout)
	base := req.Endpoint
	if base == nil {
		ep, err := c.Endpoint(req.Service)
		if err != nil {
			return nil, err
		}
		base = ep.URL
	}
	stalled := &StalledError{Timeout: timeout, Service: req.Service.ID, Operation: req.Operation,
		Endpoint: (&url.URL{Scheme: base.Scheme, Host: base.Host}).String()}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, stalled)
	defer cancel()
	resp, err := c.withRetries(ctx, req, base)
	if err != nil && errors.Is(context.Cause(ctx), errStalled) {
		return nil, stalled
	}
	return resp, err
}

func (c *Client) withRetries(ctx context.Context, req *Request, base *url.URL) (*Response, error) {
	r := c.Retryer
	if r == nil {
		r = retry.NewStandard()
	}
	release := func(error) error { return nil }
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, req, base)
		release(err)
		if err == nil || ctx.Err() != nil || attempt >= r.MaxAttempts() || !r.IsErrorRetryable(err) {
			return resp, err
		}
		var quotaErr error
		if release, quotaErr = r.GetRetryToken(ctx, err); quotaErr != nil {
			return nil, err // too many retries lately: the answer stands
		}
		delay, derr := r.RetryDelay(attempt, err)
		if derr != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(delay):
		}
	}
}

func (c *Client) attempt(ctx context.Context, req *Request, base *url.URL) (*Response, error) {
	u, err := url.Parse(strings.TrimSuffix(base.String(), "/") + req.Path)
	if err != nil {
		return nil, fmt.Errorf("cannot make the URL of %s %s: %v", req.Service.ID, req.Operation, err)
	}
	if req.Query != nil {
		u.RawQuery = strings.ReplaceAll(req.Query.Encode(), "+", "%20")
	}
	hr, err := http.NewRequestWithContext(ctx, first(req.Method, http.MethodPost), u.String(), bytes.NewReader(req.Body))
	if err != nil {
		return nil, fmt.Errorf("cannot make the request %s %s: %v", req.Service.ID, req.Operation, err)
	}
	for k, vs := range req.Header {
		hr.Header[k] = vs
	}
	hr.ContentLength = int64(len(req.Body))
	if !req.Unsigned {
		if err := c.sign(ctx, hr, req); err != nil {
			return nil, err
		}
	}
	res, err := c.HTTP.Do(hr)
	if err != nil {
		return nil, &sendError{err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, &sendError{fmt.Errorf("%s %s: the answer broke off: %w", req.Service.ID, req.Operation, err)}
	}
	if res.StatusCode/100 != 2 {
		return nil, decodeError(res.StatusCode, res.Header, body)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: body}, nil
}

func (c *Client) sign(ctx context.Context, hr *http.Request, req *Request) error {
	if c.Credentials == nil {
		return errors.New("no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID, or run aws configure")
	}
	creds, err := c.Credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(req.Body)
	hash := hex.EncodeToString(sum[:])
	s3 := req.Service.Signing == S3.Signing
	if s3 {
		hr.Header.Set("X-Amz-Content-Sha256", hash)
	}
	err = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = s3 }).
		SignHTTP(ctx, creds, hr, hash, req.Service.Signing, c.Region, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("cannot sign the %s %s request: %v", req.Service.ID, req.Operation, err)
	}
	return nil
}

// first is the first of vs that is not the zero value.
func first[T comparable](vs ...T) T {
	var zero T
	for _, v := range vs {
		if v != zero {
			return v
		}
	}
	return zero
}
