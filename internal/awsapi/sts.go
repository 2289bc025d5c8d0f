package awsapi

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

const stsVersion = "2011-06-15"

// Identity is who the credentials are: STS GetCallerIdentity's answer.
type Identity struct {
	Account, Arn, UserID string
}

// CallerIdentity asks STS whose credentials the client signs with.
func (c *Client) CallerIdentity(ctx context.Context) (Identity, error) {
	var out struct {
		Account, Arn string
		UserID       string `xml:"UserId"`
	}
	if err := c.Query(ctx, STS, stsVersion, "GetCallerIdentity", nil, &out); err != nil {
		return Identity{}, err
	}
	return Identity{Account: out.Account, Arn: out.Arn, UserID: out.UserID}, nil
}

// stsCredentials is the Credentials element of AssumeRole's and
// AssumeRoleWithWebIdentity's answers.
type stsCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

func (s stsCredentials) value(source string) aws.Credentials {
	return aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken,
		CanExpire: true, Expires: s.Expiration, Source: source}
}

// RoleRequest is what AssumeRole and AssumeRoleWithWebIdentity are asked.
type RoleRequest struct {
	RoleARN, SessionName string
	ExternalID           string
	Duration             time.Duration // 0: STS's default (an hour)
	WebIdentityToken     string        // for AssumeRoleWithWebIdentity
}

func (r RoleRequest) params() url.Values {
	v := url.Values{"RoleArn": {r.RoleARN}, "RoleSessionName": {r.SessionName}}
	if r.ExternalID != "" {
		v.Set("ExternalId", r.ExternalID)
	}
	if r.Duration > 0 {
		v.Set("DurationSeconds", strconv.Itoa(int(r.Duration/time.Second)))
	}
	if r.WebIdentityToken != "" {
		v.Set("WebIdentityToken", r.WebIdentityToken)
	}
	return v
}

// AssumeRole asks STS for the role's credentials, signed with the client's.
func (c *Client) AssumeRole(ctx context.Context, r RoleRequest) (aws.Credentials, error) {
	var out struct {
		Credentials stsCredentials
	}
	if err := c.Query(ctx, STS, stsVersion, "AssumeRole", r.params(), &out); err != nil {
		return aws.Credentials{}, err
	}
	return out.Credentials.value("assume role " + r.RoleARN), nil
}

// AssumeRoleWithWebIdentity trades a web identity token (an OIDC token of
// EKS, GitHub Actions) for the role's credentials; the call is unsigned.
func (c *Client) AssumeRoleWithWebIdentity(ctx context.Context, r RoleRequest) (aws.Credentials, error) {
	var out struct {
		Credentials stsCredentials
	}
	if err := c.query(ctx, STS, stsVersion, "AssumeRoleWithWebIdentity", r.params(), &out, true); err != nil {
		return aws.Credentials{}, err
	}
	return out.Credentials.value("web identity " + r.RoleARN), nil
}
