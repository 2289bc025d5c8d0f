package awsapi

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// ssoProfile is what an SSO profile names: where to sign in (an
// sso-session section, or the legacy sso_start_url in the profile) and
// which account and role to take.
type ssoProfile struct {
	profile          string
	session          string // "" for the legacy form
	startURL, region string
	accountID, role  string
	cacheDir         string
	oidc, portal     *Client
	refreshable      bool
}

func (cfg *config) sso(name string, p section) (aws.CredentialsProvider, error) {
	s := &ssoProfile{profile: name, session: p["sso_session"], startURL: p["sso_start_url"], region: p["sso_region"],
		accountID: p["sso_account_id"], role: p["sso_role_name"]}
	if s.session != "" {
		sec, ok := cfg.files.ssoSession(s.session)
		if !ok {
			return nil, fmt.Errorf("AWS profile %s names sso_session %s, which has no [sso-session %s] section in %s", name, s.session, s.session, cfg.files.configPath)
		}
		s.startURL, s.region, s.refreshable = sec["sso_start_url"], first(sec["sso_region"], s.region), true
	}
	if s.startURL == "" || s.region == "" || s.accountID == "" || s.role == "" {
		return nil, fmt.Errorf("AWS profile %s is an SSO profile without sso_start_url, sso_region, sso_account_id and sso_role_name all set: run aws configure sso --profile %s", name, name)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, fmt.Errorf("cannot find the SSO token cache (~/.aws/sso/cache): %v", err)
	}
	s.cacheDir = filepath.Join(home, ".aws", "sso", "cache")
	s.oidc, s.portal = cfg.clientIn(s.region, nil), cfg.clientIn(s.region, nil)
	return cached(providerFunc(s.retrieve)), nil
}

// tokenFile is the AWS CLI's cache of the SSO sign-in: named after the
// SHA-1 of the session name (or, in the legacy form, of the start URL).
func (s *ssoProfile) tokenFile() string {
	key := first(s.session, s.startURL)
	sum := sha1.Sum([]byte(key))
	return filepath.Join(s.cacheDir, hex.EncodeToString(sum[:])+".json")
}

// ssoToken is the part of the cached token formwork reads and writes.
type ssoToken struct {
	AccessToken  string    `json:"accessToken"`
	ExpiresAt    time.Time `json:"expiresAt"`
	RefreshToken string    `json:"refreshToken"`
	ClientID     string    `json:"clientId"`
	ClientSecret string    `json:"clientSecret"`
	// RegistrationExpiresAt is when the client's registration (which a
	// refresh needs) expires.
	RegistrationExpiresAt time.Time `json:"registrationExpiresAt"`
}

// refreshWindow: a token expiring sooner than this is refreshed first.
const refreshWindow = 5 * time.Minute

func (s *ssoProfile) login() error {
	return fmt.Errorf("the SSO sign-in of AWS profile %s has expired or was never made: run aws sso login --profile %s", s.profile, s.profile)
}

func (s *ssoProfile) retrieve(ctx context.Context) (aws.Credentials, error) {
	tok, raw, err := s.readToken()
	if err != nil {
		return aws.Credentials{}, err
	}
	now := time.Now()
	if tok.ExpiresAt.Before(now.Add(refreshWindow)) {
		refreshed, rerr := s.refresh(ctx, tok, raw)
		switch {
		case rerr == nil:
			tok = refreshed
		case tok.ExpiresAt.Before(now):
			return aws.Credentials{}, rerr
		}
	}
	return s.roleCredentials(ctx, tok.AccessToken)
}

func (s *ssoProfile) readToken() (ssoToken, map[string]any, error) {
	b, err := os.ReadFile(s.tokenFile())
	if errors.Is(err, fs.ErrNotExist) {
		return ssoToken{}, nil, s.login()
	}
	if err != nil {
		return ssoToken{}, nil, fmt.Errorf("cannot read the SSO token cache: %v", err)
	}
	var tok ssoToken
	var raw map[string]any
	if json.Unmarshal(b, &tok) != nil || json.Unmarshal(b, &raw) != nil || tok.AccessToken == "" {
		return ssoToken{}, nil, fmt.Errorf("the SSO token cache %s is not the AWS CLI's JSON: run aws sso login --profile %s", s.tokenFile(), s.profile)
	}
	return tok, raw, nil
}

