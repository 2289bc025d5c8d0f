package input

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("cannot make a named pipe: %v", err)
	}
	for path, want := range map[string]string{zero: "a device", pipe: "a named pipe", dir: "a directory"} {
		done := make(chan error, 1)
		go func() { _, err := Read(path, SmallBytes); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want %s", path, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Read hangs", path)
		}
	}
}

func TestReadLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json")
	os.WriteFile(path, make([]byte, 11), 0o644)
	var tooLarge *TooLargeError
	if _, err := Read(path, 10); !errors.As(err, &tooLarge) || err.Error() != "larger than 10 bytes, more than formwork reads" {
		t.Errorf("over the limit: %v", err)
	}
	if data, err := Read(path, 11); err != nil || len(data) != 11 {
		t.Errorf("at the limit: %d bytes, %v", len(data), err)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
