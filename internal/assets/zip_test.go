package assets

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

func readZipEntries(t *testing.T, data []byte) []*zip.File {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	return r.File
}

func TestWriteZipIsReproducible(t *testing.T) {
	entries := []entry{
		{name: "lib/util.txt", data: []byte("util")},
		{name: "bootstrap", exec: true, data: []byte("#!/bin/sh\necho hi\n")},
		{name: "README", data: []byte("read me")},
	}
	first, err := writeZip(entries)
	if err != nil {
		t.Fatal(err)
	}
	reversed := []entry{entries[2], entries[1], entries[0]}
	second, err := writeZip(reversed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatal("the same files in another order give another zip")
	}
	files := readZipEntries(t, first)
	wantNames := []string{"README", "bootstrap", "lib/util.txt"}
	wantModes := []fs.FileMode{0o644, 0o755, 0o644}
	for i, f := range files {
		if f.Name != wantNames[i] {
			t.Errorf("entry %d is %s, want %s (sorted)", i, f.Name, wantNames[i])
		}
		if f.Mode() != wantModes[i] {
			t.Errorf("%s has mode %v, want %v", f.Name, f.Mode(), wantModes[i])
		}
		if len(f.Extra) != 0 {
			t.Errorf("%s has %d bytes of extra fields, want none", f.Name, len(f.Extra))
		}
		if f.ModifiedDate != dosEpochDate || f.ModifiedTime != dosEpochTime || f.Modified.Year() != 1980 {
			t.Errorf("%s is dated %v (%#x %#x), want 1980-01-01 00:00", f.Name, f.Modified, f.ModifiedDate, f.ModifiedTime)
		}
		if f.CreatorVersion>>8 != 3 {
			t.Errorf("%s: creator %#x is not Unix, so unzip ignores the mode", f.Name, f.CreatorVersion)
		}
	}
}

func TestWriteZipRefusesTwoFilesOfOneName(t *testing.T) {
	_, err := writeZip([]entry{{name: "a"}, {name: "a"}})
	if err == nil || !strings.Contains(err.Error(), "two files are named a") {
		t.Fatalf("error %v", err)
	}
}

// zipinfo (Info-ZIP) reads the zip as Lambda's unzip would: the bootstrap
// line shows its mode, and -v shows no extra field and the fixed date.
func TestZipinfoListsAnExecutableBootstrap(t *testing.T) {
	zipinfo, err := exec.LookPath("zipinfo")
	if err != nil {
		missing(t, "zipinfo is not installed (apt-get install unzip): zipinfo check skipped")
	}
	data, err := writeZip([]entry{{name: "bootstrap", exec: true, data: []byte("binary")}, {name: "config.json", data: []byte("{}")}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "code.zip")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zipinfo, path).CombinedOutput()
	if err != nil {
		t.Fatalf("zipinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"-rwxr-xr-x", "bootstrap", "-rw-r--r--", "config.json", "80-Jan-01 00:00"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("zipinfo does not show %q:\n%s", want, out)
		}
	}
	verbose, err := exec.Command(zipinfo, "-v", path).CombinedOutput()
	if err != nil {
		t.Fatalf("zipinfo -v: %v\n%s", err, verbose)
	}
	if n := strings.Count(string(verbose), "length of extra field:                          0 bytes"); n != 2 {
		t.Errorf("zipinfo -v shows %d entries without extra fields, want 2:\n%s", n, verbose)
	}
	if strings.Contains(string(verbose), "extended-timestamp") || strings.Contains(string(verbose), "UT extra") {
		t.Errorf("zipinfo -v shows a timestamp extra field:\n%s", verbose)
	}
}

// missing skips a test needing a tool, or fails it under CI=true.
func missing(t *testing.T, reason string) {
	t.Helper()
	templatestest.Missing(t, reason)
}
