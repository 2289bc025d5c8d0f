package awsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

var testKeys = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

// testClient calls srv with no backoff between attempts.
func testClient(t *testing.T, endpoint string) *Client {
	t.Helper()
	c := NewClient("us-east-1", static{testKeys}, 5*time.Second)
	c.endpoints = endpointSettings{env: func(k string) string {
		if k == "AWS_ENDPOINT_URL" {
			return endpoint
		}
		return ""
	}}
	c.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
	return c
}

// answering is a server that answers each call with the next of answers
// (the last one again when they run out) and counts the calls.
func answering(t *testing.T, answers ...func(http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		answers[min(n, len(answers))-1](w)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func status(code int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
}

const throttled = `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>`
const identity = `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/Alice</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`

func TestRetries(t *testing.T) {
	for _, c := range []struct {
		name    string
		answers []func(http.ResponseWriter)
		calls   int32
		code    string // "" = success
	}{
		{"throttling, then success", []func(http.ResponseWriter){status(400, throttled), status(200, identity)}, 2, ""},
		{"5xx, then success", []func(http.ResponseWriter){status(503, ""), status(500, "<Error><Code>InternalFailure</Code></Error>"), status(200, identity)}, 3, ""},
		{"three attempts at most", []func(http.ResponseWriter){status(502, "")}, 3, "BadGateway"},
		{"no retry of a 4xx", []func(http.ResponseWriter){status(403, `<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>`)}, 1, "AccessDenied"},
		{"no retry of a validation error", []func(http.ResponseWriter){status(400, `<ErrorResponse><Error><Code>ValidationError</Code><Message>bad</Message></Error></ErrorResponse>`)}, 1, "ValidationError"},
	} {
		srv, calls := answering(t, c.answers...)
		id, err := testClient(t, srv.URL).CallerIdentity(context.Background())
		if calls.Load() != c.calls {
			t.Errorf("%s: %d calls, want %d", c.name, calls.Load(), c.calls)
		}
		switch api := AsError(err); {
		case c.code == "" && (err != nil || id.Account != "123456789012"):
			t.Errorf("%s: %+v %v", c.name, id, err)
		case c.code != "" && (api == nil || api.Code != c.code):
			t.Errorf("%s: error %#v, want code %s", c.name, err, c.code)
		}
	}
}

// A connection that breaks before an answer is retried.
func TestRetriesAResetConnection(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Write([]byte(identity))
	}))
	defer srv.Close()
	if _, err := testClient(t, srv.URL).CallerIdentity(context.Background()); err != nil || calls.Load() != 2 {
		t.Errorf("%d calls: %v", calls.Load(), err)
	}
}

// A stalled endpoint ends the call at its deadline, retries included, with
// a StalledError naming the endpoint and the operation.
func TestDeadline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	endpoint := "http://" + l.Addr().String()
	c := testClient(t, endpoint)
	c.Timeout = 200 * time.Millisecond
	start := time.Now()
	_, err = c.CallerIdentity(context.Background())
	var stalled *StalledError
	if !errors.As(err, &stalled) || stalled.Endpoint != endpoint || stalled.Operation != "GetCallerIdentity" || stalled.Timeout != c.Timeout {
		t.Fatalf("error %#v", err)
	}
	if !strings.HasPrefix(err.Error(), "no answer from "+endpoint+" to GetCallerIdentity within 200ms: ") {
		t.Errorf("message %q", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %s", took)
	}
	// A request's own deadline (an upload's) replaces the client's.
	_, err = c.Do(context.Background(), &Request{Service: S3, Operation: "PutObject", Method: http.MethodPut, Path: "/b/k", Timeout: 300 * time.Millisecond})
	if !errors.As(err, &stalled) || stalled.Timeout != 300*time.Millisecond || stalled.Service != "S3" {
		t.Errorf("upload deadline: %#v", err)
	}
}

