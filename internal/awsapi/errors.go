package awsapi

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is a service's answer to a call it refused: its error code, its
// message and the HTTP status it came with.
type Error struct {
	Code      string
	Message   string
	Status    int
	RequestID string
	Header    http.Header // the answer's, e.g. S3's X-Amz-Bucket-Region
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// ErrorCode, ErrorMessage, ErrorFault and HTTPStatusCode let the SDK's
// standard retryer classify the error (throttling codes, 5xx).
func (e *Error) ErrorCode() string    { return e.Code }
func (e *Error) ErrorMessage() string { return e.Message }
func (e *Error) HTTPStatusCode() int  { return e.Status }

// ErrorFault is smithy's fault kind; the retryer does not use it.
func (e *Error) ErrorFault() int { return 0 }

// AsError returns the service error err carries, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// decodeError reads the error a service answered, whatever its protocol:
// Query and REST-XML (<Error><Code>), REST-JSON (x-amzn-ErrorType, message,
// __type) and OAuth's error/error_description; a body without either (an S3
// HEAD) is named after its status.
func decodeError(status int, header http.Header, body []byte) *Error {
	e := &Error{Status: status, Header: header, RequestID: header.Get("X-Amzn-Requestid")}
	if e.RequestID == "" {
		e.RequestID = header.Get("X-Amz-Request-Id")
	}
	var x struct {
		Code      string `xml:"Code"`
		Message   string `xml:"Message"`
		Error     struct{ Code, Message string }
		RequestID string `xml:"RequestId"`
	}
	var j struct {
		Type        string `json:"__type"`
		Code        string `json:"code"`
		Message     string `json:"message"`
		MessageCap  string `json:"Message"`
		OAuth       string `json:"error"`
		Description string `json:"error_description"`
	}
	trimmed := strings.TrimSpace(string(body))
	switch {
	case strings.HasPrefix(trimmed, "<") && xml.Unmarshal(body, &x) == nil:
		e.Code, e.Message = first(x.Error.Code, x.Code), first(x.Error.Message, x.Message)
		e.RequestID = first(e.RequestID, x.RequestID)
	case strings.HasPrefix(trimmed, "{") && json.Unmarshal(body, &j) == nil:
		e.Code = first(j.Code, j.OAuth, j.Type)
		e.Message = first(j.Message, j.MessageCap, j.Description)
	}
	if t := header.Get("X-Amzn-Errortype"); t != "" && e.Code == "" {
		e.Code = t
	}
	// "aws.protocoltests#Code:http://..." and "prefix#Code" forms.
	e.Code, _, _ = strings.Cut(e.Code, ":")
	if i := strings.LastIndex(e.Code, "#"); i >= 0 {
		e.Code = e.Code[i+1:]
	}
	if e.Code == "" {
		e.Code = statusCode(status)
	}
	return e
}

// statusCode names an error answered without a body, as S3 does to HEAD.
func statusCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "NotFound"
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusBadRequest:
		return "BadRequest"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusMovedPermanently:
		return "PermanentRedirect"
	}
	return strings.ReplaceAll(http.StatusText(status), " ", "")
}

// sendError is a call that got no answer (a reset connection, a timed-out
// attempt): the SDK's retryer retries it.
type sendError struct{ err error }

func (e *sendError) Error() string         { return e.err.Error() }
func (e *sendError) Unwrap() error         { return e.err }
func (e *sendError) ConnectionError() bool { return true }

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
