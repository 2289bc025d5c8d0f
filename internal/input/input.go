// Package input reads the files formwork takes as input (templates,
// parameters files, environment files) the one safe way: regular files
// only, so a named pipe cannot hang a run and a symlink to /dev/zero cannot
// exhaust its memory, and never more than a limit.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Limits for what formwork reads.
const (
	// TemplateBytes bounds a template: CloudFormation takes at most 1 MB
	// from S3, so 4 MB leaves room for JSON written with wide indentation.
	TemplateBytes = 4 << 20
	// SmallBytes bounds a parameters or environment file.
	SmallBytes = 1 << 20
)

// ErrNotRegular is a path that is not a regular file (a directory, device,
// named pipe or socket), also through a symlink.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is a file over the limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than %s, more than formwork reads", size(e.Limit))
}

// Read returns the contents of the regular file at path, refusing one over
// limit bytes. Errors wrap the *fs.PathError of the failed operation, or
// ErrNotRegular, or are a *TooLargeError.
func Read(path string, limit int64) ([]byte, error) {
	if err := regular(os.Stat(path)); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := regular(f.Stat()); err != nil { // it may have been swapped since
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{limit}
	}
	return data, nil
}

func regular(info fs.FileInfo, err error) error {
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%w (%s)", ErrNotRegular, kind(info.Mode()))
	}
	return nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a file"
}

func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
