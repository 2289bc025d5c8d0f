// Package golden keeps a directory of rendered templates (golden/) in step
// with the stacks that produce them: compare, rewrite, and a go test harness.
// A team's repository calls Test from its own golden_test.go.
package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/parallel"
	"github.com/formwork-dev/formwork/templates"
	"github.com/pmezard/go-difflib/difflib"
)

// File is the file name of a stack's committed template.
func File(name string) string { return name + ".yaml" }

// Rendered is a stack's rendered template.
type Rendered struct {
	Stack templates.Stack
	Body  []byte
}

// RenderAll renders the stacks in memory. It fails on the first stack with
// findings, so a caller never writes a partial set. The stacks render
// concurrently, one per processor at a time (a stack's Build must not change
// state another stack's Build reads); the result and the errors keep the
// order of list.
func RenderAll(list []templates.Stack, f templates.Format, rules templates.Rules) ([]Rendered, error) {
	bodies := make([][]byte, len(list))
	errs := make([]error, len(list))
	parallel.ForEach(len(list), func(i int) { bodies[i], errs[i] = list[i].Render(f, rules) })
	out := make([]Rendered, 0, len(list))
	for i, s := range list {
		if errs[i] == nil {
			out = append(out, Rendered{s, bodies[i]})
		}
	}
	return out, errors.Join(errs...)
}

// Difference is one golden file that does not match its stack.
type Difference struct {
	File string // golden file name
	Kind string // "stale", "missing" or "extra"
	Diff string // unified diff from the golden file to the render
}

// Compare renders the stacks and compares them with dir, where any other
// .yaml file is extra. It writes nothing.
func Compare(list []templates.Stack, dir string, rules templates.Rules) ([]Difference, error) {
	rendered, err := RenderAll(list, templates.YAML, rules)
	if err != nil {
		return nil, err
	}
	want := map[string][]byte{}
	for _, r := range rendered {
		want[File(r.Stack.Name)] = r.Body
	}
	have, err := readGolden(dir)
	if err != nil {
		return nil, err
	}
	var diffs []Difference
	for _, file := range sortedKeys(want, have) {
		w, inWant := want[file]
		h, inHave := have[file]
		switch {
		case !inHave:
			diffs = append(diffs, Difference{file, "missing", UnifiedDiff(file, nil, w)})
		case !inWant:
			diffs = append(diffs, Difference{file, "extra", UnifiedDiff(file, h, nil)})
		case string(w) != string(h):
			diffs = append(diffs, Difference{file, "stale", UnifiedDiff(file, h, w)})
		}
	}
	return diffs, nil
}

// Write makes dir hold exactly the rendered stacks: stale files are
// rewritten, extra .yaml files removed. Nothing is written when a stack
// fails its checks.
func Write(list []templates.Stack, dir string, rules templates.Rules) error {
	rendered, err := RenderAll(list, templates.YAML, rules)
	if err != nil {
		return err
	}
	have, err := readGolden(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, r := range rendered {
		file := File(r.Stack.Name)
		delete(have, file)
		if err := WriteFileAtomic(filepath.Join(dir, file), r.Body); err != nil {
			return err
		}
	}
	for extra := range have {
		if err := os.Remove(filepath.Join(dir, extra)); err != nil {
			return err
		}
	}
	return nil
}

func readGolden(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]byte{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out[e.Name()] = b
	}
	return out, nil
}

// sortedKeys returns the keys of a and b, sorted, each once.
func sortedKeys(a, b map[string][]byte) []string {
	keys := slices.AppendSeq(slices.Collect(maps.Keys(a)), maps.Keys(b))
	slices.Sort(keys)
	return slices.Compact(keys)
}

// UnifiedDiff returns a unified diff from old to new, labelled like git's.
func UnifiedDiff(file string, old, new []byte) string {
	from, to := "a/"+file, "b/"+file
	if old == nil {
		from = "/dev/null"
	}
	if new == nil {
		to = "/dev/null"
	}
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(old)), B: difflib.SplitLines(string(new)),
		FromFile: from, ToFile: to, Context: 3,
	})
	if err != nil {
		return fmt.Sprintf("cannot diff %s: %v\n", file, err)
	}
	return text
}

// WriteFileAtomic writes data to a temporary file beside path and renames it
// into place, so readers never see a partial file.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Test is the golden-file test of a repository's stacks: it fails with a
// unified diff for every file of dir that is stale, missing or extra. With
// update (the test's -update flag) it first rewrites dir.
//
//	var update = flag.Bool("update", false, "rewrite golden/ from the stacks")
//
//	func TestGolden(t *testing.T) { golden.Test(t, "golden", infra.Stacks(), rules.All(), *update) }
func Test(t testing.TB, dir string, list []templates.Stack, rules templates.Rules, update bool) {
	t.Helper()
	if err := templates.CheckStacks(list); err != nil {
		t.Fatal(err)
	}
	if err := rules.Validate(); err != nil {
		t.Fatal(err)
	}
	if update {
		if err := Write(list, dir, rules); err != nil {
			t.Fatal(err)
		}
	}
	diffs, err := Compare(list, dir, rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("%s is %s: run make golden, then review the diff\n%s", filepath.Join(dir, d.File), d.Kind, d.Diff)
	}
}
