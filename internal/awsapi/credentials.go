package awsapi

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// static is credentials that do not change: keys from the environment or a
// profile.
type static struct{ creds aws.Credentials }

func (s static) Retrieve(context.Context) (aws.Credentials, error) { return s.creds, nil }

// providerFunc adapts a function to aws.CredentialsProvider.
type providerFunc func(context.Context) (aws.Credentials, error)

func (f providerFunc) Retrieve(ctx context.Context) (aws.Credentials, error) { return f(ctx) }

// credentials resolves the standard chain as the SDK does: a profile given
// by --profile first; else keys in the environment, a web identity from
// the environment, then the profile (static keys, a role, web identity,
// SSO, credential_process), the container's credentials, the instance
// role.
func (cfg *config) credentials() (aws.CredentialsProvider, error) {
	if !cfg.named {
		if creds, ok := envKeys(cfg.env); ok {
			return static{creds}, nil
		}
		if file := cfg.env("AWS_WEB_IDENTITY_TOKEN_FILE"); file != "" {
			return cfg.webIdentity(file, cfg.env("AWS_ROLE_ARN"), cfg.env("AWS_ROLE_SESSION_NAME"))
		}
	}
	return cfg.fromProfile(cfg.profileName, cfg.profile, nil)
}

// envKeys are AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (or the older AWS_ACCESS_KEY and AWS_SECRET_KEY).
func envKeys(env func(string) string) (aws.Credentials, bool) {
	c := aws.Credentials{
		AccessKeyID:     first(env("AWS_ACCESS_KEY_ID"), env("AWS_ACCESS_KEY")),
		SecretAccessKey: first(env("AWS_SECRET_ACCESS_KEY"), env("AWS_SECRET_KEY")),
		SessionToken:    env("AWS_SESSION_TOKEN"),
		Source:          "environment",
	}
	return c, c.AccessKeyID != "" && c.SecretAccessKey != ""
}

// fromProfile resolves one profile's credentials; visited holds the
// profiles that chain to it through source_profile.
func (cfg *config) fromProfile(name string, p section, visited []string) (aws.CredentialsProvider, error) {
	if role := p["role_arn"]; role != "" && (p["source_profile"] != "" || p["credential_source"] != "") {
		return cfg.assumeRoleProfile(name, p, visited)
	}
	if keys, ok := profileKeys(name, p); ok {
		return keys, nil
	}
	return cfg.otherSources(name, p)
}

// errNoCredentials ends a chain that found nothing.
var errNoCredentials = errors.New("no AWS credentials found: set AWS_PROFILE (aws configure, aws sso login) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

// profileKeys are the profile's aws_access_key_id, aws_secret_access_key
// and aws_session_token.
func profileKeys(name string, p section) (static, bool) {
	c := aws.Credentials{AccessKeyID: p["aws_access_key_id"], SecretAccessKey: p["aws_secret_access_key"],
		SessionToken: p["aws_session_token"], Source: "profile " + name}
	return static{c}, c.AccessKeyID != "" && c.SecretAccessKey != ""
}
