package assets

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/templates"
)

// writeTree writes files (name -> content) under a new directory; a name
// ending in "*" is made executable.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		perm := os.FileMode(0o644)
		if n, ok := strings.CutSuffix(name, "*"); ok {
			name, perm = n, 0o755
		}
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), perm); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func dirAsset(path string) templates.Asset {
	return templates.Asset{Name: "Fn", Source: templates.Dir(path), BucketParameter: "CodeBucket", KeyParameter: "CodeKey"}
}

func TestDirZipKeepsContentAndExecBitOnly(t *testing.T) {
	files := map[string]string{"bootstrap": "#!/bin/sh\n", "bin/helper*": "#!/bin/sh\n", "lib/data.json": "{}"}
	a, b := writeTree(t, files), writeTree(t, files)
	// b: other permissions and mtimes, as after another checkout under another umask
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	for _, f := range []string{"bootstrap", "lib/data.json"} {
		if err := os.Chmod(filepath.Join(b, f), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(b, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(b, "bin/helper"), 0o700); err != nil {
		t.Fatal(err)
	}
	ma, err := makeZip(context.Background(), dirAsset(a), "")
	if err != nil {
		t.Fatal(err)
	}
	mb, err := makeZip(context.Background(), dirAsset(b), "")
	if err != nil {
		t.Fatal(err)
	}
	if string(ma.zip) != string(mb.zip) {
		t.Error("the same files with other modes and mtimes give another zip")
	}
	if ma.unzipped != int64(len("#!/bin/sh\n")*2+2) {
		t.Errorf("unzipped size %d", ma.unzipped)
	}
	want := map[string]os.FileMode{"bin/helper": 0o755, "bootstrap": 0o755, "lib/data.json": 0o644}
	for _, f := range readZipEntries(t, ma.zip) {
		if f.Mode() != want[f.Name] {
			t.Errorf("%s: mode %v, want %v", f.Name, f.Mode(), want[f.Name])
		}
	}
}

func TestDirRelativeToOptionsDir(t *testing.T) {
	root := writeTree(t, map[string]string{"code/bootstrap": "x"})
	if _, err := makeZip(context.Background(), dirAsset("code"), root); err != nil {
		t.Fatal(err)
	}
}

func TestPrebuiltZipIsUploadedAsItIs(t *testing.T) {
	data, err := writeZip([]entry{{name: "index.py", data: []byte("print(1)\n")}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fn.zip")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	a := dirAsset("")
	a.Source = templates.Zip(path)
	m, err := makeZip(context.Background(), a, "")
	if err != nil {
		t.Fatal(err)
	}
	if string(m.zip) != string(data) || m.unzipped != 9 {
		t.Errorf("the zip was changed (unzipped %d)", m.unzipped)
	}
}

// sparse makes a file of size bytes that takes no disk space.
func sparse(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
}

func TestSourceErrors(t *testing.T) {
	root := t.TempDir()
	withLink := writeTree(t, map[string]string{"bootstrap": "x"})
	if err := os.Symlink("bootstrap", filepath.Join(withLink, "link")); err != nil {
		t.Fatal(err)
	}
	notZip := filepath.Join(root, "not.zip")
	if err := os.WriteFile(notZip, []byte("PK? no"), 0o644); err != nil {
		t.Fatal(err)
	}
	sparse(t, filepath.Join(root, "huge/blob"), MaxUnzipped+1)
	sparse(t, filepath.Join(root, "big.zip"), MaxZipped+1)
	if err := os.Mkdir(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		source templates.AssetSource
		want   string
	}{
		{"a symbolic link", templates.Dir(withLink), "link is not a regular file"},
		{"no such directory", templates.Dir(filepath.Join(root, "nope")), "no such file or directory"},
		{"an empty directory", templates.Dir(filepath.Join(root, "empty")), "holds no files: put the code in it"},
		{"over 250 MB unzipped", templates.Dir(filepath.Join(root, "huge")), "262144001 bytes unzipped, over Lambda's 250 MB limit (262144000 bytes)"},
		{"no such zip", templates.Zip(filepath.Join(root, "nope.zip")), "build the zip first"},
		{"not a zip", templates.Zip(notZip), "is not a zip file"},
		{"a zip over 50 MB", templates.Zip(filepath.Join(root, "big.zip")), "the zip is 52428801 bytes, over Lambda's 50 MB limit for a zip (52428800 bytes)"},
		{"a file as a directory", templates.Dir(notZip), "not.zip is a file, and the stack declares a directory asset"},
		{"a device as a zip", templates.Zip("/dev/zero"), "/dev/zero is not a regular file"},
	}
	for _, c := range cases {
		a := dirAsset("")
		a.Source = c.source
		_, err := makeZip(context.Background(), a, "")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "Fn: ") || strings.Count(err.Error(), "Fn: ") != 1 {
			t.Errorf("%s: error %v, want one starting Fn: and containing %q", c.name, err, c.want)
		}
	}
}

func TestCheckLimits(t *testing.T) {
	cases := []struct {
		zipped, unzipped int64
		ok               bool
	}{
		{MaxZipped, MaxUnzipped, true},
		{MaxZipped + 1, 0, false},
		{0, MaxUnzipped + 1, false},
		{1, 1, true},
	}
	for _, c := range cases {
		if err := checkLimits("Fn", c.zipped, c.unzipped); (err == nil) != c.ok {
			t.Errorf("zipped %d unzipped %d: %v", c.zipped, c.unzipped, err)
		}
	}
}
