package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const demoProd = `account: "123456789012"
region: eu-west-1
tags:
  environment: prod
stacks:
  demo-app:
    stackName: demo-prod
    parameters:
      Repository: acme/site
      Stage: prod
    tags:
      owner: web team
`

func TestDeployWithEnvironment(t *testing.T) {
	useStacks(t, demoApp)
	envs := writeEnvironment(t, "", "prod", demoProd)
	dir := goldenDir(t, demoApp)
	r := formwork(t, "deploy", "demo-app", "--env", "prod", "--environments", envs, "--golden", dir, "--param", "Branch=release").wantExit(t, exitOK)
	want := "aws cloudformation deploy --template-file " + dir + "/demo-app.yaml --stack-name demo-prod --region eu-west-1" +
		" --capabilities CAPABILITY_IAM --parameter-overrides Repository=acme/site Branch=release Stage=prod" +
		" --tags environment=prod 'owner=web team' --no-fail-on-empty-changeset\n"
	if got := oneCommandLine(r.stdout); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	r = formwork(t, "deploy", "demo-app", "--env", "prod", "--environments", envs, "--golden", dir, "--stack-name", "other", "--region", "us-east-2", "--profile", "ops").wantExit(t, exitOK)
	if !strings.Contains(oneCommandLine(r.stdout), "--stack-name other --region us-east-2 --profile ops") {
		t.Errorf("flags win over the environment:\n%s", r.stdout)
	}
	bad := writeEnvironment(t, "", "prod", strings.Replace(demoProd, "Stage: prod", "Stage: qa", 1))
	formwork(t, "deploy", "demo-app", "--env", "prod", "--environments", bad, "--golden", dir).
		wantUsage(t, "prod.yaml:10: demo-app: parameter Stage is \"qa\", which is not one of its allowed values: dev, prod")
	other := writeEnvironment(t, "", "prod", "stacks:\n  named-role:\n")
	formwork(t, "deploy", "demo-app", "--env", "prod", "--environments", other, "--golden", dir).
		wantUsage(t, "prod.yaml has no entry for stack demo-app: add it under stacks: (it has named-role)")
}

// oneCommandLine joins a printed command's continuation lines.
func oneCommandLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\\\n", "")), " ") + "\n"
}

func TestParamsWithEnvironment(t *testing.T) {
	useStacks(t, demoApp)
	envs := writeEnvironment(t, "", "prod", demoProd)
	r := formwork(t, "params", "demo-app", "--env", "prod", "--environments", envs).wantExit(t, exitOK)
	for _, want := range []string{`"Repository": "acme/site"`, `"Branch": "main"`, `"Stage": "prod"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("params --env lacks %s:\n%s", want, r.stdout)
		}
	}
}

func TestValidateChecksEveryEnvironment(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	envs := writeEnvironment(t, "", "prod", demoProd)
	r := formwork(t, "validate", "--no-cfn-lint", "--environments", envs).wantExit(t, exitOK)
	if !strings.Contains(r.stderr, "1 environment checked") {
		t.Errorf("stderr: %s", r.stderr)
	}
	writeEnvironment(t, envs, "staging", `stacks:
  demo-app:
    parameters:
      Repository: not a repository
      Retries: three
  named-role:
    stackName: -bad
`)
	r = formwork(t, "validate", "--no-cfn-lint", "--environments", envs).wantExit(t, exitFindings)
	path := filepath.Join(envs, "staging.yaml")
	want := path + `:4: demo-app: parameter Repository is "not a repository": must be owner/name` + "\n" +
		path + `:5: demo-app: parameter Retries is a Number, and "three" is not a number` + "\n" +
		path + `:6: named-role: stackName "-bad": a CloudFormation stack name is a letter then up to 127 letters, digits and dashes` + "\n"
	if r.stdout != want {
		t.Errorf("got\n%s\nwant\n%s", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "3 findings in 2 stacks") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestCheckRefusesUnknownStacksAndParameters(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	envs := writeEnvironment(t, "", "prod", demoProd)
	formwork(t, "check", "--golden", dir, "--environments", envs).wantExit(t, exitOK)
	// a value the constraints reject is validate's business, not check's
	writeEnvironment(t, envs, "prod", strings.Replace(demoProd, "Stage: prod", "Stage: qa", 1))
	formwork(t, "check", "--golden", dir, "--environments", envs).wantExit(t, exitOK)
	writeEnvironment(t, envs, "prod", strings.Replace(demoProd, "Stage: prod", "Stag: prod", 1)+"  demo-ap:\n")
	r := formwork(t, "check", "--golden", dir, "--environments", envs).wantExit(t, exitFindings)
	path := filepath.Join(envs, "prod.yaml")
	want := path + `:10: demo-app: unknown parameter "Stag": did you mean "Stage"? (formwork params demo-app lists them)` + "\n" +
		path + `:13: unknown stack "demo-ap": did you mean "demo-app"? (formwork list shows them)` + "\n"
	if r.stdout != want || !strings.Contains(r.stderr, "2 findings: environment files name stacks or parameters that do not exist") {
		t.Errorf("stdout\n%s\nwant\n%s\nstderr %s", r.stdout, want, r.stderr)
	}
	writeEnvironment(t, envs, "prod", "stacks: [\n")
	formwork(t, "check", "--golden", dir, "--environments", envs).wantUsage(t, "prod.yaml:1: not YAML")
}

func TestEnvExport(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	envs := writeEnvironment(t, "", "prod", demoProd+"  named-role:\n")
	out := filepath.Join(t.TempDir(), "deploy")
	r := formwork(t, "env", "export", "prod", "--environments", envs, "--out", out).wantExit(t, exitOK)
	if !strings.Contains(r.stderr, "wrote 2 template configurations to "+out) {
		t.Errorf("stderr: %s", r.stderr)
	}
	got := listDir(t, out)
	want := "{\n  \"Parameters\": {\n    \"Repository\": \"acme/site\",\n    \"Stage\": \"prod\"\n  },\n  \"Tags\": {\n    \"environment\": \"prod\",\n    \"owner\": \"web team\"\n  }\n}\n"
	if got["demo-app.json"] != want || !strings.Contains(got["named-role.json"], `"Parameters": {}`) || len(got) != 2 {
		t.Errorf("exported files: %v", got)
	}
	formwork(t, "env", "export", "--environments", envs).wantUsage(t, "env export takes one environment name")
	formwork(t, "env", "export", "qa", "--environments", envs).wantUsage(t, "no environment qa")
	writeEnvironment(t, envs, "bad", "stacks:\n  demo-app:\n    parameters: {Stage: qa}\n")
	empty := filepath.Join(t.TempDir(), "none")
	r = formwork(t, "env", "export", "bad", "--environments", envs, "--out", empty).wantExit(t, exitUsage)
	if !strings.Contains(r.stderr, "bad.yaml:3: demo-app: parameter Stage") || !strings.Contains(r.stderr, "has 2 problems: fix them, then export") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if _, err := os.Stat(empty); err == nil {
		t.Errorf("a refused export wrote %s", empty)
	}
}
