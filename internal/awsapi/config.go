package awsapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Options choose the profile and region, as the AWS CLI's --profile and
// --region do.
type Options struct {
	Region  string // "" = AWS_REGION, AWS_DEFAULT_REGION, the profile's region
	Profile string // "" = AWS_PROFILE, then default
	// Timeout bounds each call, its retries included; 0 is
	// DefaultCallTimeout.
	Timeout time.Duration
}

// config is the resolved configuration of one profile.
type config struct {
	files       *sharedFiles
	profileName string
	// named reports a profile given by --profile (it then wins over
	// environment keys, as in the SDK).
	named   bool
	profile section
	region  string
	http    *http.Client // nil: the default
	timeout time.Duration
	env     func(string) string
}

// Load resolves the configuration (profile, region, endpoints) and the
// credential chain, and returns a client for it. Credentials are fetched
// on the first call and cached until shortly before they expire.
func Load(ctx context.Context, o Options) (*Client, error) {
	cfg, err := loadConfig(o, osEnv)
	if err != nil {
		return nil, err
	}
	creds, err := cfg.credentials()
	if err != nil {
		return nil, err
	}
	c := cfg.client(creds)
	return c, nil
}

func loadConfig(o Options, env func(string) string) (*config, error) {
	files, err := readSharedFiles(env)
	if err != nil {
		return nil, err
	}
	cfg := &config{files: files, timeout: o.Timeout, env: env, named: o.Profile != ""}
	cfg.profileName = first(o.Profile, env("AWS_PROFILE"), "default")
	var found bool
	cfg.profile, found = files.profile(cfg.profileName)
	if !found && cfg.profileName != "default" {
		return nil, fmt.Errorf("AWS profile %s is in neither %s nor %s: check the name, or run aws configure --profile %s",
			cfg.profileName, files.configPath, files.credentialsPath, cfg.profileName)
	}
	cfg.region = first(o.Region, env("AWS_REGION"), env("AWS_DEFAULT_REGION"), cfg.profile["region"])
	if bundle := first(env("AWS_CA_BUNDLE"), cfg.profile["ca_bundle"]); bundle != "" {
		if cfg.http, err = httpClientTrusting(bundle); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// httpClientTrusting is an HTTP client that also trusts the certificates
// of the PEM file bundle (a corporate proxy's), as AWS_CA_BUNDLE asks.
func httpClientTrusting(bundle string) (*http.Client, error) {
	pem, err := os.ReadFile(bundle)
	if err != nil {
		return nil, fmt.Errorf("cannot read the CA bundle AWS_CA_BUNDLE (or ca_bundle) names: %v", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the CA bundle %s holds no PEM certificate", bundle)
	}
	c := newHTTPClient()
	t := c.Transport.(*http.Transport)
	t.TLSClientConfig = &tls.Config{RootCAs: pool}
	return c, nil
}

// client is a client in the configuration's region and endpoints.
func (cfg *config) client(creds aws.CredentialsProvider) *Client {
	return cfg.clientIn(cfg.region, creds)
}

// clientIn is a client in region (SSO's own) with the configuration's
// endpoints.
func (cfg *config) clientIn(region string, creds aws.CredentialsProvider) *Client {
	c := NewClient(region, creds, cfg.timeout)
	if cfg.http != nil {
		c.HTTP = cfg.http
	}
	c.endpoints = endpointSettings{env: cfg.env, profile: cfg.profile, services: cfg.files.services(cfg.profile["services"])}
	return c
}

// cached wraps p so its credentials are kept until a minute before they
// expire; its errors are p's own, without the cache's preamble.
func cached(p aws.CredentialsProvider) aws.CredentialsProvider {
	cache := aws.NewCredentialsCache(p, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = time.Minute })
	return providerFunc(func(ctx context.Context) (aws.Credentials, error) {
		creds, err := cache.Retrieve(ctx)
		if inner := errors.Unwrap(err); inner != nil && strings.HasPrefix(err.Error(), "failed to refresh cached credentials") {
			err = inner
		}
		return creds, err
	})
}
