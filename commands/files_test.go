package commands

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// render --out swaps the whole directory in at once: until then it is
// untouched (as a process killed before the switch leaves it), after it
// holds the new files and the ones it had, and nothing else.
func TestWriteAllSwapsTheDirectoryAtOnce(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	parent := t.TempDir()
	dir := filepath.Join(parent, "golden")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "demo-app.yaml"), []byte("old\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o644)
	stale := filepath.Join(parent, ".golden.formwork-999999999-1")
	os.Mkdir(stale, 0o755) // a run killed before it could clean up
	saved := staged_
	t.Cleanup(func() { staged_ = saved })
	staged_ = func(stage string) {
		if got := listDir(t, dir); len(got) != 2 || got["demo-app.yaml"] != "old\n" {
			t.Errorf("the directory changed before the switch: %v", got)
		}
		if got := listDir(t, stage); len(got) != 3 || got["notes.txt"] != "mine\n" || got["demo-app.yaml"] == "old\n" {
			t.Errorf("the staged copy: %v", got)
		}
	}
	formwork(t, "render", "--out", dir).wantExit(t, exitOK)
	got := listDir(t, dir)
	if len(got) != 3 || got["notes.txt"] != "mine\n" || got["demo-app.yaml"] != mustRender(t, demoApp, "yaml") || got["named-role.yaml"] == "" {
		t.Errorf("after the switch: %v", got)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("left beside the directory: %v", entries)
	}
}

// A directory that holds a subdirectory is written file by file, as before.
func TestWriteAllFileByFile(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	called := false
	saved := staged_
	t.Cleanup(func() { staged_ = saved })
	staged_ = func(string) { called = true }
	if err := writeAll([]outFile{{filepath.Join(dir, "a.yaml"), []byte("a")}}); err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, dir); called || got["a.yaml"] != "a" || len(got) != 2 {
		t.Errorf("swapped %v: %v", called, got)
	}
	for _, e := range must2(os.ReadDir(filepath.Dir(dir))) {
		if strings.Contains(e.Name(), ".formwork-") {
			t.Errorf("left %s", e.Name())
		}
	}
}

func must2[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A second render of unchanged stacks writes nothing: the directory is not
// swapped, its files keep their inodes, and files a render writes whose
// content differs are still all rewritten together.
func TestWriteAllLeavesUnchangedFilesAlone(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	dir := filepath.Join(t.TempDir(), "out")
	formwork(t, "render", "--out", dir).wantExit(t, exitOK)
	before := inode(t, dir)
	fileBefore := inode(t, filepath.Join(dir, "demo-app.yaml"))
	saved := staged_
	t.Cleanup(func() { staged_ = saved })
	staged_ = func(string) { t.Error("an unchanged render staged a copy") }
	formwork(t, "render", "--out", dir).wantExit(t, exitOK)
	if inode(t, dir) != before || inode(t, filepath.Join(dir, "demo-app.yaml")) != fileBefore {
		t.Error("an unchanged render replaced the directory or a file")
	}
	staged_ = saved
	os.WriteFile(filepath.Join(dir, "named-role.yaml"), []byte("edited\n"), 0o644)
	formwork(t, "render", "--out", dir).wantExit(t, exitOK)
	if got := listDir(t, dir); got["named-role.yaml"] != mustRender(t, namedRole, "yaml") || got["demo-app.yaml"] != mustRender(t, demoApp, "yaml") {
		t.Errorf("after an edit: %v", got)
	}
	if inode(t, dir) == before {
		t.Error("a changed render did not swap the directory")
	}
	if info := must2(os.Stat(filepath.Join(dir, "named-role.yaml"))); info.Mode().Perm() != 0o644 {
		t.Errorf("a rewritten file has mode %v, want 0644", info.Mode().Perm())
	}
}

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t).Ino
}
