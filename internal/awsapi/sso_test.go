package awsapi

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSSO is the SSO portal and SSO-OIDC on one server: GetRoleCredentials
// accepts only the token in valid, CreateToken trades secretRefresh for
// "fresh-token".
type fakeSSO struct {
	mu        sync.Mutex
	valid     string
	refreshes int
	asked     string // account_id/role_name of the last GetRoleCredentials
}

func (f *fakeSSO) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/federation/credentials":
		if r.Header.Get("X-Amz-Sso_bearer_token") != f.valid || r.Header.Get("Authorization") != "" {
			w.Header().Set("X-Amzn-Errortype", "UnauthorizedException")
			w.WriteHeader(401)
			w.Write([]byte(`{"message":"Session token not found or invalid"}`))
			return
		}
		f.asked = r.URL.Query().Get("account_id") + "/" + r.URL.Query().Get("role_name")
		json.NewEncoder(w).Encode(map[string]any{"roleCredentials": map[string]any{"accessKeyId": "AKSSO", "secretAccessKey": secretKey,
			"sessionToken": secretToken, "expiration": time.Now().Add(time.Hour).UnixMilli()}})
	case "/token":
		var in map[string]string
		json.NewDecoder(r.Body).Decode(&in)
		if in["grantType"] != "refresh_token" || in["refreshToken"] != secretRefresh || in["clientSecret"] != "client-secret" {
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"invalid_grant","error_description":"Invalid refresh token ` + in["refreshToken"] + `"}`))
			return
		}
		f.refreshes++
		f.valid = "fresh-token"
		json.NewEncoder(w).Encode(map[string]any{"accessToken": "fresh-token", "expiresIn": 3600, "refreshToken": "next-refresh", "tokenType": "Bearer"})
	default:
		http.NotFound(w, r)
	}
}

const ssoConfig = `[profile dev]
sso_session = acme
sso_account_id = 123456789012
sso_role_name = Deployer
region = eu-west-1
[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 210987654321
sso_role_name = ReadOnly
[profile broken]
sso_session = missing
`

// ssoSetup points HOME at a temporary directory with token (the cached
// sign-in) under the sha1 of key, and the SSO endpoints at a fake.
func ssoSetup(t *testing.T, key string, token map[string]any) (map[string]string, *fakeSSO, string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	f := &fakeSSO{valid: "good-token"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cache := filepath.Join(home, ".aws", "sso", "cache")
	os.MkdirAll(cache, 0o700)
	sum := sha1.Sum([]byte(key))
	file := filepath.Join(cache, hex.EncodeToString(sum[:])+".json")
	if token != nil {
		b, _ := json.Marshal(token)
		os.WriteFile(file, b, 0o600)
	}
	return awsFiles(t, ssoConfig, "", "AWS_ENDPOINT_URL_SSO", srv.URL, "AWS_ENDPOINT_URL_SSO_OIDC", srv.URL), f, file
}

func TestSSOSession(t *testing.T) {
	env, f, _ := ssoSetup(t, "acme", map[string]any{"accessToken": "good-token", "expiresAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		"startUrl": "https://acme.awsapps.com/start", "region": "us-east-1"})
	c, err := retrieve(t, env, "dev")
	if err != nil || c.AccessKeyID != "AKSSO" || f.asked != "123456789012/Deployer" || f.refreshes != 0 {
		t.Errorf("%+v %v asked %s", c, err, f.asked)
	}
}

func TestSSOLegacyStartURL(t *testing.T) {
	env, f, _ := ssoSetup(t, "https://legacy.awsapps.com/start", map[string]any{"accessToken": "good-token",
		"expiresAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	c, err := retrieve(t, env, "legacy")
	if err != nil || c.AccessKeyID != "AKSSO" || f.asked != "210987654321/ReadOnly" {
		t.Errorf("%+v %v asked %s", c, err, f.asked)
	}
}

func TestSSOExpiredTokenIsRefreshedAndWrittenBack(t *testing.T) {
	env, f, file := ssoSetup(t, "acme", map[string]any{"accessToken": "old-token", "expiresAt": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339),
		"refreshToken": secretRefresh, "clientId": "client-id", "clientSecret": "client-secret",
		"registrationExpiresAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339), "startUrl": "https://acme.awsapps.com/start"})
	c, err := retrieve(t, env, "dev")
	if err != nil || c.AccessKeyID != "AKSSO" || f.refreshes != 1 {
		t.Fatalf("%+v %v refreshes %d", c, err, f.refreshes)
	}
	var saved map[string]any
	b, _ := os.ReadFile(file)
	json.Unmarshal(b, &saved)
	expires, _ := time.Parse(time.RFC3339, saved["expiresAt"].(string))
	if saved["accessToken"] != "fresh-token" || saved["refreshToken"] != "next-refresh" || saved["startUrl"] != "https://acme.awsapps.com/start" ||
		time.Until(expires) < 50*time.Minute {
		t.Errorf("cache written back: %v", saved)
	}
}

func TestSSOExpiredWithoutRefreshSaysLogIn(t *testing.T) {
	expired := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	for _, c := range []struct {
		name, profile, key string
		token              map[string]any
	}{
		{"no refresh token", "dev", "acme", map[string]any{"accessToken": "old", "expiresAt": expired}},
		{"refused refresh token", "dev", "acme", map[string]any{"accessToken": "old", "expiresAt": expired, "refreshToken": "revoked-" + secretRefresh,
			"clientId": "client-id", "clientSecret": "client-secret"}},
		{"legacy form", "legacy", "https://legacy.awsapps.com/start", map[string]any{"accessToken": "old", "expiresAt": expired, "refreshToken": secretRefresh,
			"clientId": "client-id", "clientSecret": "client-secret"}},
		{"never signed in", "dev", "acme", nil},
		{"token revoked early", "dev", "acme", map[string]any{"accessToken": "revoked", "expiresAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}},
	} {
		env, _, _ := ssoSetup(t, c.key, c.token)
		_, err := retrieve(t, env, c.profile)
		if err == nil || !strings.HasSuffix(err.Error(), "run aws sso login --profile "+c.profile) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", c.name, err)
		}
		noSecret(t, err)
	}
}

func TestSSOSessionMissing(t *testing.T) {
	env, _, _ := ssoSetup(t, "acme", nil)
	_, err := retrieve(t, env, "broken")
	if err == nil || !strings.Contains(err.Error(), "AWS profile broken names sso_session missing, which has no [sso-session missing] section") {
		t.Errorf("%v", err)
	}
}
