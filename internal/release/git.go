package release

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/dirhash"
)

// exportTree copies the files of the release into a new temporary
// directory: HEAD's files as git archive gives them (what a module proxy
// zips for a tag), or, with worktree, the files git would commit as they are
// on disk. It returns the directory and HEAD's commit time.
func exportTree(root string, worktree bool) (string, time.Time, error) {
	stamp, err := git(root, "log", "-1", "--format=%ct", "HEAD")
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%s: not a git repository with a commit (%v): a release is made from a commit", root, err)
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(string(stamp)), 10, 64)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("git log: unexpected commit time %q", stamp)
	}
	if !worktree {
		status, err := git(root, "status", "--porcelain", "--untracked-files=no")
		if err != nil {
			return "", time.Time{}, err
		}
		if len(bytes.TrimSpace(status)) > 0 {
			first, _, _ := strings.Cut(strings.TrimSpace(string(status)), "\n")
			return "", time.Time{}, fmt.Errorf("uncommitted changes (%s): commit or stash them; a release is made from HEAD", first)
		}
	}
	dir, err := os.MkdirTemp("", "formwork-release-*")
	if err != nil {
		return "", time.Time{}, err
	}
	if worktree {
		err = copyWorktree(root, dir)
	} else {
		err = extractHEAD(root, dir)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", time.Time{}, err
	}
	return dir, time.Unix(secs, 0), nil
}

// extractHEAD writes HEAD's regular files into dir, as git archive lists
// them (export-ignore attributes honoured, line endings as committed).
func extractHEAD(root, dir string) error {
	archive, err := git(root, "-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=tar", "HEAD")
	if err != nil {
		return err
	}
	r := tar.NewReader(bytes.NewReader(archive))
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("git archive: %v", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue // directories are made as needed; a module zip holds no links
		}
		if err := writeFrom(filepath.Join(dir, filepath.FromSlash(h.Name)), r); err != nil {
			return err
		}
	}
}

// copyWorktree copies the tracked and untracked-but-not-ignored regular
// files of root into dir.
func copyWorktree(root, dir string) error {
	names, err := git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return err
	}
	for _, name := range strings.Split(strings.TrimRight(string(names), "\x00"), "\x00") {
		src := filepath.Join(root, filepath.FromSlash(name))
		st, err := os.Lstat(src)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted from the worktree, or a link
		}
		f, err := os.Open(src)
		if err != nil {
			return err
		}
		err = writeFrom(filepath.Join(dir, filepath.FromSlash(name)), f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func writeFrom(path string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// git runs git in dir and returns its standard output.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// zipHash is the module zip's hash as go.sum records it.
func zipHash(path string) (string, error) {
	return dirhash.HashZip(path, dirhash.Hash1)
}
