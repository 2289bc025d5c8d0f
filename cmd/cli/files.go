package cli

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

// rootCause strips the operation and path an *os.PathError repeats.
func rootCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
