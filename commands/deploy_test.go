package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

func TestDeployPrintsTheCommand(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	r := formwork(t, "deploy", "demo-app", "--golden", dir, "--param", "Repository=acme/site", "--param", "Branch=it's new").wantExit(t, exitOK)
	want := "aws cloudformation deploy \\\n" +
		"  --template-file " + dir + "/demo-app.yaml \\\n" +
		"  --stack-name demo-app \\\n" +
		"  --capabilities CAPABILITY_IAM \\\n" +
		"  --parameter-overrides Repository=acme/site 'Branch=it'\\''s new' \\\n" +
		"  --no-fail-on-empty-changeset\n"
	if r.stdout != want || r.stderr != "" {
		t.Errorf("deploy printed\n%s\nwant\n%s\nstderr %q", r.stdout, want, r.stderr)
	}
}

func TestDeployCapabilities(t *testing.T) {
	cases := map[string]string{
		"named-role":  "--capabilities CAPABILITY_NAMED_IAM \\",
		"transformed": "--capabilities CAPABILITY_AUTO_EXPAND \\",
	}
	useStacks(t, namedRole, transformed)
	dir := goldenDir(t, namedRole, transformed)
	for stack, want := range cases {
		r := formwork(t, "deploy", stack, "--golden", dir).wantExit(t, exitOK)
		if !strings.Contains(r.stdout, want) {
			t.Errorf("deploy %s does not ask for %q:\n%s", stack, want, r.stdout)
		}
		if strings.Contains(r.stdout, "--parameter-overrides") {
			t.Errorf("deploy %s passes overrides it was not given:\n%s", stack, r.stdout)
		}
	}
}

func TestDeployStackNameAndBucket(t *testing.T) {
	useStacks(t, bigStack)
	dir := goldenDir(t, bigStack)
	r := formwork(t, "deploy", "--stack-name", "fn-prod", "big-stack", "--golden", dir, "--s3-bucket", "my-artifacts").wantExit(t, exitOK)
	for _, want := range []string{"  --stack-name fn-prod \\\n", "  --s3-bucket my-artifacts \\\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("deploy output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "--capabilities") {
		t.Errorf("a stack without IAM resources needs no capabilities:\n%s", r.stdout)
	}
}

func TestDeployBucketFromEnvironment(t *testing.T) {
	useStacks(t, bigStack)
	t.Setenv("FORMWORK_S3_BUCKET", "env-bucket")
	r := formwork(t, "deploy", "big-stack", "--golden", goldenDir(t, bigStack)).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "--s3-bucket env-bucket") {
		t.Errorf("FORMWORK_S3_BUCKET was not used:\n%s", r.stdout)
	}
}

func TestDeployLargeTemplateNeedsBucket(t *testing.T) {
	useStacks(t, bigStack)
	dir := goldenDir(t, bigStack)
	formwork(t, "deploy", "big-stack", "--golden", dir).wantUsage(t, "big-stack.yaml is ", "over the 51,200 bytes", "pass --s3-bucket BUCKET")
}

func TestDeployParameterErrors(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	dir := goldenDir(t, demoApp, namedRole)
	deploy := func(args ...string) result {
		return formwork(t, append([]string{"deploy", "demo-app", "--golden", dir}, args...)...)
	}
	deploy().wantUsage(t, "demo-app needs a value for Repository (no default): pass --param Repository=VALUE or --params FILE (formwork params demo-app writes one)")
	deploy("--param", "Repository=a/b", "--param", "Brnch=x").wantUsage(t, `demo-app has no parameter "Brnch": did you mean "Branch"?`)
	deploy("--param", "Repository=a/b", "--param", "Zzzzzzzzzzzzzz=x").wantUsage(t, `has no parameter "Zzzzzzzzzzzzzz": it has Repository, Branch, Stage, Retries`)
	deploy("--param", "Repository").wantUsage(t, `--param "Repository" is not KEY=VALUE: write e.g. --param Branch=main`)
	deploy("--param", "=x").wantUsage(t, `--param "=x" is not KEY=VALUE`)
	deploy("--param", "Repository=").wantUsage(t, "parameter Repository has no default, so it needs a value")
	deploy("--param", "Repository=nope").wantUsage(t, `parameter Repository is "nope": must be owner/name`)
	deploy("--param", "Repository=a/b", "--param", "Stage=qa").wantUsage(t, `parameter Stage is "qa", which is not one of its allowed values: dev, prod`)
	deploy("--param", "Repository=a/b", "--param", "Retries=many").wantUsage(t, `parameter Retries is a Number, and "many" is not a number`)
	formwork(t, "deploy", "named-role", "--golden", dir, "--param", "X=1").wantUsage(t, "named-role has no parameters, but X was given")
}

