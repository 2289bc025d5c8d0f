package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// repository makes a directory with go.mod and golden/, and a subdirectory
// stacks/, and returns it.
func repository(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"golden", "stacks", "environments"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/infra\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestCommandsFindTheRepositoryFromASubdirectory(t *testing.T) {
	useStacks(t, demoApp)
	root := repository(t)
	if err := os.WriteFile(filepath.Join(root, "golden", "demo-app.yaml"), must(demoApp.Render(templates.YAML, rules.All())), 0o644); err != nil {
		t.Fatal(err)
	}
	writeEnvironment(t, filepath.Join(root, "environments"), "prod", "stacks:\n  demo-app:\n    parameters: {Repository: acme/site, Stage: qa}\n")
	for dir, golden := range map[string]string{root: "golden", filepath.Join(root, "stacks"): filepath.Join("..", "golden")} {
		t.Chdir(dir)
		if r := formwork(t, "check").wantExit(t, exitOK); r.stdout != golden+": 1 template matches its stack\n" {
			t.Errorf("check from %s: %q", dir, r.stdout)
		}
	}
	t.Chdir(filepath.Join(root, "stacks"))
	r := formwork(t, "validate", "--no-cfn-lint").wantExit(t, exitFindings)
	if !strings.Contains(r.stdout, filepath.Join("..", "environments", "prod.yaml")+`:3: demo-app: parameter Stage is "qa"`) {
		t.Errorf("validate from stacks/ must check ../environments/prod.yaml:\n%s", r.stdout)
	}
	r = formwork(t, "deploy", "demo-app", "--param", "Repository=a/b").wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "--template-file "+filepath.Join("..", "golden", "demo-app.yaml")) {
		t.Errorf("deploy from stacks/ must use ../golden:\n%s", r.stdout)
	}
}

func TestCommandsOutsideARepositorySaySo(t *testing.T) {
	useStacks(t, demoApp, codeApp(templates.GoMain("./cmd/job")))
	outside := t.TempDir()
	t.Chdir(outside)
	const want = " is not inside a formwork repository (no directory from there up holds go.mod and golden/): cd into one, or make one with formwork init DIR"
	r := formwork(t, "validate", "--no-cfn-lint", "demo-app").wantExit(t, exitOK)
	if !strings.HasPrefix(r.stderr, "formwork: warning: environments not checked: "+outside+want+"\n") {
		t.Errorf("validate outside a repository must say it checked no environment:\n%s", r.stderr)
	}
	for _, args := range [][]string{
		{"check"},
		{"deploy", "demo-app", "--param", "Repository=a/b"},
		{"package", "code-app"},
		{"plan", "demo-app", "--env", "prod"},
		{"env", "export", "prod"},
	} {
		formwork(t, args...).wantUsage(t, want)
	}
	// directories given explicitly need no repository
	formwork(t, "check", "--golden", outside, "--environments", outside).wantExit(t, exitFindings)
	formwork(t, "validate", "--no-cfn-lint", "demo-app", "--environments", outside).wantExit(t, exitOK)
}

func TestStaleBinary(t *testing.T) {
	root := repository(t)
	src := filepath.Join(root, "stacks", "orders.go")
	exe := filepath.Join(root, "bin", "infra")
	os.MkdirAll(filepath.Dir(exe), 0o755)
	for _, f := range []string{src, exe} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(src, old, old)
	os.Chtimes(filepath.Join(root, "go.mod"), old.Add(-2*time.Minute), old.Add(-2*time.Minute))
	if msg := staleAgainst(exe, root); msg != "" {
		t.Errorf("a binary newer than every source: %q", msg)
	}
	os.Chtimes(exe, old.Add(-time.Minute), old.Add(-time.Minute))
	if msg := staleAgainst(exe, root); !strings.Contains(msg, "was built before "+filepath.Join("stacks", "orders.go")+" changed: it serves other stacks than the current sources (another branch?): run make build") {
		t.Errorf("a binary older than a source: %q", msg)
	}
	if msg := staleAgainst(filepath.Join(t.TempDir(), "formwork"), root); msg != "" {
		t.Errorf("a binary outside the repository is not checked: %q", msg)
	}
}
