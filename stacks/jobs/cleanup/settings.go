package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Settings is what the job reads from its environment.
type Settings struct {
	BaseURL        string
	TokenParameter string
	MaxAge         time.Duration
}

// settingsFrom reads and checks the environment; every error names the
// variable to set.
func settingsFrom(getenv func(string) string) (Settings, error) {
	s := Settings{BaseURL: getenv("API_BASE_URL"), TokenParameter: getenv("API_TOKEN_PARAMETER")}
	if u, err := url.Parse(s.BaseURL); err != nil || u.Scheme != "https" || u.Host == "" {
		return Settings{}, fmt.Errorf("API_BASE_URL %q must be an https:// URL of the API", s.BaseURL)
	}
	if s.TokenParameter == "" {
		return Settings{}, errors.New("API_TOKEN_PARAMETER is not set: set it to the name of the SSM parameter holding the API token")
	}
	days, err := strconv.Atoi(getenv("ITEM_MAX_AGE_DAYS"))
	if err != nil || days < 1 {
		return Settings{}, fmt.Errorf("ITEM_MAX_AGE_DAYS %q must be a whole number of days, at least 1", getenv("ITEM_MAX_AGE_DAYS"))
	}
	s.MaxAge = time.Duration(days) * 24 * time.Hour
	return s, nil
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
