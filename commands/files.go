package commands

import (
	"errors"
	"os"
	"path/filepath"
)

// outFile is one file a command writes.
type outFile struct {
	path string
	data []byte
}

// writeAll writes every file or none: each goes to a temporary file beside
// its destination first, and only when all are written are they renamed into
// place. A reader never sees a partial file, and a failure leaves no file.
func writeAll(files []outFile) error {
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
