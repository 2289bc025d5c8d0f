package commands

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDataFlowsOneWay keeps the layout honest: no package imports one above
// it, and the CLI holds no catalogue (a team's binary has only its stacks).
func TestDataFlowsOneWay(t *testing.T) {
	needTool(t, "go")
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/formwork-dev/formwork/"
	// A package in (or below) pkg may not import one in (or below) imports,
	// unless it lies inside pkg itself.
	forbidden := []struct{ pkg, imports string }{
		{"templates", "stacks"},
		{"templates", "cmd"},
		{"stacks/blocks", "stacks"}, // neither the catalogue nor a job
		{"stacks", "cmd"},
		{"cmd/cli", "stacks/jobs"},
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		for _, imp := range imports {
			for _, f := range forbidden {
				if within(pkg, mod+f.pkg) && within(imp, mod+f.imports) && !within(imp, mod+f.pkg) {
					t.Errorf("%s imports %s: data flows one way (cmd/cli -> stacks/blocks -> templates)", pkg, imp)
				}
			}
			if strings.HasPrefix(pkg, mod+"cmd/cli") && imp == mod+"stacks" {
				t.Errorf("%s imports the catalogue: only cmd/formwork may, so a team's binary holds only its stacks", pkg)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("go list found only %d packages", checked)
	}
}

// within reports whether package path is dir or below it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+"/")
}
