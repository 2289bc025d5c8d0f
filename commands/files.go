package commands

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// outFile is one file a command writes.
type outFile struct {
	path string
	data []byte
}

// writeAll writes every file or none, even when the process dies midway.
// Files that all go to one directory holding only files (golden/, an --out
// directory, stacks/) are written into a copy of it beside it (existing
// files hard-linked, new ones written), which is then swapped with the
// directory in one atomic step (Linux's renameat2 RENAME_EXCHANGE): a
// reader sees the old directory or the new one, never a mix. Elsewhere each
// file goes to a temporary file beside its destination first, and only when
// all are written are they renamed into place.
func writeAll(files []outFile) error {
	if unchanged(files) {
		return nil
	}
	if dir, ok := oneFlatDir(files); ok {
		err := swapInto(dir, files)
		if !errors.Is(err, errNoSwap) {
			return err
		}
	}
	return renameAll(files)
}

// unchanged reports whether every file already holds its data: then there
// is nothing to write (make golden with no change writes nothing).
func unchanged(files []outFile) bool {
	for _, f := range files {
		info, err := os.Lstat(f.path)
		if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(f.data)) {
			return false
		}
		have, err := os.ReadFile(f.path)
		if err != nil || !bytes.Equal(have, f.data) {
			return false
		}
	}
	return true
}

// notInterrupted refuses to start writing once the run was interrupted:
// nothing is written after Ctrl-C.
func notInterrupted(ctx context.Context) error {
	if ctx.Err() != nil {
		return exitError{exitInterrupted, "interrupted: nothing was written"}
	}
	return nil
}

// errNoSwap is a directory that cannot be swapped: write file by file.
var errNoSwap = errors.New("the directory cannot be swapped")

// oneFlatDir is the directory every file goes to, when there is one and it
// holds no subdirectory (swapping a tree would copy it).
func oneFlatDir(files []outFile) (string, bool) {
	if len(files) == 0 {
		return "", false
	}
	dir := filepath.Dir(files[0].path)
	for _, f := range files {
		if filepath.Dir(f.path) != dir {
			return "", false
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			return "", false
		}
	}
	return dir, true
}

// swapInto writes files into a staged copy of dir and swaps it in.
func swapInto(dir string, files []outFile) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return errNoSwap
	}
	info, err := os.Stat(real)
	if err != nil || holdsWorkingDirectory(real) {
		return errNoSwap
	}
	removeStale(real)
	stage, err := os.MkdirTemp(filepath.Dir(real), stagePrefix(real)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return errNoSwap // the parent is not writable: try file by file
	}
	defer os.RemoveAll(stage) // after the swap, it holds the old files
	if err := os.Chmod(stage, info.Mode().Perm()); err != nil {
		return errNoSwap
	}
	written := map[string]bool{}
	for _, f := range files {
		written[filepath.Base(f.path)] = true
	}
	if err := linkFiles(real, stage, written); err != nil {
		return errNoSwap
	}
	for _, f := range files { // the stage is private until the swap: no temporary files needed
		if err := writeFile(filepath.Join(stage, filepath.Base(f.path)), f.data); err != nil {
			return &os.PathError{Op: "write", Path: f.path, Err: rootCause(err)} // name the file the user asked for
		}
	}
	staged_(stage)
	if err := exchange(stage, real); err != nil {
		return errNoSwap
	}
	return nil
}

// staged_ is called when everything is written and nothing switched yet:
// tests stop there, as a process killed at that moment would.
var staged_ = func(stage string) {}

// holdsWorkingDirectory reports whether dir is the working directory or
// holds it: swapping it would leave the shell in a deleted directory.
func holdsWorkingDirectory(dir string) bool {
	wd, err := os.Getwd()
	if err != nil {
		return true
	}
	if wd, err = filepath.EvalSymlinks(wd); err != nil {
		return true
	}
	rel, err := filepath.Rel(dir, wd)
	return err == nil && !strings.HasPrefix(rel, "..")
}

// stagePrefix names the staged copies of dir: .<dir>.formwork-<pid>-...
func stagePrefix(dir string) string { return "." + filepath.Base(dir) + ".formwork-" }

// removeStale removes the staged copies of dir that a run killed before it
// could clean up left behind: those whose process is gone.
func removeStale(dir string) {
	parent, prefix := filepath.Dir(dir), stagePrefix(dir)
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if ok && e.IsDir() && err == nil && !alive(pid) {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// alive reports whether process pid exists.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}

// linkFiles hard-links every file of from into to (a copy when a link is
// not possible), but those about to be rewritten.
func linkFiles(from, to string, rewritten map[string]bool) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if rewritten[e.Name()] {
			continue
		}
		src, dst := filepath.Join(from, e.Name()), filepath.Join(to, e.Name())
		if err := os.Link(src, dst); err == nil {
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// renameAll writes every file to a temporary file beside it, then renames
// them into place: a reader never sees a partial file, and a failure
// before the renames leaves no file.
func renameAll(files []outFile) error {
	temps := make([]string, 0, len(files))
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, f := range files {
		tmp, err := writeTemp(f)
		if err != nil {
			cleanup()
			return err
		}
		temps = append(temps, tmp)
	}
	for _, f := range files { // a rename fails on a directory: find it before any file moves
		if info, err := os.Stat(f.path); err == nil && info.IsDir() {
			cleanup()
			return &os.PathError{Op: "write", Path: f.path, Err: errors.New("a directory is in the way")}
		}
	}
	for i, f := range files {
		if err := os.Rename(temps[i], f.path); err != nil {
			cleanup()
			return &os.PathError{Op: "rename", Path: f.path, Err: rootCause(err)}
		}
	}
	return nil
}

// writeFile writes a new file readable by all, as writeTemp does.
func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	return os.Chmod(path, 0o644)
}

func writeTemp(f outFile) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(f.path), "."+filepath.Base(f.path)+".*")
	if err != nil {
		return "", &os.PathError{Op: "write", Path: f.path, Err: rootCause(err)}
	}
	_, werr := tmp.Write(f.data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return "", &os.PathError{Op: "write", Path: f.path, Err: rootCause(err)}
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return "", &os.PathError{Op: "write", Path: f.path, Err: rootCause(err)}
	}
	return tmp.Name(), nil
}

// rootCause strips the operation and paths an *os.PathError or
// *os.LinkError repeats.
func rootCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// pathProblem words a file error as "PATH: cause", without the operation
// ("write", "rename") an *os.PathError puts first.
func pathProblem(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}
