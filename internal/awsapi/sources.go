package awsapi

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// otherSources are the profile's sources other than keys and roles:
// web_identity_token_file, SSO, credential_process; then, for a profile
// that names none, the container's credentials and the instance role.
func (cfg *config) otherSources(name string, p section) (aws.CredentialsProvider, error) {
	switch {
	case p["web_identity_token_file"] != "":
		return cfg.webIdentity(p["web_identity_token_file"], p["role_arn"], p["role_session_name"])
	case p["sso_session"] != "" || p["sso_start_url"] != "":
		return cfg.sso(name, p)
	case p["credential_process"] != "":
		return cached(withoutOutput(name, "credential_process", processcreds.NewProvider(p["credential_process"]))), nil
	}
	if kind := unreadKind(p); kind != "" {
		return cfg.exported(name, kind)
	}
	if c, ok, err := containerCredentials(cfg.env); ok || err != nil {
		return c, err
	}
	return instanceRole(cfg.env), nil
}

// unreadKind names a credential setting formwork does not read itself
// (login_session, a newer kind), "" when the profile has none.
func unreadKind(p section) string {
	for _, k := range []string{"login_session"} {
		if p[k] != "" {
			return k
		}
	}
	return ""
}

// withoutOutput keeps a credential process's output (keys, perhaps) out
// of its errors: the SDK quotes output it cannot parse.
func withoutOutput(profile, what string, p aws.CredentialsProvider) aws.CredentialsProvider {
	return providerFunc(func(ctx context.Context) (aws.Credentials, error) {
		creds, err := p.Retrieve(ctx)
		if err != nil && strings.Contains(err.Error(), "parse failed of process output") {
			err = fmt.Errorf("the %s of AWS profile %s printed no credentials formwork can read: it must print the JSON of the credential_process format (Version 1, AccessKeyId, SecretAccessKey)", what, profile)
		} else if err != nil {
			err = fmt.Errorf("the %s of AWS profile %s failed: %s", what, profile, oneLine(err.Error()))
		}
		return creds, err
	})
}

// ecsEndpoint is where ECS serves a task's credentials.
const ecsEndpoint = "http://169.254.170.2"

// containerCredentials is the ECS/EKS credentials endpoint, when
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI names one.
func containerCredentials(env func(string) string) (aws.CredentialsProvider, bool, error) {
	endpoint := ""
	if rel := env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		endpoint = ecsEndpoint + rel
	} else if full := env("AWS_CONTAINER_CREDENTIALS_FULL_URI"); full != "" {
		if err := allowedContainerURL(full); err != nil {
			return nil, false, err
		}
		endpoint = full
	} else {
		return nil, false, nil
	}
	tokenFile := env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
	token := env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	p := endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
		o.AuthorizationToken = token
		if tokenFile != "" {
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return "", fmt.Errorf("cannot read the container's authorization token: %v", err)
				}
				return strings.TrimSpace(string(b)), nil
			})
		}
	})
	return cached(p), true, nil
}

// allowedContainerURL refuses plain HTTP to anything but the loopback and
// the ECS and EKS agents, as the SDKs do.
func allowedContainerURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI=%q is not a URL", raw)
	}
	if u.Scheme != "http" {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI=%q: plain http is allowed only to the loopback or the ECS/EKS agent; use https", raw)
}

// instanceRole is the EC2 instance role (IMDS; AWS_EC2_METADATA_DISABLED
// and AWS_EC2_METADATA_SERVICE_ENDPOINT are honoured by the SDK's client).
func instanceRole(env func(string) string) aws.CredentialsProvider {
	return cached(providerFunc(func(ctx context.Context) (aws.Credentials, error) {
		if strings.EqualFold(env("AWS_EC2_METADATA_DISABLED"), "true") {
			return aws.Credentials{}, errNoCredentials
		}
		creds, err := ec2rolecreds.New().Retrieve(ctx)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("%v (the instance metadata service answered: %s)", errNoCredentials, oneLine(err.Error()))
		}
		return creds, nil
	}))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
