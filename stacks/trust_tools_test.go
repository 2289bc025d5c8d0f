package stacks

// The external tools the trust tests run: PyYAML (through python3), and
// cfn-guard and js-yaml (pinned by stacks/testdata/guard/package-lock.json). Locally a
// missing tool skips the test that needs it, with the command that installs
// it; in CI (CI set) a missing tool fails the run, so a broken machine never
// passes as green.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

const (
	guardDir      = "testdata/guard"
	pyyamlDecoder = "testdata/pyyaml_decode.py"
	jsYAMLDecoder = "testdata/jsyaml_decode.js"
)

// missingTool skips the test locally and fails it under CI=true.
func missingTool(t *testing.T, format string, args ...any) {
	t.Helper()
	templatestest.Missing(t, fmt.Sprintf(format, args...))
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
		candidates = append(candidates, "python3", "/usr/bin/python3")
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
	nodeToolsOnce    sync.Once
	nodeToolsProblem string
)

// nodeTools installs the pinned npm packages of stacks/testdata/guard
// (cfn-guard, js-yaml) with `npm ci` when one of them is missing.
func nodeTools(t *testing.T) {
	t.Helper()
	nodeToolsOnce.Do(func() { nodeToolsProblem = installNodeTools() })
	if nodeToolsProblem != "" {
		missingTool(t, "%s", nodeToolsProblem)
	}
}

// guardBinary is where the pinned package keeps cfn-guard for this system.
func guardBinary() (string, error) {
	osDir := map[string]string{"linux": "ubuntu", "darwin": "macos"}[runtime.GOOS]
	archDir := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if osDir == "" || archDir == "" {
		return "", fmt.Errorf("the pinned cfn-guard package has no binary for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	return filepath.Abs(filepath.Join(guardDir, "node_modules/@cdklabs/cdk-validator-cfnguard/bin", osDir, archDir, "cfn-guard"))
}

const jsYAMLPackage = guardDir + "/node_modules/js-yaml/package.json"

func installNodeTools() (problem string) {
	bin, err := guardBinary()
	if err != nil {
		return err.Error()
	}
	installed := func() bool {
		_, e1 := os.Stat(bin)
		_, e2 := os.Stat(jsYAMLPackage)
		return e1 == nil && e2 == nil
	}
	if installed() {
		return ""
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "cfn-guard and js-yaml are not installed and npm is not on PATH: install Node.js, then run `npm ci` in stacks/testdata/guard"
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = guardDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "`npm ci` in stacks/testdata/guard failed: " + err.Error() + "\n" + string(out)
	}
	if !installed() {
		return "`npm ci` in stacks/testdata/guard did not install " + bin + " and " + jsYAMLPackage
	}
	return ""
}

// guard returns the cfn-guard binary shipped in the pinned npm package.
func guard(t *testing.T) string {
	t.Helper()
	nodeTools(t)
	bin, err := guardBinary()
	if err != nil {
		missingTool(t, "%v", err)
	}
	return bin
}

// node returns the Node.js interpreter, with js-yaml installed.
func node(t *testing.T) string {
	t.Helper()
	nodeTools(t)
	bin, err := exec.LookPath("node")
	if err != nil {
		missingTool(t, "node is not on PATH: install Node.js")
	}
	return bin
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
