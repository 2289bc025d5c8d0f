package commands

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

func TestParamsSkeleton(t *testing.T) {
	useStacks(t, demoApp)
	r := formwork(t, "params", "demo-app").wantExit(t, exitOK)
	want := `{
  "Parameters": {
    "Repository": "",
    "Branch": "main",
    "Stage": "dev",
    "Retries": "3"
  },
  "Descriptions": {
    "Repository": "GitHub repository, owner/name. (String; required; must be owner/name)",
    "Branch": "Branch to deploy. (String; default \"main\")",
    "Stage": "(String; default \"dev\"; one of dev, prod)",
    "Retries": "(Number; default \"3\")"
  }
}
`
	if r.stdout != want || r.stderr != "" {
		t.Errorf("params printed\n%s\nwant\n%s\nstderr %q", r.stdout, want, r.stderr)
	}
	var doc map[string]map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Errorf("params output is not JSON: %v", err)
	}
}

func TestParamsMarksSecrets(t *testing.T) {
	secret := templates.Stack{Name: "secret", Description: "", Build: func(t *templates.Template) {
		t.Parameter("Token", cloudformation.Parameter{Type: "String", NoEcho: ptr(true)})
		t.Resource("Topic", &sns.Topic{DisplayName: cloudformation.RefPtr("Token")}, "")
	}}
	useStacks(t, secret)
	r := formwork(t, "params", "secret").wantExit(t, exitOK)
	if !strings.Contains(r.stdout, `"Token": "(String; required; secret: NoEcho)"`) {
		t.Errorf("params does not mark the NoEcho parameter:\n%s", r.stdout)
	}
}

func TestParamsWithoutParameters(t *testing.T) {
	useStacks(t, namedRole)
	r := formwork(t, "params", "named-role").wantExit(t, exitOK)
	if r.stdout != "{\n  \"Parameters\": {},\n  \"Descriptions\": {}\n}\n" {
		t.Errorf("params printed %q", r.stdout)
	}
}

// A filled-in skeleton is what deploy --params reads.
func TestParamsFileFeedsDeploy(t *testing.T) {
	useStacks(t, demoApp)
	skeleton := formwork(t, "params", "demo-app").wantExit(t, exitOK).stdout
	file := filepath.Join(t.TempDir(), "demo.json")
	os.WriteFile(file, []byte(skeleton), 0o644)
	dir := goldenDir(t, demoApp)
	formwork(t, "deploy", "demo-app", "--golden", dir, "--params", file).
		wantUsage(t, "parameter Repository has no default, so it needs a value")

	os.WriteFile(file, []byte(strings.Replace(skeleton, `"Repository": "",`, `"Repository": "acme/site",`, 1)), 0o644)
	r := formwork(t, "deploy", "demo-app", "--golden", dir, "--params", file).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "--parameter-overrides Repository=acme/site Branch=main Stage=dev Retries=3 \\\n") {
		t.Errorf("deploy did not take the file's values:\n%s", r.stdout)
	}
}

func TestParamsArgumentErrors(t *testing.T) {
	useStacks(t, demoApp)
	formwork(t, "params").wantUsage(t, "params takes one stack name, got 0 arguments")
	formwork(t, "params", "demo-ap").wantUsage(t, `unknown stack "demo-ap": did you mean "demo-app"?`)
}
