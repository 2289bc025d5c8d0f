package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

// TestInstallFromARelease is what a team does with a release, from a clean
// module cache: the directory make release writes stands in for the public
// proxy (GOPROXY=file://DIR, then this machine's proxy for formwork's
// dependencies, as a team serving a private fork would set it), go install
// ...@VERSION, formwork version, formwork init, make test in the new
// repository and actionlint on the workflow init wrote.
func TestInstallFromARelease(t *testing.T) {
	if testing.Short() {
		t.Skip("installs formwork from a fresh module cache: skipped with -short")
	}
	for _, tool := range []string{"go", "git", "make", "actionlint"} {
		templatestest.Tool(t, tool, "the install-from-a-release test needs it (actionlint: go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)")
	}
	root, _ := filepath.Abs("../..")
	version, err := Latest(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	dist := filepath.Join(work, "dist")
	if _, err := Make(Options{Root: root, Version: version, Out: dist, Worktree: true}); err != nil {
		t.Fatal(err)
	}
	env := cleanGoEnv(t, work, dist)

	goCmd(t, work, env, "go", "install", "github.com/formwork-dev/formwork/cmd/formwork@"+version)
	bin := filepath.Join(work, "gopath", "bin", "formwork")
	want := "formwork version " + version + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if got := goCmd(t, work, env, bin, args...); got != want {
			t.Errorf("formwork %s printed %q, want %q", args[0], got, want)
		}
	}

	goCmd(t, work, env, bin, "init", "infra", "--module", "github.com/acme/infra")
	repo := filepath.Join(work, "infra")
	goMod, _ := os.ReadFile(filepath.Join(repo, "go.mod"))
	if !strings.Contains(string(goMod), "\nrequire github.com/formwork-dev/formwork "+version+"\n") || strings.Contains(string(goMod), "replace") {
		t.Errorf("init from a released formwork must require %s with no replace:\n%s", version, goMod)
	}
	goCmd(t, repo, env, "make", "test")
	if got := goCmd(t, repo, env, filepath.Join(repo, "bin", "infra"), "version"); got != want {
		t.Errorf("the new repository's binary says %q, want %q", got, want)
	}
	goCmd(t, repo, env, "actionlint", ".github/workflows/formwork.yml")
}

// cleanGoEnv is the environment of a machine that never fetched a module:
// an empty module cache and GOPATH under work, releases from dist first.
func cleanGoEnv(t *testing.T, work, dist string) []string {
	t.Helper()
	fallback := strings.TrimSpace(goCmd(t, work, nil, "go", "env", "GOPROXY"))
	flags := strings.TrimSpace(goCmd(t, work, nil, "go", "env", "GOFLAGS"))
	return append(os.Environ(),
		"GOMODCACHE="+filepath.Join(work, "modcache"),
		"GOPATH="+filepath.Join(work, "gopath"),
		"GOBIN=",
		"GOPROXY=file://"+filepath.ToSlash(dist)+","+fallback,
		"GONOSUMDB=github.com/formwork-dev/formwork", // as for a private fork: the checksum database has never seen it
		// -modcacherw: the test's cleanup can remove the cache; -trimpath:
		// the build cache is shared with earlier runs whatever the cache's path.
		"GOFLAGS="+strings.TrimSpace(flags+" -mod=mod -modcacherw -trimpath"),
		"GOWORK=off",
	)
}

// goCmd runs name in dir and returns its standard output; a failure ends
// the test with everything it printed.
func goCmd(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s%s", name, strings.Join(args, " "), dir, err, out, stderr.String())
	}
	return string(out)
}
