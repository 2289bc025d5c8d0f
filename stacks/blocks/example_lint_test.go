package blocks_test

import (
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

// TestExamplesPassCfnLint runs cfn-lint over the YAML each Example prints:
// the runnable documentation of the blocks is a template a team may copy,
// so it must be clean (no errors, no warnings). Locally the test skips
// without cfn-lint; in CI (CI set) it fails.
func TestExamplesPassCfnLint(t *testing.T) {
	lint := templatestest.Tool(t, "cfn-lint", "the examples were not linted (pip install cfn-lint)")
	dir := t.TempDir()
	var files []string
	for name, output := range exampleOutputs(t) {
		if !strings.HasPrefix(output, "AWSTemplateFormatVersion") {
			continue
		}
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, []byte(output), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	if len(files) < 5 {
		t.Fatalf("found %d example templates, want one per block (5 or more)", len(files))
	}
	out, err := exec.Command(lint, append([]string{"--"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("cfn-lint rejects example output:\n%s", out)
	}
}

// exampleOutputs maps each Example of the package's example files to the
// output it documents.
func exampleOutputs(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob("*_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, p := range paths {
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range doc.Examples(f) {
			out["Example"+ex.Name] = ex.Output
		}
	}
	return out
}
