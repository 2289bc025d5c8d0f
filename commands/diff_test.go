package commands

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

const diffCases = "../internal/diff/testdata"

// diffDirs copies the testdata pairs into base/ and head/ directories named
// after each case, as golden/ at two commits would look.
func diffDirs(t *testing.T) (base, head string) {
	t.Helper()
	root := t.TempDir()
	base, head = filepath.Join(root, "base"), filepath.Join(root, "head")
	for _, d := range []string{base, head} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cases, err := os.ReadDir(diffCases)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.Name() == "fuzz" { // the diff's fuzz corpus, not a case
			continue
		}
		for side, dir := range map[string]string{"base": base, "head": head} {
			matches, _ := filepath.Glob(filepath.Join(diffCases, c.Name(), side+".*"))
			data, err := os.ReadFile(matches[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, c.Name()+filepath.Ext(matches[0])), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return base, head
}

func runDiff(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"formwork", "diff"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDiffExitCode(t *testing.T) {
	base, head := diffDirs(t)
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--base", base, "--head", head, "--exit-code", "no-change"}, exitOK},
		{[]string{"--base", base, "--head", head, "--exit-code", "rename"}, exitFindings},
		{[]string{"--base", base, "--head", head, "--exit-code"}, exitFindings},
		{[]string{"--base", base, "--head", head, "rename"}, exitOK}, // differences without --exit-code
	} {
		code, stdout, stderr := runDiff(t, tc.args...)
		if code != tc.want || stderr != "" {
			t.Errorf("formwork diff %v: exit %d (want %d), stderr %q\n%s", tc.args, code, tc.want, stderr, stdout)
		}
	}
}

func TestDiffFormats(t *testing.T) {
	base, head := diffDirs(t)
	_, text, _ := runDiff(t, "--base", base, "--head", head, "bucket-replacement")
	if !strings.HasPrefix(text, "1 of 1 stack changed") || !strings.Contains(text, "DATA AT RISK") {
		t.Errorf("text report:\n%s", text)
	}
	_, md, _ := runDiff(t, "--base", base, "--head", head, "--format", "markdown", "bucket-replacement")
	if !strings.HasPrefix(md, "<!-- formwork-diff -->") || !strings.Contains(md, "<details>") {
		t.Errorf("markdown report:\n%s", md)
	}
	_, js, _ := runDiff(t, "--base", base, "--head", head, "--format", "json")
	var report struct {
		SchemaVersion int
		Stacks        []struct{ Stack, Status string }
	}
	cases, _ := filepath.Glob(filepath.Join(diffCases, "*", "report.json"))
	if err := json.Unmarshal([]byte(js), &report); err != nil || report.SchemaVersion != 3 || len(report.Stacks) != len(cases) {
		t.Errorf("json report (%v):\n%s", err, js)
	}
}

// TestDiffMissingBaseIsAddedStack: a template only in --head is a new stack,
// one only in --base a removed stack.
func TestDiffMissingBaseIsAddedStack(t *testing.T) {
	base, head := diffDirs(t)
	if err := os.Remove(filepath.Join(base, "rename.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(head, "no-change.yaml")); err != nil {
		t.Fatal(err)
	}
	_, js, stderr := runDiff(t, "--base", base, "--head", head, "--format", "json")
	for _, want := range []string{`"stack": "rename",` + "\n      \"status\": \"added\"", `"stack": "no-change",` + "\n      \"status\": \"removed\""} {
		if !strings.Contains(js, want) {
			t.Errorf("want %q in the report (stderr %q):\n%s", want, stderr, js)
		}
	}
}

// TestDiffRenderedStacks compares the registered stacks with a base
// directory: a base file whose stack no longer exists is a removed stack.
func TestDiffRenderedStacks(t *testing.T) {
	base, _ := diffDirs(t)
	code, out, stderr := runDiff(t, "--base", base, "--exit-code")
	if code != exitFindings || !strings.Contains(out, "=== rename (removed) ===") {
		t.Errorf("exit %d, stderr %q:\n%s", code, stderr, out)
	}
}

func TestDiffBadInput(t *testing.T) {
	base, head := diffDirs(t)
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "rename.yaml"), []byte("Resources: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "diff needs --base DIR"},
		{[]string{"--base", filepath.Join(base, "nope")}, "no such directory"},
		{[]string{"--base", base, "--format", "yaml"}, `unknown format "yaml": use text, markdown or json`},
		{[]string{"--base", base, "--head", head, "nothing"}, "no template named nothing"},
		{[]string{"--base", broken, "--head", head, "rename"}, "rename.yaml is not a CloudFormation template: it is neither YAML nor JSON (a syntax error at line"},
	} {
		code, stdout, stderr := runDiff(t, tc.args...)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("formwork diff %v: exit %d, stdout %q, stderr %q; want exit 2 and one line saying %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

// TestDiffAgainstRenderedStack diffs a registered stack with an edited copy
// of its own render as the base: the edit shows up, reversed.
func TestDiffAgainstRenderedStack(t *testing.T) {
	useStacks(t, demoApp)
	body, err := demoApp.Render(templates.YAML, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	if err := os.WriteFile(filepath.Join(base, "demo-app.yaml"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runDiff(t, "--base", base, "--exit-code"); code != exitOK || !strings.Contains(out, "no changes in 1 stack") {
		t.Errorf("a base equal to the render: exit %d, stderr %q\n%s", code, stderr, out)
	}
	edited := strings.Replace(string(body), "Default: main", "Default: trunk", 1)
	if edited == string(body) {
		t.Fatal("fixture changed: demo-app has no Default: main")
	}
	if err := os.WriteFile(filepath.Join(base, "demo-app.yaml"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runDiff(t, "--base", base, "--exit-code", "demo-app")
	if code != exitFindings || !strings.Contains(out, "Default: trunk → main") {
		t.Errorf("an edited base: exit %d\n%s", code, out)
	}
	if code, _, stderr := runDiff(t, "--base", base, "demo-ap"); code != exitUsage || !strings.Contains(stderr, `did you mean "demo-app"`) {
		t.Errorf("unknown stack: exit %d, %q", code, stderr)
	}
}

// TestDiffStackWithFindings: a stack that does not render is an error
// (exit 2), not a difference, and its findings are printed.
func TestDiffStackWithFindings(t *testing.T) {
	useStacks(t, broken)
	code, stdout, stderr := runDiff(t, "--base", t.TempDir(), "--exit-code")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "broken: ") || !strings.Contains(stderr, "fix the stack definition") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestDiffBigStackWarns: the size warning reaches the report.
func TestDiffBigStackWarns(t *testing.T) {
	useStacks(t, bigStack)
	_, out, stderr := runDiff(t, "--base", t.TempDir())
	if !strings.Contains(out, "over 51,200 bytes: deploy with --s3-bucket") {
		t.Errorf("stderr %q\n%s", stderr, out[:min(len(out), 600)])
	}
}

func TestDiffTwoFiles(t *testing.T) {
	dir := filepath.Join(diffCases, "bucket-replacement")
	code, out, stderr := runDiff(t, "--base", filepath.Join(dir, "base.json"), "--head", filepath.Join(dir, "head.yaml"), "--exit-code")
	if code != exitFindings || !strings.Contains(out, "=== base (modified) ===") || !strings.Contains(out, "SiteBucket  AWS::S3::Bucket  REPLACED") {
		t.Errorf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	code, _, stderr = runDiff(t, "--base", filepath.Join(dir, "base.json"), "--head", filepath.Join(dir, "head.yaml"), "x")
	if code != exitUsage || !strings.Contains(stderr, "name no stack") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestDiffOneBaseFile: --base FILE compares the stack named like the file.
func TestDiffOneBaseFile(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	body, err := demoApp.Render(templates.YAML, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "demo-app.yaml")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runDiff(t, "--base", file, "--exit-code")
	if code != exitOK || out != "no changes in 1 stack\n" {
		t.Errorf("exit %d, stderr %q\n%s", code, stderr, out)
	}
}

// TestDiffFailOnBroadening: exit 3 exactly when a change widens access,
// also over --exit-code's 1; a narrowing change exits 0 (or 1 with
// --exit-code).
func TestDiffFailOnBroadening(t *testing.T) {
	base, head := diffDirs(t)
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--fail-on", "broadening", "exposure-sg-world"}, exitBroadens},
		{[]string{"--fail-on", "broadening", "exposure-function-url"}, exitBroadens},
		{[]string{"--fail-on", "broadening", "access-api-route"}, exitBroadens},
		{[]string{"--fail-on", "broadening", "access-api-method"}, exitBroadens},
		{[]string{"--fail-on", "broadening", "access-lambda-permission"}, exitBroadens},
		{[]string{"--fail-on", "broadening", "iam-fn-if", "--format", "json"}, exitBroadens},
		{[]string{"--fail-on", "broadening", "--exit-code", "exposure-public-access"}, exitBroadens},
		{[]string{"--fail-on", "broadening", "exposure-narrowing"}, exitOK},
		{[]string{"--fail-on", "broadening", "--exit-code", "exposure-narrowing"}, exitFindings},
		{[]string{"--fail-on", "broadening", "no-change"}, exitOK},
		{[]string{"exposure-sg-world"}, exitOK}, // without --fail-on
	} {
		code, stdout, stderr := runDiff(t, append([]string{"--base", base, "--head", head}, tc.args...)...)
		if code != tc.want || stdout == "" {
			t.Errorf("formwork diff %v: exit %d (want %d), stderr %q", tc.args, code, tc.want, stderr)
		}
		if code == exitBroadens && !strings.Contains(stderr, "widening access (--fail-on broadening)") {
			t.Errorf("formwork diff %v: exit 3 must say why on stderr, got %q", tc.args, stderr)
		}
	}
	code, stdout, stderr := runDiff(t, "--base", base, "--head", head, "--fail-on", "wildcards")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `unknown --fail-on "wildcards": use --fail-on broadening`) {
		t.Errorf("a bad --fail-on: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestDiffTwoFilesNamedAfterBase: the stack is the one deployed, named
// after the base file.
func TestDiffTwoFilesNamedAfterBase(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{"orders.yaml": "Resources:\n  T:\n    Type: AWS::SQS::Queue\n", "edited.yaml": "Resources:\n  T:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: 5\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, out, stderr := runDiff(t, "--base", filepath.Join(dir, "orders.yaml"), "--head", filepath.Join(dir, "edited.yaml"))
	if !strings.Contains(out, "=== orders (modified) ===") {
		t.Errorf("want the stack named after the base file, stderr %q:\n%s", stderr, out)
	}
}