func TestDeployValueWithCommaIsOneValue(t *testing.T) {
	useStacks(t, demoApp)
	r := formwork(t, "deploy", "demo-app", "--golden", goldenDir(t, demoApp), "--param", "Repository=a/b", "--param", "Branch=a,b ").wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "'Branch=a,b '") {
		t.Errorf("a value with a comma and a trailing space must pass through whole:\n%s", r.stdout)
	}
}

func TestDeployArgumentErrors(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	formwork(t, "deploy").wantUsage(t, "deploy takes one stack name, got 0 arguments")
	formwork(t, "deploy", "demo-app", "named-role").wantUsage(t, "deploy takes one stack name, got 2 arguments")
	formwork(t, "deploy", "demo-ap").wantUsage(t, `unknown stack "demo-ap": did you mean "demo-app"?`)
	formwork(t, "deploy", "demo-app", "--golden", dir, "--param", "Repository=a/b", "--stack-name", "9lives").
		wantUsage(t, `--stack-name "9lives": a stack name is a letter then up to 127 letters, digits and dashes`)
}

func TestDeployParamsFileFormats(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	files := map[string]string{
		"codepipeline.json":   `{"Parameters": {"Repository": "acme/site", "Stage": "prod"}, "Descriptions": {"Repository": "ignored"}}`,
		"cloudformation.json": `[{"ParameterKey": "Repository", "ParameterValue": "acme/site"}, {"ParameterKey": "Stage", "ParameterValue": "prod"}]`,
		"strings.json":        `["Repository=acme/site", "Stage=prod"]`,
	}
	for name, content := range files {
		path := filepath.Join(t.TempDir(), name)
		os.WriteFile(path, []byte(content), 0o644)
		r := formwork(t, "deploy", "demo-app", "--golden", dir, "--params", path, "--param", "Stage=dev").wantExit(t, exitOK)
		if !strings.Contains(r.stdout, "--parameter-overrides Repository=acme/site Stage=dev \\\n") {
			t.Errorf("%s: --param must win over the file, in template order:\n%s", name, r.stdout)
		}
	}
}

func TestDeployBadParamsFile(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	deploy := func(file string) result {
		return formwork(t, "deploy", "demo-app", "--golden", dir, "--params", file)
	}
	missing := filepath.Join(tmp, "missing.json")
	deploy(missing).wantUsage(t, "--params "+missing+": no such file or directory: pass a readable JSON file")
	deploy(write("bad.json", "{")).wantUsage(t, "is not valid JSON", "formwork params STACK writes a skeleton")
	deploy(write("obj.json", `{"Repository": "a/b"}`)).wantUsage(t, `no "Parameters" object: use {"Parameters"`)
	deploy(write("extra.json", `[{"ParameterKey": "Repository", "ParameterValue": "a/b", "UsePreviousValue": true}]`)).
		wantUsage(t, "each entry needs exactly ParameterKey and ParameterValue")
	deploy(write("bool.json", `{"Parameters": {"Repository": true}}`)).wantUsage(t, "the value of Repository must be a string")
	deploy(write("num.json", `7`)).wantUsage(t, "not a parameters file")
	deploy(write("unknown.json", `["Repository=a/b", "Colour=red"]`)).wantUsage(t, `demo-app has no parameter "Colour"`)
}

func TestDeployRefusesStaleOrMissingGolden(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	path := filepath.Join(dir, "demo-app.yaml")
	os.WriteFile(path, []byte("Resources: {}\n"), 0o644)
	r := formwork(t, "deploy", "demo-app", "--golden", dir, "--param", "Repository=a/b").wantExit(t, exitFindings)
	if r.stdout != "" || r.stderr != "formwork: "+path+" is not the current render of the stack: run make golden, review and commit it, then deploy\n" {
		t.Errorf("stale golden: %q / %q", r.stdout, r.stderr)
	}
	os.Remove(path)
	r = formwork(t, "deploy", "demo-app", "--golden", dir, "--param", "Repository=a/b").wantExit(t, exitFindings)
	if r.stderr != "formwork: "+path+" does not exist: run make golden (or pass --golden DIR)\n" {
		t.Errorf("missing golden: %q", r.stderr)
	}
}

func TestDeployStackWithFindings(t *testing.T) {
	useStacks(t, broken)
	r := formwork(t, "deploy", "broken", "--golden", t.TempDir()).wantExit(t, exitUsage)
	if !strings.Contains(r.stderr, "broken: Gone: Value: !Ref Missing") {
		t.Errorf("deploy did not report the findings:\n%s", r.stderr)
	}
}

