package scaffold

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

var testRepo = Repo{Module: "github.com/acme/infra", Binary: "infra", GoVersion: "1.26.8", Version: "v0.1.0"}

// written is a new repository's files in a temporary directory.
func written(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := Write(dir, testRepo); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestWorkflowPassesActionlint runs actionlint (and, through it,
// shellcheck on every run: step when shellcheck is installed) on the
// workflow init writes.
func TestWorkflowPassesActionlint(t *testing.T) {
	templatestest.Tool(t, "actionlint", "the generated workflow was not linted (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)")
	dir := written(t)
	cmd := exec.Command("actionlint", ".github/workflows/formwork.yml")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
}

func TestWorkflowScriptPassesShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skip("shellcheck is not on PATH: .github/formwork.sh was not checked (apt-get install shellcheck)")
	}
	cmd := exec.Command("shellcheck", filepath.Join(written(t), ".github", "formwork.sh"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("shellcheck: %v\n%s", err, out)
	}
}

// stubs puts fake gh and bin/infra commands in the repository: each logs its
// arguments to calls.log and answers as the test's environment says.
func stubs(t *testing.T, dir string) {
	t.Helper()
	stub := func(path, body string) {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte("#!/usr/bin/env bash\necho \"$(basename \"$0\") $*\" >>\"$CALLS\"\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stub(filepath.Join(dir, "stubbin", "gh"), `case "$*" in
*/comments\ --paginate*) echo "$COMMENT_ID" ;;
*/pulls\ --jq*) echo "$MERGED_PR" ;;
esac
`)
	stub(filepath.Join(dir, "bin", "infra"), `case "$1" in
env) touch "$5/orders.json" "$5/hello-schedule.json" ;;
plan) echo "<!-- formwork-plan $2 $4 -->"; exit "$PLAN_EXIT" ;;
diff) [ "$6" = hello-schedule ] ;;  # hello-schedule is up to date, orders differs
esac
`)
}

// script runs .github/formwork.sh in dir with the stubs and env, and returns
// its exit code, its output and the calls the stubs logged.
func script(t *testing.T, dir string, env []string, args ...string) (int, string, string) {
	t.Helper()
	calls := filepath.Join(dir, "calls.log")
	os.Remove(calls)
	cmd := exec.Command("bash", append([]string{".github/formwork.sh"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"PATH=" + filepath.Join(dir, "stubbin") + ":" + os.Getenv("PATH"),
		"CALLS=" + calls, "GITHUB_REPOSITORY=acme/infra", "GITHUB_SHA=abc123", "PR=7", "PLAN_EXIT=1"}, env...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	log, _ := os.ReadFile(calls)
	return code, string(out), string(log)
}

func TestWorkflowScriptEditsItsCommentRatherThanRepeatingIt(t *testing.T) {
	templatestest.Tool(t, "bash", "the workflow's script was not run")
	dir := written(t)
	stubs(t, dir)
	os.WriteFile(filepath.Join(dir, "diff.md"), []byte("<!-- formwork-diff -->\n| resource |\n"), 0o644)

	_, _, calls := script(t, dir, []string{"COMMENT_ID="}, "comment", "diff.md")
	if !strings.Contains(calls, "gh api repos/acme/infra/issues/7/comments -F body=@diff.md\n") || strings.Contains(calls, "PATCH") {
		t.Errorf("the first push must create the comment:\n%s", calls)
	}
	_, _, calls = script(t, dir, []string{"COMMENT_ID=991"}, "comment", "diff.md")
	if !strings.Contains(calls, `startswith(\"<!-- formwork-diff -->\")`) && !strings.Contains(calls, `startswith("<!-- formwork-diff -->")`) {
		t.Errorf("the comment must be found by its first line:\n%s", calls)
	}
	if !strings.Contains(calls, "gh api -X PATCH repos/acme/infra/issues/comments/991 -F body=@diff.md\n") {
		t.Errorf("a later push must edit comment 991:\n%s", calls)
	}
	if code, out, _ := script(t, dir, nil, "deploy"); code != 2 || !strings.Contains(out, "usage: bash .github/formwork.sh") {
		t.Errorf("an unknown step: exit %d, %q; want 2 with the usage", code, out)
	}
}

func TestWorkflowScriptPlansAndAppliesTheReviewedChangeSets(t *testing.T) {
	templatestest.Tool(t, "bash", "the workflow's script was not run")
	dir := written(t)
	stubs(t, dir)

	code, out, calls := script(t, dir, []string{"COMMENT_ID="}, "plan", "staging")
	for _, stack := range []string{"hello-schedule", "orders"} {
		if !strings.Contains(calls, "infra plan "+stack+" --env staging --keep --change-set formwork-pr-7 --format markdown\n") {
			t.Errorf("plan must keep change set formwork-pr-7 of %s:\n%s", stack, calls)
		}
	}
	if code != 0 || strings.Count(calls, "-F body=@plan.md") != 2 {
		t.Errorf("plan: exit %d (%s); want each stack's plan posted:\n%s", code, out, calls)
	}
	if code, _, calls := script(t, dir, []string{"PLAN_EXIT=2"}, "plan", "staging"); code != 2 || strings.Contains(calls, "body=@plan.md") {
		t.Errorf("a plan that fails must fail the job before posting: exit %d\n%s", code, calls)
	}

	code, out, calls = script(t, dir, []string{"MERGED_PR=7"}, "apply", "production")
	if code != 0 || !strings.Contains(calls, "infra apply orders --env production --change-set formwork-pr-7\n") || strings.Contains(calls, "apply hello-schedule") {
		t.Errorf("apply: exit %d (%s); want only orders, which differs from AWS, applied from formwork-pr-7:\n%s", code, out, calls)
	}
	if !strings.Contains(out, "hello-schedule (production): AWS runs what the code renders; nothing to apply") {
		t.Errorf("apply must say why it skipped hello-schedule:\n%s", out)
	}
	code, out, calls = script(t, dir, []string{"MERGED_PR="}, "apply", "production")
	if code != 1 || !strings.Contains(out, "no pull request was merged as abc123: nothing was reviewed, so nothing is applied") || strings.Contains(calls, "infra apply") {
		t.Errorf("a push without a pull request: exit %d, %q; want 1 and nothing applied:\n%s", code, out, calls)
	}
}
