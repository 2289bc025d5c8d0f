package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/templates"
)

// cleanupJob is the catalogue's job (stacks.CleanupJob; this package may
// not import stacks).
const cleanupJob = "github.com/formwork-dev/formwork/stacks/jobs/cleanup"

const repoRoot = "../.."

// TestMain doubles as the build process of TestGoBuildIsReproducible: with
// FORMWORK_TEST_BUILD_IN set it builds the job in that directory under the
// umask in FORMWORK_TEST_UMASK and prints the zip's SHA-256.
func TestMain(m *testing.M) {
	if dir := os.Getenv("FORMWORK_TEST_BUILD_IN"); dir != "" {
		os.Exit(buildChild(dir))
	}
	os.Exit(m.Run())
}

func buildChild(dir string) int {
	mask, err := strconv.ParseUint(os.Getenv("FORMWORK_TEST_UMASK"), 8, 32)
	if err != nil {
		fmt.Fprintln(os.Stderr, "FORMWORK_TEST_UMASK:", err)
		return 2
	}
	syscall.Umask(int(mask))
	m, err := makeZip(context.Background(), goAsset(cleanupJob), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sum := sha256.Sum256(m.zip)
	fmt.Println(hex.EncodeToString(sum[:]))
	return 0
}

func goAsset(pkg string) templates.Asset {
	return templates.Asset{Name: "Job", Source: templates.GoMain(pkg), BucketParameter: "CodeBucket", KeyParameter: "CodeKey"}
}

// needGo skips without a go command (fails under CI=true).
func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		missing(t, "go is not on PATH: build tests skipped")
	}
}

// clone copies what building the job needs (go.mod, go.sum, the job's
// sources) to dir, with the given file mode and modification time: a
// checkout somewhere else, at another time, under another umask.
func clone(t *testing.T, dir string, perm os.FileMode, mtime time.Time) {
	t.Helper()
	files := []string{"go.mod", "go.sum"}
	sources, err := filepath.Glob(filepath.Join(repoRoot, "stacks/jobs/cleanup/*.go"))
	if err != nil || len(sources) == 0 {
		t.Fatalf("no job sources: %v", err)
	}
	for _, s := range sources {
		if rel, _ := filepath.Rel(repoRoot, s); !strings.HasSuffix(rel, "_test.go") {
			files = append(files, rel)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(to, perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(to, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

// buildIn builds the job in dir in a separate process with env added to
// this one's, and returns the zip's SHA-256.
func buildIn(t *testing.T, dir, umask string, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{"FORMWORK_TEST_BUILD_IN=" + dir, "FORMWORK_TEST_UMASK=" + umask}, env...)...)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if exit, ok := err.(*exec.ExitError); ok {
			stderr = string(exit.Stderr)
		}
		t.Fatalf("build in %s: %v\n%s", dir, err, stderr)
	}
	return strings.TrimSpace(string(out))
}

// TestGoBuildIsReproducible builds the catalogue's job from two clones at
// different paths, under different time zones, umasks, file modes and
// mtimes, with a hostile GOFLAGS/GOOS/GOARCH in the environment: the zips
// are byte-identical. Touching a source keeps the key; changing one byte of
// the job changes it.
func TestGoBuildIsReproducible(t *testing.T) {
	needGo(t)
	base := t.TempDir()
	a := filepath.Join(base, "a")
	b := filepath.Join(base, "somewhere else", "much deeper", "b")
	clone(t, a, 0o644, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	clone(t, b, 0o600, time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC))

	keyA := buildIn(t, a, "022", "TZ=UTC")
	keyB := buildIn(t, b, "077", "TZ=Asia/Kathmandu", "GOFLAGS=-gcflags=-N", "GOOS=darwin", "GOARCH=amd64", "CGO_ENABLED=1")
	if keyA != keyB || len(keyA) != 64 {
		t.Fatalf("two clones give %s and %s", keyA, keyB)
	}

	main := filepath.Join(a, "stacks/jobs/cleanup/main.go")
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(main, later, later); err != nil {
		t.Fatal(err)
	}
	if touched := buildIn(t, a, "022", "TZ=America/St_Johns"); touched != keyA {
		t.Errorf("touch main.go changed the key: %s, was %s", touched, keyA)
	}

	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(src), `"checked %d items`, `"Checked %d items`, 1)
	if changed == string(src) {
		t.Fatal(`main.go no longer logs "checked N items": pick another byte to change`)
	}
	if err := os.WriteFile(main, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if edited := buildIn(t, a, "022", "TZ=UTC"); edited == keyA {
		t.Errorf("changing one byte of main.go kept the key %s", keyA)
	}
}

func TestGoEnvReplacesWhatChangesTheBinary(t *testing.T) {
	env := goEnv([]string{"PATH=/bin", "GOFLAGS=-tags=dev", "GOOS=windows", "GOARCH=386", "CGO_ENABLED=1", "GOEXPERIMENT=x", "GOARM64=v9.0", "GOPROXY=off"})
	got := strings.Join(env, " ")
	want := "PATH=/bin GOPROXY=off GOOS=linux GOARCH=arm64 GOARM64=v8.0 CGO_ENABLED=0 GOFLAGS=-buildvcs=false"
	if got != want {
		t.Errorf("go build env\n %s\nwant\n %s", got, want)
	}
}

// An interrupted build says so and leaves nothing in $TMPDIR: neither
// formwork's build directory nor go's work directory.
func TestInterruptedBuildLeavesNothing(t *testing.T) {
	needGo(t)
	dir := filepath.Join(t.TempDir(), "src")
	clone(t, dir, 0o644, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := makeZip(ctx, goAsset(cleanupJob), dir)
	if err != nil && !strings.Contains(err.Error(), "Job: the build of "+cleanupJob+" was interrupted") {
		t.Errorf("error %v", err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left in $TMPDIR: %v", entries)
	}
}
