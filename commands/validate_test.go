package commands

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/formwork-dev/formwork/templates"
)

func TestValidateCleanStacks(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	r := formwork(t, "validate", "--no-cfn-lint").wantExit(t, exitOK)
	if r.stdout != "" || r.stderr != "formwork: 2 stacks valid (cfn-lint skipped: --no-cfn-lint)\n" {
		t.Errorf("validate printed %q / %q", r.stdout, r.stderr)
	}
}

func TestValidateSaysWhenCfnLintIsMissing(t *testing.T) {
	useStacks(t, demoApp)
	hideTools(t)
	r := formwork(t, "validate").wantExit(t, exitOK)
	if r.stderr != "formwork: 1 stack valid (cfn-lint is not on PATH, so it was skipped: pip install cfn-lint)\n" {
		t.Errorf("validate stderr %q", r.stderr)
	}
}

func TestValidateReportsFindingsOneALine(t *testing.T) {
	useStacks(t, demoApp, broken)
	r := formwork(t, "validate", "broken", "--no-cfn-lint").wantExit(t, exitFindings)
	want := "broken: Gone: Value: !Ref Missing: no parameter or resource is named \"Missing\" [references_declared]\n" +
		"broken: Url: Value: !GetAtt Topic.Url: AWS::SNS::Topic has no attribute \"Url\"; it has "
	if !strings.HasPrefix(r.stdout, want) || strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "TopicArn") || !strings.HasSuffix(r.stdout, " [getatt_attributes]\n") {
		t.Errorf("validate printed\n%s\nwant\n%s...", r.stdout, want)
	}
	if r.stderr != "formwork: 2 findings in 1 stack (cfn-lint skipped: --no-cfn-lint)\n" {
		t.Errorf("validate stderr %q", r.stderr)
	}
}

func TestValidateWarnsAboutLargeBodies(t *testing.T) {
	useStacks(t, bigStack)
	r := formwork(t, "validate", "--no-cfn-lint").wantExit(t, exitOK)
	if !strings.HasPrefix(r.stdout, "warning: big-stack: template body is ") || !strings.Contains(r.stdout, "deploy with --s3-bucket") {
		t.Errorf("validate did not warn about the body size:\n%s", r.stdout)
	}
}

func TestValidateUnknownStack(t *testing.T) {
	useStacks(t, demoApp)
	formwork(t, "validate", "demo-ap").wantUsage(t, `unknown stack "demo-ap": did you mean "demo-app"?`)
}

// fakeCfnLint answers for the first file it is given, as cfn-lint's JSON
// format does.
const fakeCfnLint = `file="$4"
cat <<JSON
[{"Filename": "$file", "Level": "Warning", "Message": "something\nodd",
  "Location": {"Path": ["Resources", "Topic", "Properties", "Tags", 0, "Value"]},
  "Rule": {"Id": "W9999"}},
 {"Filename": "$file", "Level": "Error", "Message": "template-wide",
  "Location": {"Path": []}, "Rule": {"Id": "E1001"}}]
JSON
exit 6
`

func TestValidateMapsCfnLintFindings(t *testing.T) {
	useStacks(t, demoApp)
	fakeTool(t, "cfn-lint", fakeCfnLint)
	r := formwork(t, "validate").wantExit(t, exitFindings)
	want := "demo-app: Topic: Properties.Tags[0].Value: cfn-lint W9999 (warning): something odd [cfn-lint:W9999]\n" +
		"demo-app: cfn-lint E1001 (error): template-wide [cfn-lint:E1001]\n"
	if r.stdout != want {
		t.Errorf("validate printed\n%s\nwant\n%s", r.stdout, want)
	}
	if r.stderr != "formwork: 2 findings in 1 stack (cfn-lint checked 1 template)\n" {
		t.Errorf("validate stderr %q", r.stderr)
	}
}

// TestValidateWaivesCfnLintRules: a waiver names a cfn-lint rule by its id
// and excuses its findings on that entry; one that excuses nothing is a
// finding; --waivers lists them.
func TestValidateWaivesCfnLintRules(t *testing.T) {
	waived := demoApp
	waived.Build = func(t *templates.Template) {
		demoApp.Build(t)
		t.Waive("Topic", "cfn-lint:W9999", "the tag is odd on purpose")
	}
	useStacks(t, waived)
	fakeTool(t, "cfn-lint", fakeCfnLint)
	r := formwork(t, "validate").wantExit(t, exitFindings)
	if want := "demo-app: cfn-lint E1001 (error): template-wide [cfn-lint:E1001]\n"; r.stdout != want {
		t.Errorf("validate printed\n%s\nwant\n%s", r.stdout, want)
	}
	r = formwork(t, "validate", "--waivers").wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "demo-app: Topic: cfn-lint:W9999: the tag is odd on purpose") {
		t.Errorf("--waivers does not list the cfn-lint waiver:\n%s", r.stdout)
	}

	stale := demoApp
	stale.Build = func(t *templates.Template) {
		demoApp.Build(t)
		t.Waive("Role", "cfn-lint:W3011", "nothing to excuse")
	}
	useStacks(t, stale)
	r = formwork(t, "validate").wantExit(t, exitFindings)
	if !strings.Contains(r.stdout, "demo-app: Role: waiver of rule cfn-lint:W3011 excuses no finding on Role: cfn-lint no longer reports it, so delete the waiver") {
		t.Errorf("a waiver that excuses nothing is not a finding:\n%s", r.stdout)
	}
}

func TestValidateCfnLintCrash(t *testing.T) {
	useStacks(t, demoApp)
	fakeTool(t, "cfn-lint", "echo 'Traceback (most recent call last):' >&2\necho boom >&2\nexit 1\n")
	r := formwork(t, "validate").wantExit(t, exitFindings)
	if r.stderr != "formwork: cfn-lint failed (exit status 1): Traceback (most recent call last):: fix cfn-lint or pass --no-cfn-lint\n" {
		t.Errorf("validate stderr %q", r.stderr)
	}
}

func TestValidateWithRealCfnLint(t *testing.T) {
	if _, err := exec.LookPath("cfn-lint"); err != nil || testing.Short() {
		t.Skip("needs cfn-lint on PATH and no -short")
	}
	slow := templates.Stack{Name: "slow-fn", Description: "timeout over Lambda's limit", Build: func(t *templates.Template) {
		t.Resource("Fn", &lambda.Function{Runtime: ptr("python3.13"), Handler: ptr("index.handler"), Timeout: ptr(2000),
			Role: "arn:aws:iam::123456789012:role/x", Code: &lambda.Function_Code{ZipFile: ptr("def handler(e, c):\n    return 1\n")}}, "")
	}}
	useStacks(t, slow)
	r := formwork(t, "validate").wantExit(t, exitFindings)
	if !strings.Contains(r.stdout, "slow-fn: Fn: Properties.Timeout: cfn-lint E3034 (error): 2000 is greater than the maximum of 900") {
		t.Errorf("validate did not report cfn-lint's finding:\n%s", r.stdout)
	}
}
