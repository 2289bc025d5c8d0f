package awsapi

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseINI(t *testing.T) {
	got, err := parseINI([]byte(`# a comment
[profile  dev]
region = eu-west-1
Endpoint_URL = http://localhost:4566
services = local
; another
[services local]
s3 =
  endpoint_url = http://localhost:9000
sso_oidc =
	endpoint_url = http://localhost:9001
cloudformation =
  endpoint_url = http://localhost:5000
[default]
key = a = b
`))
	want := map[string]section{
		"profile dev":    {"region": "eu-west-1", "endpoint_url": "http://localhost:4566", "services": "local"},
		"services local": {"s3.endpoint_url": "http://localhost:9000", "sso_oidc.endpoint_url": "http://localhost:9001", "cloudformation.endpoint_url": "http://localhost:5000"},
		"default":        {"key": "a = b"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%v %v", got, err)
	}
	for text, msg := range map[string]string{
		"[profile dev\nregion = x\n": `line 1: "[profile dev" is not a [section] header`,
		"region = x\n":               "line 1: want key = value inside a [section]",
		"[default]\nregion\n":        "line 2: want key = value inside a [section]",
	} {
		if _, err := parseINI([]byte(text)); err == nil || err.Error() != msg {
			t.Errorf("%q: %v, want %s", text, err, msg)
		}
	}
}

// The profile's services section gives its endpoints.
func TestProfileServicesEndpoints(t *testing.T) {
	env := awsFiles(t, "[profile dev]\nregion = eu-west-1\nservices = local\n[services local]\ncloudformation =\n  endpoint_url = http://localhost:5000\n", "")
	cfg, err := loadConfig(Options{Profile: "dev"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.client(nil)
	cfn, _ := c.Endpoint(CloudFormation)
	s3, _ := c.Endpoint(S3)
	if cfn.URL.String() != "http://localhost:5000" || !cfn.Custom || s3.URL.String() != "https://s3.eu-west-1.amazonaws.com" {
		t.Errorf("cloudformation %s, s3 %s", cfn.URL, s3.URL)
	}
}

func TestUnreadableFilesSayWhich(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "config")
	os.WriteFile(bad, []byte("region = x\n"), 0o600)
	_, err := loadConfig(Options{}, func(k string) string {
		return map[string]string{"AWS_CONFIG_FILE": bad, "AWS_SHARED_CREDENTIALS_FILE": dir}[k]
	})
	if err == nil || !strings.HasPrefix(err.Error(), bad+": line 1: want key = value") {
		t.Errorf("%v", err)
	}
	_, err = loadConfig(Options{}, func(k string) string { return map[string]string{"AWS_CONFIG_FILE": dir}[k] })
	if err == nil || !strings.HasPrefix(err.Error(), "cannot read the AWS file "+dir) {
		t.Errorf("%v", err)
	}
}

// AWS_CA_BUNDLE (or the profile's ca_bundle) adds certificates to trust, as
// behind a TLS-inspecting proxy.
func TestCABundle(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(identity)) }))
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	env := awsFiles(t, "[default]\nregion = us-east-1\n", "", "AWS_ACCESS_KEY_ID", "AK", "AWS_SECRET_ACCESS_KEY", "s", "AWS_ENDPOINT_URL", srv.URL)
	call := func() error {
		cfg, err := loadConfig(Options{}, func(k string) string { return env[k] })
		if err != nil {
			return err
		}
		creds, _ := cfg.credentials()
		_, err = cfg.client(creds).CallerIdentity(context.Background())
		return err
	}
	if err := call(); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an unknown certificate is trusted: %v", err)
	}
	env["AWS_CA_BUNDLE"] = bundle
	if err := call(); err != nil {
		t.Errorf("with the bundle: %v", err)
	}
	env["AWS_CA_BUNDLE"] = env["AWS_CONFIG_FILE"]
	if err := call(); err == nil || !strings.HasSuffix(err.Error(), "holds no PEM certificate") {
		t.Errorf("not a bundle: %v", err)
	}
}