// refresh trades the refresh token for a new access token (SSO-OIDC
// CreateToken) and writes it back to the cache, as the AWS CLI does. Only
// an sso-session sign-in has one.
func (s *ssoProfile) refresh(ctx context.Context, tok ssoToken, raw map[string]any) (ssoToken, error) {
	if !s.refreshable || tok.RefreshToken == "" || tok.ClientID == "" || tok.ClientSecret == "" ||
		(!tok.RegistrationExpiresAt.IsZero() && tok.RegistrationExpiresAt.Before(time.Now())) {
		return tok, s.login()
	}
	body, _ := json.Marshal(map[string]string{"grantType": "refresh_token", "clientId": tok.ClientID,
		"clientSecret": tok.ClientSecret, "refreshToken": tok.RefreshToken})
	resp, err := s.oidc.Do(ctx, &Request{Service: SSOOIDC, Operation: "CreateToken", Method: http.MethodPost, Path: "/token",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Unsigned: true})
	if err != nil {
		return tok, fmt.Errorf("cannot refresh the SSO sign-in of AWS profile %s (%v): run aws sso login --profile %s", s.profile, codeOnly(err), s.profile)
	}
	var out struct {
		AccessToken  string `json:"accessToken"`
		ExpiresIn    int64  `json:"expiresIn"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil || out.AccessToken == "" {
		return tok, fmt.Errorf("SSO-OIDC CreateToken answered no token: run aws sso login --profile %s", s.profile)
	}
	tok.AccessToken, tok.ExpiresAt = out.AccessToken, time.Now().Add(time.Duration(out.ExpiresIn)*time.Second).UTC()
	raw["accessToken"], raw["expiresAt"] = tok.AccessToken, tok.ExpiresAt.Format(time.RFC3339)
	if out.RefreshToken != "" {
		tok.RefreshToken, raw["refreshToken"] = out.RefreshToken, out.RefreshToken
	}
	b, _ := json.Marshal(raw)
	if err := os.WriteFile(s.tokenFile(), b, 0o600); err != nil {
		return tok, fmt.Errorf("cannot write the refreshed SSO token to %s: %v", s.tokenFile(), err)
	}
	return tok, nil
}

// roleCredentials is SSO GetRoleCredentials: the role's keys for the
// signed-in user.
func (s *ssoProfile) roleCredentials(ctx context.Context, token string) (aws.Credentials, error) {
	resp, err := s.portal.Do(ctx, &Request{Service: SSO, Operation: "GetRoleCredentials", Method: http.MethodGet, Path: "/federation/credentials",
		Query:  url.Values{"account_id": {s.accountID}, "role_name": {s.role}},
		Header: http.Header{"X-Amz-Sso_bearer_token": {token}}, Unsigned: true})
	if api := AsError(err); api != nil && api.Status == http.StatusUnauthorized {
		return aws.Credentials{}, s.login()
	}
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("cannot get the credentials of role %s in account %s through SSO (profile %s): %w", s.role, s.accountID, s.profile, err)
	}
	var out struct {
		RoleCredentials struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
			Expiration      int64  `json:"expiration"` // milliseconds since the epoch
		} `json:"roleCredentials"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil || out.RoleCredentials.AccessKeyID == "" {
		return aws.Credentials{}, fmt.Errorf("SSO GetRoleCredentials answered no credentials for profile %s", s.profile)
	}
	rc := out.RoleCredentials
	return aws.Credentials{AccessKeyID: rc.AccessKeyID, SecretAccessKey: rc.SecretAccessKey, SessionToken: rc.SessionToken,
		CanExpire: true, Expires: time.UnixMilli(rc.Expiration), Source: "sso " + s.profile,
		AccountID: s.accountID}, nil
}

// codeOnly is an error without a message a service might echo a secret in.
func codeOnly(err error) string {
	if api := AsError(err); api != nil {
		return api.Code + ", HTTP " + strconv.Itoa(api.Status)
	}
	return err.Error()
}
