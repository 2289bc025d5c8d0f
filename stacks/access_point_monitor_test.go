package stacks

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"

	"github.com/formwork-dev/formwork/templates"
)

// The embedded checker is valid Python once CloudFormation substituted the
// parameters (skipped where python3 is not installed).
func TestAccessPointMonitorSourceCompiles(t *testing.T) {
	python := templatestest.Tool(t, "python3", "the embedded checker was not compiled")
	code := strings.NewReplacer(
		"${NodesApiUrl}", "https://map.example.net/data/meshviewer.json",
		"${AccessPointName}", "ap-town-hall",
		"${MetricNamespace}", "CommunityMesh",
		"${CheckRateMinutes}", "5",
	).Replace(accessPointMonitorSource)
	if strings.Contains(code, "${") {
		t.Fatalf("a placeholder is left after substitution:\n%s", code)
	}
	file := filepath.Join(t.TempDir(), "index.py")
	if err := os.WriteFile(file, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(python, "-m", "py_compile", file).CombinedOutput(); err != nil {
		t.Fatalf("py_compile: %v\n%s", err, out)
	}
}

func TestAccessPointMonitorFitsInline(t *testing.T) {
	tree, err := AccessPointMonitor{}.Stack().Template().Tree()
	if err != nil {
		t.Fatal(err)
	}
	size, problems := rules.WorstCaseInlineSize(accessPointMonitorSource, true, templates.Section(tree, "Parameters"))
	if len(problems) > 0 || size > blocks.InlineCodeLimit {
		t.Fatalf("worst case %d characters (limit %d), problems %v", size, blocks.InlineCodeLimit, problems)
	}
	t.Logf("inline checker: %d characters at worst, limit %d", size, blocks.InlineCodeLimit)
}
