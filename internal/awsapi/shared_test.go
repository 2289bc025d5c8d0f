package awsapi

import (
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
