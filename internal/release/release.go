// Package release writes what a Go module proxy serves for one version of a
// module (@v/list, VERSION.info, VERSION.mod and VERSION.zip), laid out as
// GOPROXY=file://DIR reads it, with the release notes taken from that
// version's section of CHANGELOG.md.
package release

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	modzip "golang.org/x/mod/zip"
)

// Options says what to release and where.
type Options struct {
	// Root is the module's git repository, its go.mod at the top.
	Root string
	// Version is the semantic version to release, e.g. v0.1.0.
	Version string
	// Out is the proxy directory, e.g. dist.
	Out string
	// Worktree zips the files git would commit as they are on disk,
	// uncommitted changes included, instead of HEAD. Tests use it to
	// release the code under test; a real release never does.
	Worktree bool
}

// Result is what Make wrote.
type Result struct {
	Module string
	// Files are the proxy's files, then the release notes.
	Files []string
	// Hash is the zip's go.sum hash (h1:...).
	Hash string
}

// Make writes the release of o.Version into o.Out. It refuses a version
// that is not canonical semver or does not fit the module path's major
// version, a version already in o.Out (a released version never changes),
// a CHANGELOG.md without that version's section and, unless o.Worktree,
// uncommitted changes. Nothing is written unless all of it succeeds.
func Make(o Options) (Result, error) {
	if !semver.IsValid(o.Version) || semver.Canonical(o.Version) != o.Version {
		return Result{}, fmt.Errorf("version %q is not a semantic version like v1.2.3 (or v1.2.3-rc.1)", o.Version)
	}
	tree, commitTime, err := exportTree(o.Root, o.Worktree)
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(tree)
	goMod, err := os.ReadFile(filepath.Join(tree, "go.mod"))
	if err != nil {
		return Result{}, fmt.Errorf("%s has no go.mod at its top: release the root of a Go module", o.Root)
	}
	m := module.Version{Path: modfile.ModulePath(goMod), Version: o.Version}
	if err := module.Check(m.Path, m.Version); err != nil {
		return Result{}, fmt.Errorf("%v: a major version above v1 needs a /vN module path", err)
	}
	notes, err := changelogSection(filepath.Join(tree, "CHANGELOG.md"), o.Version)
	if err != nil {
		return Result{}, err
	}
	return publish(o.Out, tree, m, goMod, commitTime, notes)
}

// publish writes the proxy's files and the notes into out, each through a
// temporary file, after checking that the version is new there.
func publish(out, tree string, m module.Version, goMod []byte, commitTime time.Time, notes string) (Result, error) {
	escaped, err := module.EscapePath(m.Path)
	if err != nil {
		return Result{}, err
	}
	dir := filepath.Join(out, filepath.FromSlash(escaped), "@v")
	zipPath := filepath.Join(dir, m.Version+".zip")
	if _, err := os.Stat(zipPath); err == nil {
		return Result{}, fmt.Errorf("%s %s is already released in %s: a released version never changes; choose the next version", m.Path, m.Version, out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, err
	}
	staged, err := os.MkdirTemp(dir, ".release-*")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(staged)
	if err := writeZip(filepath.Join(staged, "zip"), m, tree); err != nil {
		return Result{}, err
	}
	hash, err := zipHash(filepath.Join(staged, "zip"))
	if err != nil {
		return Result{}, err
	}
	info, _ := json.Marshal(struct {
		Version string
		Time    string
	}{m.Version, commitTime.UTC().Format(time.RFC3339)})
	list, err := versionList(dir, m.Version)
	if err != nil {
		return Result{}, err
	}
	notesPath := filepath.Join(out, "notes", m.Version+".md")
	heading := fmt.Sprintf("# %s %s\n\n", m.Path, m.Version)
	writes := []struct {
		path string
		body []byte
	}{
		{filepath.Join(dir, m.Version+".mod"), goMod},
		{filepath.Join(dir, m.Version+".info"), append(info, '\n')},
		{notesPath, []byte(heading + notes)},
		{filepath.Join(dir, "list"), []byte(list)},
	}
	for i, w := range writes {
		if err := os.WriteFile(filepath.Join(staged, fmt.Sprint(i)), w.body, 0o644); err != nil {
			return Result{}, err
		}
	}
	res := Result{Module: m.Path, Hash: hash, Files: []string{filepath.Join(dir, "list")}}
	if err := os.MkdirAll(filepath.Dir(notesPath), 0o755); err != nil {
		return Result{}, err
	}
	for i, w := range writes {
		if err := os.Rename(filepath.Join(staged, fmt.Sprint(i)), w.path); err != nil {
			return Result{}, err
		}
		if w.path != notesPath && !strings.HasSuffix(w.path, "list") {
			res.Files = append(res.Files, w.path)
		}
	}
	// The zip goes last: its presence is what marks the version released.
	if err := os.Rename(filepath.Join(staged, "zip"), zipPath); err != nil {
		return Result{}, err
	}
	res.Files = append(res.Files, zipPath, notesPath)
	return res, nil
}

// writeZip writes the module zip of the tree, as the go command checks it.
func writeZip(path string, m module.Version, tree string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := modzip.CreateFromDir(f, m, tree); err != nil {
		f.Close()
		return fmt.Errorf("module zip: %v", err)
	}
	return f.Close()
}

// versionList is the proxy's @v/list: every version released in dir so far
// and version, in semver order, one a line.
func versionList(dir, version string) (string, error) {
	versions := []string{version}
	infos, err := filepath.Glob(filepath.Join(dir, "*.info"))
	if err != nil {
		return "", err
	}
	for _, p := range infos {
		if v := strings.TrimSuffix(filepath.Base(p), ".info"); semver.IsValid(v) && v != version {
			versions = append(versions, v)
		}
	}
	sort.Slice(versions, func(i, j int) bool { return semver.Compare(versions[i], versions[j]) < 0 })
	return strings.Join(versions, "\n") + "\n", nil
}
