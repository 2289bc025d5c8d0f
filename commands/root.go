package commands

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
)

// repositoryRoot is the nearest directory, from the working directory up,
// that holds go.mod and golden/: where a repository's golden/ and
// environments/ are and where its Go packages build from, as git and go
// find theirs. Outside any repository it says so in one line.
func repositoryRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", usageError("cannot tell the working directory: %v", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if isRepositoryRoot(dir) {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", usageError("%s is not inside a formwork repository (no directory from there up holds go.mod and golden/): cd into one, or make one with formwork init DIR", wd)
		}
	}
}

func isRepositoryRoot(dir string) bool {
	mod, err := os.Stat(filepath.Join(dir, "go.mod"))
	if err != nil || !mod.Mode().IsRegular() {
		return false
	}
	golden, err := os.Stat(filepath.Join(dir, "golden"))
	return err == nil && golden.IsDir()
}

// repoPath is a directory flag's value: as given when set (on the command
// line or in the environment), else its default inside the repository
// root, written relative to the working directory as git writes paths.
func repoPath(c *cli.Context, flag string) (string, error) {
	if c.IsSet(flag) {
		return c.String(flag), nil
	}
	root, err := repositoryRoot()
	if err != nil {
		return "", err
	}
	return fromHere(filepath.Join(root, c.String(flag))), nil
}

// fromHere writes path relative to the working directory when it is
// shorter that way.
func fromHere(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && len(rel) < len(path) {
		return rel
	}
	return path
}

// warnStaleBinary prints staleBinary's line, before a report that golden/
// is stale: the binary, not golden/, may be what is out of date.
func warnStaleBinary(c *cli.Context) {
	root, err := repositoryRoot()
	if err != nil {
		return
	}
	if msg := staleBinary(root); msg != "" {
		fmt.Fprintln(c.App.ErrWriter, "formwork: "+msg)
	}
}

// staleBinary says, when the running program is a binary built inside the
// repository (bin/<name>) and a Go source of the repository changed after
// it was built (another branch checked out, an edit not rebuilt), that its
// stacks are not the current ones; "" otherwise.
func staleBinary(root string) string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return ""
	}
	return staleAgainst(exe, root)
}

func staleAgainst(exe, root string) string {
	if rel, err := filepath.Rel(root, exe); err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	built, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	newer := newerSource(root, built)
	if newer == "" {
		return ""
	}
	return fromHere(exe) + " was built before " + newer + " changed: it serves other stacks than the current sources (another branch?): run make build, then run it again"
}

// newerSource is the first Go source or go.mod/go.sum under root modified
// after the binary was built.
func newerSource(root string, built fs.FileInfo) string {
	var found string
	stop := errors.New("found")
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "bin" || name == "golden" || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().After(built.ModTime()) {
			found, _ = filepath.Rel(root, path)
			return stop
		}
		return nil
	})
	return found
}