// An interrupted call (Ctrl-C) is the interruption, not a stalled endpoint.
func TestCancelIsNotStalled(t *testing.T) {
	srv, _ := answering(t, func(http.ResponseWriter) { time.Sleep(300 * time.Millisecond) })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := testClient(t, srv.URL).CallerIdentity(ctx)
	var stalled *StalledError
	if err == nil || errors.As(err, &stalled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %#v", err)
	}
}

func TestDecodeError(t *testing.T) {
	for _, c := range []struct {
		status        int
		header        http.Header
		body          string
		code, message string
	}{
		{400, nil, `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id x does not exist</Message></Error><RequestId>id</RequestId></ErrorResponse>`, "ValidationError", "Stack with id x does not exist"},
		{404, nil, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>b</BucketName></Error>`, "NoSuchBucket", "The specified bucket does not exist"},
		{404, nil, "", "NotFound", ""},
		{403, nil, "", "Forbidden", ""},
		{401, http.Header{"X-Amzn-Errortype": {"UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"}}, `{"message":"Session token not found or invalid"}`, "UnauthorizedException", "Session token not found or invalid"},
		{400, nil, `{"error":"invalid_grant","error_description":"Invalid grant provided"}`, "invalid_grant", "Invalid grant provided"},
		{400, nil, `{"__type":"com.amazonaws.sso#InvalidRequestException","message":"bad"}`, "InvalidRequestException", "bad"},
	} {
		h := c.header
		if h == nil {
			h = http.Header{}
		}
		e := decodeError(c.status, h, []byte(c.body))
		if e.Code != c.code || e.Message != c.message || e.Status != c.status {
			t.Errorf("%d %s: %+v, want %s %q", c.status, c.body, e, c.code, c.message)
		}
	}
}

// Requests are signed with SigV4 for the service and region; S3's carry
// the payload's hash.
func TestSigning(t *testing.T) {
	var got http.Header
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, path = r.Header.Clone(), r.URL.EscapedPath()
	}))
	defer srv.Close()
	c := testClient(t, srv.URL)
	c.Region = "eu-west-1"
	if _, err := c.Do(context.Background(), &Request{Service: S3, Operation: "PutObject", Method: http.MethodPut, Path: "/b/formwork/a%20b.zip", Body: []byte("zip")}); err != nil {
		t.Fatal(err)
	}
	auth := got.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/s3/aws4_request") {
		t.Errorf("Authorization %q", auth)
	}
	if got.Get("X-Amz-Content-Sha256") != hashHex("zip") || path != "/b/formwork/a%20b.zip" {
		t.Errorf("content hash %q, path %q", got.Get("X-Amz-Content-Sha256"), path)
	}
	if strings.Contains(auth, testKeys.SecretAccessKey) {
		t.Error("the secret key is sent")
	}
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestQueryValuesUseTheForm(t *testing.T) {
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		form = r.PostForm
	}))
	defer srv.Close()
	err := testClient(t, srv.URL).Query(context.Background(), CloudFormation, "2010-05-15", "DeleteStack", url.Values{"StackName": {"a b+c"}}, nil)
	if err != nil || form.Get("StackName") != "a b+c" || form.Get("Version") != "2010-05-15" || form.Get("Action") != "DeleteStack" {
		t.Errorf("%v %v", form, err)
	}
}

// Retries come out of a quota shared by the client's calls, as in the
// SDK: an endpoint failing everything is not asked three times a call.
func TestRetryQuota(t *testing.T) {
	srv, calls := answering(t, status(500, ""))
	c := testClient(t, srv.URL)
	c.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter, o.RetryCost = ratelimit.NewTokenRateLimit(5), 5
	})
	c.CallerIdentity(context.Background())
	if calls.Load() != 2 {
		t.Errorf("first call: %d attempts, want 2 (one retry in the quota)", calls.Load())
	}
	c.CallerIdentity(context.Background())
	if calls.Load() != 3 {
		t.Errorf("second call: %d attempts in all, want 3 (no retry left)", calls.Load())
	}
}
