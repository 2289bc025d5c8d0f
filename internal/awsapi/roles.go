package awsapi

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// assumeRoleProfile is a profile with role_arn: the role is assumed with
// the credentials of source_profile (itself resolved, chained) or of
// credential_source.
func (cfg *config) assumeRoleProfile(name string, p section, visited []string) (aws.CredentialsProvider, error) {
	if p["mfa_serial"] != "" {
		return nil, fmt.Errorf("AWS profile %s asks for an MFA code (mfa_serial), which formwork cannot prompt for: run aws sts get-session-token or use SSO (aws sso login), then pass those credentials", name)
	}
	visited = append(visited, name)
	source, err := cfg.roleSource(name, p, visited)
	if err != nil {
		return nil, err
	}
	req, err := roleRequest(name, p)
	if err != nil {
		return nil, err
	}
	sts := cfg.client(cached(source))
	return cached(providerFunc(func(ctx context.Context) (aws.Credentials, error) {
		creds, err := sts.AssumeRole(ctx, req)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("cannot assume role %s for AWS profile %s: %w", req.RoleARN, name, err)
		}
		return creds, nil
	})), nil
}

func (cfg *config) roleSource(name string, p section, visited []string) (aws.CredentialsProvider, error) {
	if src := p["source_profile"]; src != "" {
		if slices.Contains(visited, src) {
			if keys, ok := profileKeys(name, p); ok && src == name {
				return keys, nil // a profile that assumes its role with its own keys
			}
			return nil, fmt.Errorf("AWS profiles chain in a circle (%s -> %s): give one of them keys or a credential_source", strings.Join(visited, " -> "), src)
		}
		sp, ok := cfg.files.profile(src)
		if !ok {
			return nil, fmt.Errorf("AWS profile %s names source_profile %s, which is in neither %s nor %s", name, src, cfg.files.configPath, cfg.files.credentialsPath)
		}
		return cfg.fromProfile(src, sp, visited)
	}
	switch src := p["credential_source"]; src {
	case "Environment":
		creds, ok := envKeys(cfg.env)
		if !ok {
			return nil, fmt.Errorf("AWS profile %s takes its credentials from the environment, which has no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", name)
		}
		return static{creds}, nil
	case "Ec2InstanceMetadata":
		return instanceRole(cfg.env), nil
	case "EcsContainer":
		p, ok, err := containerCredentials(cfg.env)
		if err == nil && !ok {
			err = fmt.Errorf("AWS profile %s takes its credentials from the container, but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set", name)
		}
		return p, err
	default:
		return nil, fmt.Errorf("AWS profile %s has credential_source %q: write Environment, Ec2InstanceMetadata or EcsContainer", name, src)
	}
}

// roleRequest reads role_arn, role_session_name, external_id and
// duration_seconds.
func roleRequest(name string, p section) (RoleRequest, error) {
	r := RoleRequest{RoleARN: p["role_arn"], ExternalID: p["external_id"],
		SessionName: first(p["role_session_name"], "formwork-"+strconv.FormatInt(time.Now().UnixNano(), 10))}
	if d := p["duration_seconds"]; d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			return r, fmt.Errorf("AWS profile %s has duration_seconds = %s: write a number of seconds from 900 to 43200", name, d)
		}
		r.Duration = time.Duration(n) * time.Second
	}
	return r, nil
}

// webIdentity assumes role with the token in file (re-read at each
// refresh, as EKS and GitHub Actions rotate it).
func (cfg *config) webIdentity(file, role, session string) (aws.CredentialsProvider, error) {
	if role == "" {
		return nil, fmt.Errorf("a web identity token file (%s) needs a role to assume: set AWS_ROLE_ARN or role_arn", file)
	}
	sts := cfg.client(nil)
	req := RoleRequest{RoleARN: role, SessionName: first(session, "formwork-"+strconv.FormatInt(time.Now().UnixNano(), 10))}
	return cached(providerFunc(func(ctx context.Context) (aws.Credentials, error) {
		token, err := os.ReadFile(file)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("cannot read the web identity token: %v", err)
		}
		r := req
		r.WebIdentityToken = strings.TrimSpace(string(token))
		creds, err := sts.AssumeRoleWithWebIdentity(ctx, r)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("cannot assume role %s with the web identity token of %s: %w", role, file, err)
		}
		return creds, nil
	})), nil
}
