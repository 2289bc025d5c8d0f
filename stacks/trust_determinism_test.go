package stacks

// Determinism: the same stacks render to the same bytes every time, in one
// process and across processes with different environments. Map iteration
// order, the clock, the time zone, the locale and the working directory must
// not leak into a template.

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"

	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
)

const renderRuns = 50

func TestDeterministicInProcess(t *testing.T) {
	for _, s := range Catalogue() {
		for _, f := range []templates.Format{templates.YAML, templates.JSON} {
			first, err := s.Render(f, rules.All())
			if err != nil {
				t.Fatalf("%s: %v", s.Name, err)
			}
			for i := 1; i < renderRuns; i++ {
				again, err := s.Render(f, rules.All())
				if err != nil {
					t.Fatalf("%s: run %d: %v", s.Name, i, err)
				}
				if !bytes.Equal(first, again) {
					t.Fatalf("%s --format %s: run %d differs from run 0:\n%s", s.Name, f, i,
						golden.UnifiedDiff(s.Name+"."+string(f), first, again))
				}
			}
		}
	}
}

// environments vary what a careless stack or engine might read.
var environments = [][]string{
	{"TZ=UTC", "LC_ALL=C", "LANG=C"},
	{"TZ=Pacific/Chatham", "LC_ALL=de_DE.UTF-8", "LANG=de_DE.UTF-8", "AWS_REGION=eu-central-1", "AWS_DEFAULT_REGION=eu-central-1"},
	{"TZ=America/St_Johns", "LANG=tr_TR.UTF-8", "GOMAXPROCS=1", "HOME=/nonexistent", "USER=nobody"},
	{"TZ=Asia/Kathmandu", "GOMAXPROCS=2", "AWS_PROFILE=other", "FORMWORK_OUT=/nonexistent"},
}

// TestDeterministicAcrossProcesses builds the CLI once and runs
// `formwork render --out DIR` 50 times, each in its own process, working
// directory and environment; every file must equal the in-process render.
func TestDeterministicAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and runs it 50 times")
	}
	want := map[templates.Format]map[string][]byte{}
	for _, f := range []templates.Format{templates.YAML, templates.JSON} {
		want[f] = map[string][]byte{}
		for _, s := range Catalogue() {
			body, err := s.Render(f, rules.All())
			if err != nil {
				t.Fatalf("%s: %v", s.Name, err)
			}
			want[f][s.Name+"."+string(f)] = body
		}
	}
	bin := buildCLI(t)
	for i := 0; i < renderRuns; i++ {
		format := templates.YAML
		if i%5 == 4 {
			format = templates.JSON
		}
		dir := t.TempDir()
		out := filepath.Join(dir, "out")
		cmd := exec.Command(bin, "render", "--out", out, "--format", string(format))
		cmd.Dir = dir
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, environments[i%len(environments)]...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("run %d: formwork render --out --format %s: %v\n%s", i, format, err, msg)
		}
		entries, err := os.ReadDir(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != len(want[format]) {
			t.Fatalf("run %d wrote %d files, want %d (one per stack)", i, len(entries), len(want[format]))
		}
		for name, body := range want[format] {
			got, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
			if !bytes.Equal(got, body) {
				t.Fatalf("run %d (env %v): %s differs from the in-process render:\n%s",
					i, cmd.Env[1:], name, golden.UnifiedDiff(name, body, got))
			}
		}
	}
	t.Logf("%d processes rendered %d stacks identically", renderRuns, len(Catalogue()))
}

// buildCLI builds cmd/formwork into a temporary directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "formwork")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/formwork")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/formwork: %v\n%s", err, out)
	}
	return bin
}

// TestDeterminismCanFail proves 50 renders are enough to see a leak: a stack
// that declares resources in map iteration order must render differently at
// least once.
func TestDeterminismCanFail(t *testing.T) {
	leaky := templates.Stack{Name: "leaky", Description: "declares in map order", Build: func(t *templates.Template) {
		for name := range map[string]int{"A": 0, "B": 0, "C": 0, "D": 0} {
			t.Resource("Log"+name, blocks.LogGroup("/leaky/"+name), "")
		}
	}}
	seen := map[string]bool{}
	for i := 0; i < renderRuns; i++ {
		body, err := leaky.Render(templates.YAML, rules.All())
		if err != nil {
			t.Fatal(err)
		}
		seen[string(body)] = true
	}
	if len(seen) < 2 {
		t.Fatalf("%d renders of a map-ordered stack were identical: the determinism tests could not catch such a leak", renderRuns)
	}
}
