package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Settings is what the job reads from its environment. The token is in SSM
// (TokenParameter) or in Secrets Manager (TokenSecret), as the stack's
// TokenSource option chose.
type Settings struct {
	BaseURL        string
	TokenParameter string
	TokenSecret    string
	MaxAge         time.Duration
}

// settingsFrom reads and checks the environment; every error names the
// variable to set.
func settingsFrom(getenv func(string) string) (Settings, error) {
	s := Settings{BaseURL: getenv("API_BASE_URL"), TokenParameter: getenv("API_TOKEN_PARAMETER"), TokenSecret: getenv("API_TOKEN_SECRET_ARN")}
	if u, err := url.Parse(s.BaseURL); err != nil || u.Scheme != "https" || u.Host == "" {
		return Settings{}, fmt.Errorf("API_BASE_URL %q must be an https:// URL of the API", s.BaseURL)
	}
	if (s.TokenParameter == "") == (s.TokenSecret == "") {
		return Settings{}, errors.New("set one of API_TOKEN_PARAMETER (an SSM parameter name) or API_TOKEN_SECRET_ARN (a Secrets Manager secret) to where the API token is")
	}
	days, err := strconv.Atoi(getenv("ITEM_MAX_AGE_DAYS"))
	if err != nil || days < 1 {
		return Settings{}, fmt.Errorf("ITEM_MAX_AGE_DAYS %q must be a whole number of days, at least 1", getenv("ITEM_MAX_AGE_DAYS"))
	}
	s.MaxAge = time.Duration(days) * 24 * time.Hour
	return s, nil
}

// TokenReader fetches the API token at the start of a run.
type TokenReader func(ctx context.Context) (string, error)

// tokenReader reads the token from where the settings say it is.
func (s Settings) tokenReader(params ParameterStore, secrets SecretStore) TokenReader {
	if s.TokenSecret != "" {
		return func(ctx context.Context) (string, error) { return readSecret(ctx, secrets, s.TokenSecret) }
	}
	return func(ctx context.Context) (string, error) { return readToken(ctx, params, s.TokenParameter) }
}

// ParameterStore is the part of the SSM client the job uses.
type ParameterStore interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, opts ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

// readToken fetches and decrypts the API token.
func readToken(ctx context.Context, store ParameterStore, name string) (string, error) {
	out, err := store.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
	var notFound *types.ParameterNotFound
	switch {
	case errors.As(err, &notFound):
		return "", fmt.Errorf("SSM parameter %s does not exist: create it with aws ssm put-parameter --type SecureString --name %s --value TOKEN", name, name)
	case err != nil:
		return "", fmt.Errorf("cannot read the API token from SSM parameter %s: %w", name, err)
	case out.Parameter == nil || aws.ToString(out.Parameter.Value) == "":
		return "", fmt.Errorf("SSM parameter %s is empty: put the API token in it", name)
	}
	return aws.ToString(out.Parameter.Value), nil
}

// SecretStore is the part of the Secrets Manager client the job uses.
type SecretStore interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// readSecret fetches the API token from a secret's SecretString.
func readSecret(ctx context.Context, store SecretStore, arn string) (string, error) {
	out, err := store.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	var notFound *smtypes.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		return "", fmt.Errorf("secret %s does not exist: create it with aws secretsmanager create-secret --secret-string TOKEN", arn)
	case err != nil:
		return "", fmt.Errorf("cannot read the API token from secret %s: %w", arn, err)
	case aws.ToString(out.SecretString) == "":
		return "", fmt.Errorf("secret %s holds no SecretString: put the API token in it as text", arn)
	}
	return aws.ToString(out.SecretString), nil
}
