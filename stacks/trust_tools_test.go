package stacks

// The external tools the trust tests run: PyYAML (through python3) and
// cfn-guard (pinned by stacks/testdata/guard/package-lock.json). Locally a
// missing tool skips the test that needs it, with the command that installs
// it; in CI (CI set) a missing tool fails the run, so a broken machine never
// passes as green.

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
)

const (
	guardDir      = "testdata/guard"
	pyyamlDecoder = "testdata/pyyaml_decode.py"
)

// inCI reports whether the tests run in CI, where every tool must be present.
func inCI() bool { return os.Getenv("CI") != "" }

// missingTool skips the test locally and fails it in CI.
func missingTool(t *testing.T, format string, args ...any) {
	t.Helper()
	if inCI() {
		t.Fatalf("CI must have this tool: "+format, args...)
	}
	t.Skipf("skipped: "+format, args...)
}

var (
	pythonOnce sync.Once
	pythonPath string
)

// python returns an interpreter that can import yaml (PyYAML). cfn-lint's own
// interpreter is preferred: that is the PyYAML that reads these templates in
// practice.
func python(t *testing.T) string {
	t.Helper()
	pythonOnce.Do(func() {
		var candidates []string
		if lint, err := exec.LookPath("cfn-lint"); err == nil {
			if real, err := filepath.EvalSymlinks(lint); err == nil {
				candidates = append(candidates, filepath.Join(filepath.Dir(real), "python3"))
			}
		}
		candidates = append(candidates, "python3")
		for _, py := range candidates {
			if exec.Command(py, "-c", "import yaml").Run() == nil {
				pythonPath = py
				return
			}
		}
	})
	if pythonPath == "" {
		missingTool(t, "no python3 with PyYAML (apt-get install python3-yaml)")
	}
	return pythonPath
}

var (
	guardOnce sync.Once
	guardPath string
	guardErr  string
)

// guard returns the cfn-guard binary shipped in the pinned npm package,
// running `npm ci` in stacks/testdata/guard first when it is not installed.
func guard(t *testing.T) string {
	t.Helper()
	guardOnce.Do(func() {
		guardPath, guardErr = installGuard()
	})
	if guardErr != "" {
		missingTool(t, "%s", guardErr)
	}
	return guardPath
}

func installGuard() (path, problem string) {
	osDir := map[string]string{"linux": "ubuntu", "darwin": "macos"}[runtime.GOOS]
	archDir := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if osDir == "" || archDir == "" {
		return "", "the pinned cfn-guard package has no binary for " + runtime.GOOS + "/" + runtime.GOARCH
	}
	bin, err := filepath.Abs(filepath.Join(guardDir, "node_modules/@cdklabs/cdk-validator-cfnguard/bin", osDir, archDir, "cfn-guard"))
	if err != nil {
		return "", err.Error()
	}
	if _, err := os.Stat(bin); err == nil {
		return bin, ""
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", "cfn-guard is not installed and npm is not on PATH: install Node.js, then run `npm ci` in stacks/testdata/guard"
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = guardDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "`npm ci` in stacks/testdata/guard failed: " + err.Error() + "\n" + string(out)
	}
	if _, err := os.Stat(bin); err != nil {
		return "", "`npm ci` in stacks/testdata/guard did not install " + bin
	}
	return bin, ""
}

// goldenTemplates returns the committed templates, golden/*.yaml, sorted.
func goldenTemplates(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Logf("golden/ holds no templates yet: only the project's own fixtures are checked")
	}
	return files
}
