package release

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

const changelog = `# Changelog

## v0.2.0 - 2026-12-07

- Second.

## v0.1.0

- First.

## v0.0.9
`

// tinyModule is a git repository of a one-file module with a changelog,
// committed.
func tinyModule(t *testing.T) string {
	t.Helper()
	templatestest.Tool(t, "git", "the release is made from a git commit")
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/tiny\n\ngo 1.22\n")
	write(t, dir, "tiny.go", "package tiny\n\nconst Answer = 42\n")
	write(t, dir, "CHANGELOG.md", changelog)
	write(t, dir, ".gitignore", "/dist/\n")
	gitRun(t, dir, "init", "--quiet")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "tiny")
	return dir
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestMakeWritesWhatAProxyServes(t *testing.T) {
	root := tinyModule(t)
	write(t, root, "untracked.go", "package tiny\n") // not committed: not released
	out := filepath.Join(root, "dist")
	res, err := Make(Options{Root: root, Version: "v0.1.0", Out: out})
	if err != nil {
		t.Fatal(err)
	}
	at := filepath.Join(out, "example.com", "tiny", "@v")
	if got := read(t, filepath.Join(at, "list")); got != "v0.1.0\n" {
		t.Errorf("@v/list = %q", got)
	}
	if got := read(t, filepath.Join(at, "v0.1.0.mod")); got != "module example.com/tiny\n\ngo 1.22\n" {
		t.Errorf(".mod = %q, want go.mod as committed", got)
	}
	var info struct{ Version, Time string }
	if err := json.Unmarshal([]byte(read(t, filepath.Join(at, "v0.1.0.info"))), &info); err != nil || info.Version != "v0.1.0" || !strings.HasSuffix(info.Time, "Z") {
		t.Errorf(".info = %+v (%v), want the version and the commit's UTC time", info, err)
	}
	zipPath := filepath.Join(at, "v0.1.0.zip")
	checked, err := modzip.CheckZip(module.Version{Path: "example.com/tiny", Version: "v0.1.0"}, zipPath)
	if err != nil {
		t.Fatalf("the zip is not a valid module zip: %v", err)
	}
	names := strings.Join(checked.Valid, " ")
	if names != "example.com/tiny@v0.1.0/.gitignore example.com/tiny@v0.1.0/CHANGELOG.md example.com/tiny@v0.1.0/go.mod example.com/tiny@v0.1.0/tiny.go" {
		t.Errorf("zip holds %v, want the committed files only", names)
	}
	if hash, _ := zipHash(zipPath); res.Hash != hash || !strings.HasPrefix(hash, "h1:") {
		t.Errorf("hash %q, want the zip's h1: hash %q", res.Hash, hash)
	}
	if got := read(t, filepath.Join(out, "notes", "v0.1.0.md")); got != "# example.com/tiny v0.1.0\n\n- First.\n" {
		t.Errorf("notes = %q, want the CHANGELOG section", got)
	}
	if len(res.Files) != 5 {
		t.Errorf("Files = %v, want list, .mod, .info, .zip and the notes", res.Files)
	}

	if _, err := Make(Options{Root: root, Version: "v0.2.0", Out: out}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(at, "list")); got != "v0.1.0\nv0.2.0\n" {
		t.Errorf("@v/list after a second release = %q, want both in order", got)
	}
	_, err = Make(Options{Root: root, Version: "v0.1.0", Out: out})
	wantErr(t, err, "v0.1.0 is already released", "choose the next version")
}

func TestMakeRefusesAndWritesNothing(t *testing.T) {
	root := tinyModule(t)
	for _, c := range []struct {
		version string
		want    []string
	}{
		{"0.1.0", []string{`version "0.1.0" is not a semantic version like v1.2.3`}},
		{"v0.1", []string{"not a semantic version"}},
		{"v0.1.0+build", []string{"not a semantic version"}},
		{"v2.0.0", []string{"v2.0.0", "needs a /vN module path"}},
		{"v0.3.0", []string{`CHANGELOG.md has no "## v0.3.0" section`, "add one"}},
		{"v0.0.9", []string{`"## v0.0.9" section is empty`}},
	} {
		out := filepath.Join(t.TempDir(), "dist")
		_, err := Make(Options{Root: root, Version: c.version, Out: out})
		wantErr(t, err, c.want...)
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: a refused release wrote %s", c.version, out)
		}
	}
	_, err := Make(Options{Root: t.TempDir(), Version: "v0.1.0", Out: filepath.Join(t.TempDir(), "dist")})
	wantErr(t, err, "not a git repository with a commit")
}

func TestMakeFromHEADRefusesUncommittedChanges(t *testing.T) {
	root := tinyModule(t)
	write(t, root, "tiny.go", "package tiny\n\nconst Answer = 43\n")
	_, err := Make(Options{Root: root, Version: "v0.1.0", Out: filepath.Join(t.TempDir(), "dist")})
	wantErr(t, err, "uncommitted changes (M tiny.go)", "commit or stash them")

	// -worktree (tests) releases the files as they are on disk.
	out := filepath.Join(t.TempDir(), "dist")
	if _, err := Make(Options{Root: root, Version: "v0.1.0", Out: out, Worktree: true}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m := module.Version{Path: "example.com/tiny", Version: "v0.1.0"}
	if err := modzip.Unzip(dir, m, filepath.Join(out, "example.com", "tiny", "@v", "v0.1.0.zip")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "tiny.go")); !strings.Contains(got, "43") {
		t.Errorf("-worktree released %q, want the file on disk", got)
	}
}

func TestLatest(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "CHANGELOG.md", changelog)
	if v, err := Latest(filepath.Join(dir, "CHANGELOG.md")); v != "v0.2.0" || err != nil {
		t.Errorf("Latest = %q, %v; want v0.2.0", v, err)
	}
	write(t, dir, "CHANGELOG.md", "# Changelog\n")
	_, err := Latest(filepath.Join(dir, "CHANGELOG.md"))
	wantErr(t, err, `has no "## vX.Y.Z" section`)
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not say %q", err, p)
		}
	}
}
