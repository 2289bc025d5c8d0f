package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

func TestRenderOneStackToStdout(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	r := formwork(t, "render", "demo-app").wantExit(t, exitOK)
	if r.stdout != mustRender(t, demoApp, templates.YAML) || r.stderr != "" {
		t.Errorf("render printed\n%s\nstderr %q", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "!Sub ${Repository}") {
		t.Errorf("render output is not short-form YAML:\n%s", r.stdout)
	}
}

func TestRenderFormatFlagAfterTheStack(t *testing.T) {
	useStacks(t, demoApp)
	r := formwork(t, "render", "demo-app", "--format", "json").wantExit(t, exitOK)
	if r.stdout != mustRender(t, demoApp, templates.JSON) {
		t.Errorf("render --format json printed\n%s", r.stdout)
	}
}

func TestRenderFormatFromEnvironment(t *testing.T) {
	useStacks(t, demoApp)
	t.Setenv("FORMWORK_FORMAT", "json")
	r := formwork(t, "render", "demo-app").wantExit(t, exitOK)
	if !strings.HasPrefix(r.stdout, "{") {
		t.Errorf("FORMWORK_FORMAT=json did not select JSON:\n%s", r.stdout)
	}
}

func TestRenderBadFormat(t *testing.T) {
	useStacks(t, demoApp)
	formwork(t, "render", "demo-app", "--format", "xml").wantUsage(t, `--format: unknown format "xml": use yaml or json`)
}

func TestRenderUnknownStackSuggestsTheClosest(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	formwork(t, "render", "demo-ap").wantUsage(t, `unknown stack "demo-ap": did you mean "demo-app"?`)
	formwork(t, "render", "zzzzzzzzzz").wantUsage(t, `unknown stack "zzzzzzzzzz": formwork list shows all`)
}

func TestRenderManyStacksNeedsOut(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	formwork(t, "render").wantUsage(t, "pass --out DIR")
}

func TestRenderOutWritesEveryStack(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	dir := filepath.Join(t.TempDir(), "new", "out")
	r := formwork(t, "render", "--out", dir).wantExit(t, exitOK)
	files := listDir(t, dir)
	if len(files) != 2 || files["demo-app.yaml"] != mustRender(t, demoApp, templates.YAML) || files["named-role.yaml"] != mustRender(t, namedRole, templates.YAML) {
		t.Errorf("render --out wrote %v", keys(files))
	}
	if !strings.Contains(r.stderr, "wrote "+filepath.Join(dir, "demo-app.yaml")) {
		t.Errorf("render --out did not report its files: %q", r.stderr)
	}
}

func TestRenderOutUnwritable(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	formwork(t, "render", "--out", filepath.Join(file, "sub")).wantUsage(t, "cannot create --out directory", "choose a writable --out directory")

	blocked := t.TempDir()
	os.MkdirAll(filepath.Join(blocked, "named-role.yaml", "x"), 0o755)
	r := formwork(t, "render", "--out", blocked)
	r.wantUsage(t, "cannot write "+filepath.Join(blocked, "named-role.yaml")+": a directory is in the way", "nothing was written")
	if strings.Contains(r.stderr, "write write") || strings.Contains(r.stderr, "rename") {
		t.Errorf("the error repeats the operation: %s", r.stderr)
	}
	if got := listDir(t, blocked); len(got) != 1 {
		t.Errorf("a failed render left files in %s: %v", blocked, got)
	}

	if os.Geteuid() == 0 {
		t.Log("running as root: a read-only directory is still writable, the rest is skipped")
		return
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	formwork(t, "render", "--out", ro).wantUsage(t, "cannot write", "nothing was written")
	if len(listDir(t, ro)) != 0 {
		t.Errorf("a failed render left files in %s", ro)
	}
}

func TestWriteAllWritesNothingWhenOneFileFails(t *testing.T) {
	dir := t.TempDir()
	err := writeAll([]outFile{
		{filepath.Join(dir, "a.yaml"), []byte("a")},
		{filepath.Join(dir, "missing", "b.yaml"), []byte("b")},
	})
	if err == nil {
		t.Fatal("writing into a missing directory should fail")
	}
	if files := listDir(t, dir); len(files) != 0 {
		t.Errorf("a failed write left %v behind", keys(files))
	}
}

func TestRenderStackWithFindingsExits2AndWritesNothing(t *testing.T) {
	useStacks(t, broken)
	dir := t.TempDir()
	formwork(t, "render", "broken", "--out", dir).wantExit(t, exitUsage)
	if files := listDir(t, dir); len(files) != 0 {
		t.Errorf("a stack with findings left %v behind", keys(files))
	}
	r := formwork(t, "render", "broken").wantExit(t, exitUsage)
	if r.stdout != "" {
		t.Errorf("a stack with findings printed a template:\n%s", r.stdout)
	}
	for _, want := range []string{`broken: Gone: Value: !Ref Missing: no parameter or resource is named "Missing"`, "fix the stack definition"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