func TestDeployExecuteRunsAws(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	log := filepath.Join(t.TempDir(), "argv")
	fakeTool(t, "aws", `for a in "$@"; do printf '%s\n' "$a"; done > `+log+"\necho deployed\n")
	r := formwork(t, "deploy", "demo-app", "--golden", dir, "--param", "Repository=a/b", "--param", "Branch=x y", "--execute").wantExit(t, exitOK)
	got, _ := os.ReadFile(log)
	want := strings.Join([]string{"cloudformation", "deploy", "--template-file", dir + "/demo-app.yaml", "--stack-name", "demo-app",
		"--capabilities", "CAPABILITY_IAM", "--parameter-overrides", "Repository=a/b", "Branch=x y", "--no-fail-on-empty-changeset"}, "\n") + "\n"
	if string(got) != want {
		t.Errorf("aws ran with\n%s\nwant\n%s", got, want)
	}
	if r.stdout != "deployed\n" || !strings.HasPrefix(r.stderr, "+ aws cloudformation deploy \\\n") {
		t.Errorf("deploy --execute printed %q / %q", r.stdout, r.stderr)
	}
}

func TestDeployExecuteFailure(t *testing.T) {
	useStacks(t, namedRole)
	dir := goldenDir(t, namedRole)
	fakeTool(t, "aws", "echo 'An error occurred (AccessDenied)' >&2\nexit 254\n")
	r := formwork(t, "deploy", "named-role", "--golden", dir, "--execute").wantExit(t, exitFindings)
	if !strings.HasSuffix(r.stderr, "An error occurred (AccessDenied)\nformwork: aws cloudformation deploy failed (exit status 254): see its output above\n") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestDeployExecuteWithoutAws(t *testing.T) {
	useStacks(t, namedRole)
	hideTools(t)
	formwork(t, "deploy", "named-role", "--golden", goldenDir(t, namedRole), "--execute").
		wantUsage(t, "the aws CLI is not on PATH: install AWS CLI v2, or run without --execute and copy the command")
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", "a/b=c:d,e@f%g+h.i-j_k": "a/b=c:d,e@f%g+h.i-j_k", "": "''",
		"two words": "'two words'", "it's": `'it'\''s'`, "$HOME": "'$HOME'", "rate(1 day)": "'rate(1 day)'", "line\nbreak": "'line\nbreak'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// The printed command, pasted into a shell, must pass every value through
// unchanged, whatever characters it holds.
func TestDeployPrintedCommandRoundTripsThroughTheShell(t *testing.T) {
	useStacks(t, demoApp)
	dir := goldenDir(t, demoApp)
	branch := "it's $HOME `x` \"q\" \\ *\nline two"
	r := formwork(t, "deploy", "demo-app", "--golden", dir, "--param", "Repository=a/b", "--param", "Branch="+branch).wantExit(t, exitOK)
	log := filepath.Join(t.TempDir(), "argv")
	fakeTool(t, "aws", `for a in "$@"; do printf '%s\0' "$a"; done > `+log+"\n")
	cmd := exec.Command("sh", "-c", r.stdout)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sh could not run the printed command: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(log)
	args := strings.Split(strings.TrimSuffix(string(got), "\x00"), "\x00")
	if len(args) != 12 || args[10] != "Branch="+branch {
		t.Errorf("the shell passed %q", args)
	}
}

func TestDeployNamesTheRegionTheRulesPin(t *testing.T) {
	pinned := templates.Stack{Name: "pinned", Description: "must run in us-east-1", Build: func(t *templates.Template) {
		t.Rule("InUsEast1", map[string]any{"Assertions": []any{map[string]any{
			"Assert": cloudformation.Equals(cloudformation.Ref("AWS::Region"), "us-east-1"),
		}}})
		t.Resource("Topic", &sns.Topic{}, "")
	}}
	useStacks(t, pinned, demoApp)
	dir := goldenDir(t, pinned, demoApp)
	r := formwork(t, "deploy", "pinned", "--golden", dir).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "  --region us-east-1 \\\n") {
		t.Errorf("deploy does not name the region the template's rules require:\n%s", r.stdout)
	}
	r = formwork(t, "deploy", "demo-app", "--golden", dir, "--param", "Repository=a/b").wantExit(t, exitOK)
	if strings.Contains(r.stdout, "--region") {
		t.Errorf("a template without a region rule must leave the region to the AWS CLI:\n%s", r.stdout)
	}
}
