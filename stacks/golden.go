package stacks

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/templates"
	"github.com/pmezard/go-difflib/difflib"
)

// GoldenFile is the file name of a stack's committed template.
func GoldenFile(name string) string { return name + ".yaml" }

// Rendered is a stack's rendered template.
type Rendered struct {
	Stack Stack
	Body  []byte
}

// RenderAll renders the stacks in memory. It fails on the first stack with
// findings, so a caller never writes a partial set.
func RenderAll(list []Stack, f templates.Format) ([]Rendered, error) {
	out := make([]Rendered, 0, len(list))
	var errs []error
	for _, s := range list {
		body, err := s.Render(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, Rendered{s, body})
	}
	return out, errors.Join(errs...)
}

// Difference is one golden file that does not match its stack.
type Difference struct {
	File string // golden file name
	Kind string // "stale", "missing" or "extra"
	Diff string // unified diff from the golden file to the render
}

// CompareGolden renders every stack and compares it with dir. It writes
// nothing.
func CompareGolden(dir string) ([]Difference, error) {
	return CompareStacks(All(), dir)
}

// CompareStacks renders the given stacks and compares them with dir, where
// any other .yaml file is extra. It writes nothing.
func CompareStacks(list []Stack, dir string) ([]Difference, error) {
	rendered, err := RenderAll(list, templates.YAML)
	if err != nil {
		return nil, err
	}
	want := map[string][]byte{}
	for _, r := range rendered {
		want[GoldenFile(r.Stack.Name)] = r.Body
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

// WriteGolden makes dir hold exactly the rendered stacks: stale files are
// rewritten, extra .yaml files removed.
func WriteGolden(dir string) error {
	rendered, err := RenderAll(All(), templates.YAML)
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
		file := GoldenFile(r.Stack.Name)
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
