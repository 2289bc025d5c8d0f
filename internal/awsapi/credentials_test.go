package awsapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// secrets are planted in every source: no error may show them.
const (
	secretKey     = "SECRETsecretSECRETsecret0123456789abcdef"
	secretToken   = "TOKENtokenTOKENtoken"
	secretAccess  = "ACCESSTOKENaccesstoken"
	secretRefresh = "REFRESHrefreshREFRESH"
)

// awsFiles writes config and credentials files and returns the
// environment that points at them (plus extra).
func awsFiles(t *testing.T, config, credentials string, extra ...string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED": "true"}
	for name, body := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// retrieve resolves the chain of env and profile and fetches credentials.
func retrieve(t *testing.T, env map[string]string, profile string) (aws.Credentials, error) {
	t.Helper()
	get := func(k string) string { return env[k] }
	cfg, err := loadConfig(Options{Profile: profile}, get)
	if err != nil {
		return aws.Credentials{}, err
	}
	p, err := cfg.credentials()
	if err != nil {
		return aws.Credentials{}, err
	}
	return p.Retrieve(context.Background())
}

func noSecret(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{secretKey, secretToken, secretAccess, secretRefresh} {
		if err != nil && strings.Contains(err.Error(), s) {
			t.Errorf("the error shows a secret: %v", err)
		}
	}
}

// stsCall is one call the fake STS got.
type stsCall struct {
	Action, RoleArn, ExternalID, Session, Duration, WebIdentityToken, SignedBy string
}

// fakeSTS answers AssumeRole and AssumeRoleWithWebIdentity with keys
// named after the role, and records the calls.
func fakeSTS(t *testing.T) (string, func() []stsCall) {
	t.Helper()
	var mu sync.Mutex
	var calls []stsCall
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		c := stsCall{Action: r.PostForm.Get("Action"), RoleArn: r.PostForm.Get("RoleArn"), ExternalID: r.PostForm.Get("ExternalId"),
			Session: r.PostForm.Get("RoleSessionName"), Duration: r.PostForm.Get("DurationSeconds"), WebIdentityToken: r.PostForm.Get("WebIdentityToken")}
		if auth := r.Header.Get("Authorization"); auth != "" {
			c.SignedBy = strings.Split(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 Credential="), "/")[0]
		}
		mu.Lock()
		calls = append(calls, c)
		mu.Unlock()
		if strings.HasSuffix(c.RoleArn, "/denied") {
			w.WriteHeader(403)
			w.Write([]byte(`<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error></ErrorResponse>`))
			return
		}
		role := c.RoleArn[strings.LastIndex(c.RoleArn, "/")+1:]
		w.Write([]byte(`<` + c.Action + `Response><` + c.Action + `Result><Credentials><AccessKeyId>AK-` + role + `</AccessKeyId>` +
			`<SecretAccessKey>` + secretKey + `</SecretAccessKey><SessionToken>` + secretToken + `</SessionToken>` +
			`<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></` + c.Action + `Result></` + c.Action + `Response>`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []stsCall { mu.Lock(); defer mu.Unlock(); return append([]stsCall(nil), calls...) }
}

func TestEnvironmentKeys(t *testing.T) {
	env := awsFiles(t, "[default]\nregion = eu-west-1\n", "[default]\naws_access_key_id = AKPROFILE\naws_secret_access_key = x\n",
		"AWS_ACCESS_KEY_ID", "AKENV", "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_SESSION_TOKEN", secretToken)
	c, err := retrieve(t, env, "")
	if err != nil || c.AccessKeyID != "AKENV" || c.SessionToken != secretToken {
		t.Errorf("%+v %v", c, err)
	}
	// AWS_PROFILE does not beat keys in the environment; --profile does.
	env["AWS_PROFILE"] = "default"
	if c, _ := retrieve(t, env, ""); c.AccessKeyID != "AKENV" {
		t.Errorf("AWS_PROFILE: %s", c.AccessKeyID)
	}
	if c, _ := retrieve(t, env, "default"); c.AccessKeyID != "AKPROFILE" {
		t.Errorf("--profile: %s", c.AccessKeyID)
	}
}

func TestStaticProfileAndRegion(t *testing.T) {
	env := awsFiles(t, "# comment\n[profile dev]\nregion = eu-central-1\naws_access_key_id = AKCONFIG\naws_secret_access_key = s\n",
		"; comment\n[dev]\naws_access_key_id = AKCREDS\naws_secret_access_key = s2\n", "AWS_PROFILE", "dev")
	c, err := retrieve(t, env, "")
	if err != nil || c.AccessKeyID != "AKCREDS" || c.SecretAccessKey != "s2" {
		t.Errorf("the credentials file wins: %+v %v", c, err)
	}
	get := func(k string) string { return env[k] }
	for _, r := range []struct {
		flag, region, defaultRegion, want string
	}{{"", "", "", "eu-central-1"}, {"", "", "us-west-1", "us-west-1"}, {"", "us-east-2", "us-west-1", "us-east-2"}, {"ap-south-1", "us-east-2", "", "ap-south-1"}} {
		env["AWS_REGION"], env["AWS_DEFAULT_REGION"] = r.region, r.defaultRegion
		cfg, err := loadConfig(Options{Region: r.flag}, get)
		if err != nil || cfg.region != r.want {
			t.Errorf("%+v: region %s, %v", r, cfg.region, err)
		}
	}
}

func TestMissingProfileIsOneLine(t *testing.T) {
	env := awsFiles(t, "[profile dev]\n", "")
	_, err := retrieve(t, env, "prod")
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "AWS profile prod is in neither ") ||
		!strings.HasSuffix(err.Error(), "run aws configure --profile prod") {
		t.Errorf("%v", err)
	}
}

func TestRoleChain(t *testing.T) {
	sts, calls := fakeSTS(t)
	env := awsFiles(t, `[profile base]
aws_access_key_id = AKBASE
aws_secret_access_key = `+secretKey+`
[profile middle]
role_arn = arn:aws:iam::111111111111:role/middle
source_profile = base
external_id = ext-1
duration_seconds = 1800
[profile deploy]
role_arn = arn:aws:iam::222222222222:role/deploy
source_profile = middle
role_session_name = ci-run
`, "", "AWS_ENDPOINT_URL_STS", sts, "AWS_REGION", "us-east-1")
	c, err := retrieve(t, env, "deploy")
	if err != nil || c.AccessKeyID != "AK-deploy" || !c.CanExpire || c.Expires.Year() < 2098 {
		t.Fatalf("%+v %v", c, err)
	}
	got := calls()
	want := []stsCall{
		{Action: "AssumeRole", RoleArn: "arn:aws:iam::111111111111:role/middle", ExternalID: "ext-1", Duration: "1800", SignedBy: "AKBASE"},
		{Action: "AssumeRole", RoleArn: "arn:aws:iam::222222222222:role/deploy", Session: "ci-run", SignedBy: "AK-middle"},
	}
	if len(got) != 2 {
		t.Fatalf("calls %+v", got)
	}
	got[0].Session = "" // formwork-<time>
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestRoleErrors(t *testing.T) {
	sts, _ := fakeSTS(t)
	env := awsFiles(t, `[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = b
[profile b]
role_arn = arn:aws:iam::1:role/b
source_profile = a
[profile mfa]
role_arn = arn:aws:iam::1:role/m
source_profile = keys
mfa_serial = arn:aws:iam::1:mfa/me
[profile keys]
aws_access_key_id = AK
aws_secret_access_key = `+secretKey+`
[profile denied]
role_arn = arn:aws:iam::1:role/denied
source_profile = keys
[profile short]
role_arn = arn:aws:iam::1:role/s
source_profile = keys
duration_seconds = 60
[profile nosource]
role_arn = arn:aws:iam::1:role/s
source_profile = ghost
[profile badsource]
role_arn = arn:aws:iam::1:role/s
credential_source = Somewhere
`, "", "AWS_ENDPOINT_URL_STS", sts, "AWS_REGION", "us-east-1")
	for profile, want := range map[string]string{
		"a":         "AWS profiles chain in a circle (a -> b -> a): give one of them keys or a credential_source",
		"mfa":       "AWS profile mfa asks for an MFA code (mfa_serial), which formwork cannot prompt for",
		"denied":    "cannot assume role arn:aws:iam::1:role/denied for AWS profile denied: AccessDenied: not authorized",
		"short":     "AWS profile short has duration_seconds = 60: write a number of seconds from 900 to 43200",
		"nosource":  "AWS profile nosource names source_profile ghost, which is in neither",
		"badsource": `AWS profile badsource has credential_source "Somewhere": write Environment, Ec2InstanceMetadata or EcsContainer`,
	} {
		_, err := retrieve(t, env, profile)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v\nwant %s", profile, err, want)
		}
		noSecret(t, err)
	}
}

func TestCredentialSourceEnvironment(t *testing.T) {
	sts, calls := fakeSTS(t)
	env := awsFiles(t, "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\ncredential_source = Environment\n", "",
		"AWS_ENDPOINT_URL_STS", sts, "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKENV", "AWS_SECRET_ACCESS_KEY", secretKey)
	c, err := retrieve(t, env, "ci")
	if err != nil || c.AccessKeyID != "AK-ci" || calls()[0].SignedBy != "AKENV" {
		t.Errorf("%+v %v %+v", c, err, calls())
	}
}

func TestWebIdentity(t *testing.T) {
	sts, calls := fakeSTS(t)
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	os.WriteFile(token, []byte("eyJ.jwt.sig\n"), 0o600)
	env := awsFiles(t, "[profile pod]\nrole_arn = arn:aws:iam::1:role/pod\nweb_identity_token_file = "+token+"\n", "",
		"AWS_ENDPOINT_URL_STS", sts, "AWS_REGION", "us-east-1",
		"AWS_WEB_IDENTITY_TOKEN_FILE", token, "AWS_ROLE_ARN", "arn:aws:iam::1:role/gha", "AWS_ROLE_SESSION_NAME", "run-7")
	c, err := retrieve(t, env, "")
	if err != nil || c.AccessKeyID != "AK-gha" {
		t.Fatalf("environment: %+v %v", c, err)
	}
	c, err = retrieve(t, env, "pod")
	if err != nil || c.AccessKeyID != "AK-pod" {
		t.Fatalf("profile: %+v %v", c, err)
	}
	got := calls()
	if got[0].Action != "AssumeRoleWithWebIdentity" || got[0].WebIdentityToken != "eyJ.jwt.sig" || got[0].Session != "run-7" || got[0].SignedBy != "" {
		t.Errorf("call %+v", got[0])
	}
	delete(env, "AWS_ROLE_ARN")
	if _, err := retrieve(t, env, ""); err == nil || !strings.Contains(err.Error(), "needs a role to assume: set AWS_ROLE_ARN") {
		t.Errorf("no role: %v", err)
	}
}

func TestContainerCredentials(t *testing.T) {
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		json.NewEncoder(w).Encode(map[string]string{"AccessKeyId": "AKTASK", "SecretAccessKey": secretKey, "Token": secretToken,
			"Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	}))
	defer srv.Close()
	tokenFile := filepath.Join(t.TempDir(), "auth")
	os.WriteFile(tokenFile, []byte("from-file\n"), 0o600)
	env := awsFiles(t, "", "", "AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.URL+"/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-env")
	c, err := retrieve(t, env, "")
	if err != nil || c.AccessKeyID != "AKTASK" || auth != "from-env" {
		t.Fatalf("%+v %v auth %q", c, err, auth)
	}
	env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile
	if _, err := retrieve(t, env, ""); err != nil || auth != "from-file" {
		t.Errorf("token file: %v auth %q", err, auth)
	}
	env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://example.com/creds"
	if _, err := retrieve(t, env, ""); err == nil || !strings.Contains(err.Error(), "plain http is allowed only to the loopback") {
		t.Errorf("remote http: %v", err)
	}
}

func TestInstanceRole(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/latest/api/token":
			w.Write([]byte("imds-token"))
		case "/latest/meta-data/iam/security-credentials/":
			w.Write([]byte("web-role"))
		case "/latest/meta-data/iam/security-credentials/web-role":
			json.NewEncoder(w).Encode(map[string]string{"Code": "Success", "AccessKeyId": "AKEC2", "SecretAccessKey": secretKey,
				"Token": secretToken, "Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", srv.URL)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "")
	env := awsFiles(t, "", "")
	delete(env, "AWS_EC2_METADATA_DISABLED")
	c, err := retrieve(t, env, "")
	if err != nil || c.AccessKeyID != "AKEC2" {
		t.Fatalf("%+v %v", c, err)
	}
	env["AWS_EC2_METADATA_DISABLED"] = "true"
	if _, err := retrieve(t, env, ""); err == nil || !strings.HasPrefix(err.Error(), "no AWS credentials found") {
		t.Errorf("disabled: %v", err)
	}
}

func TestCredentialProcess(t *testing.T) {
	env := awsFiles(t, `[profile proc]
credential_process = printf '{"Version":1,"AccessKeyId":"AKPROC","SecretAccessKey":"`+secretKey+`"}'
`, "")
	c, err := retrieve(t, env, "proc")
	if err != nil || c.AccessKeyID != "AKPROC" {
		t.Errorf("%+v %v", c, err)
	}
}

func TestCredentialProcessOutputStaysOutOfErrors(t *testing.T) {
	env := awsFiles(t, `[profile leaky]
credential_process = printf 'AccessKeyId=AK SecretAccessKey=`+secretKey+`'
[profile failing]
credential_process = sh -c 'exit 3'
`, "")
	_, err := retrieve(t, env, "leaky")
	if err == nil || !strings.HasPrefix(err.Error(), "the credential_process of AWS profile leaky printed no credentials formwork can read") {
		t.Errorf("%v", err)
	}
	noSecret(t, err)
	if _, err := retrieve(t, env, "failing"); err == nil || !strings.HasPrefix(err.Error(), "the credential_process of AWS profile failing failed: ") {
		t.Errorf("%v", err)
	}
}
