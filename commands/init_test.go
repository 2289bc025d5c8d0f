package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/internal/templatestest"

	"github.com/formwork-dev/formwork/internal/scaffold"
)

// needTool skips a test that needs tool, or fails it under CI=true.
func needTool(t *testing.T, tool string) {
	t.Helper()
	templatestest.Tool(t, tool, "skipped")
}

// inDir runs a command in dir and returns its combined output and exit code.
func inDir(t *testing.T, dir, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out), code
}

// TestInitMakesAWorkingRepository does what a new user does, as formwork's
// README's "Your own infrastructure repository" prints it: formwork init
// (with a relative path), cd, make test, list; then it adds a second stack
// from the new README's example, deploys it as the README's step 4 says,
// and sees check catch a hand-edited golden file.
func TestInitMakesAWorkingRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a new module: skipped with -short")
	}
	needTool(t, "go")
	needTool(t, "make")
	dir := filepath.Join(t.TempDir(), "infra")
	r := formwork(t, "init", dir, "--module", "github.com/acme/infra", "--deploy-role").wantExit(t, exitOK)
	for _, want := range []string{"wrote 11 files for module github.com/acme/infra", "rendering golden/ done in", "created " + dir} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("init's progress lacks %q:\n%s", want, r.stderr)
		}
	}
	for _, f := range append(scaffold.Repo{DeployRole: true}.Paths(), "go.sum", "golden/hello-schedule.yaml", "golden/deploy-role.yaml", ".git/HEAD") {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("init did not write %s", f)
		}
	}
	if head := readFile(t, filepath.Join(dir, ".git", "HEAD")); head != "ref: refs/heads/main\n" {
		t.Errorf("init must start branch main, which its workflow and README name; .git/HEAD says %q", head)
	}
	if out, code := inDir(t, dir, "make", "test"); code != 0 { // the README tour's step 1
		t.Fatalf("make test in the new repository failed:\n%s", out)
	}
	bin := filepath.Join(dir, "bin", "infra")
	if out, _ := inDir(t, dir, bin, "list"); !regexp.MustCompile(`\ASTACK +RESOURCES +DESCRIPTION\nhello-schedule +8 +Runs a small.*\ndeploy-role +2 +The roles `).MatchString(out) || strings.Count(out, "\n") != 3 {
		t.Errorf("the new CLI must list only the starter stack and the deploy role, got:\n%s", out)
	}

	addREADMEStack(t, dir)
	addCatalogueExample(t, dir)
	inDir(t, dir, "make", "golden")
	if out, code := inDir(t, dir, "make", "test"); code != 0 {
		t.Fatalf("make test after adding the README's stack failed:\n%s", out)
	}
	if out, _ := inDir(t, dir, bin, "list"); !strings.Contains(out, "orders ") || !strings.Contains(out, "exports ") || !strings.Contains(out, "hello-schedule ") {
		t.Errorf("a second stack file must appear in list:\n%s", out)
	}
	if out, code := inDir(t, dir, bin, "render", "orders"); code != 0 || !strings.Contains(out, "AWS::S3::Bucket") {
		t.Errorf("render orders: exit %d\n%s", code, out)
	}
	// deploy without an environment: a parameters file, then the printed command
	params, code := inDir(t, dir, bin, "params", "orders")
	if code != 0 {
		t.Fatalf("params orders: exit %d\n%s", code, params)
	}
	writeIn(t, dir, "orders.json", params)
	if out, code := inDir(t, dir, bin, "deploy", "orders", "--params", "orders.json"); code != 0 || !strings.HasPrefix(out, "aws cloudformation deploy \\\n  --template-file golden/orders.yaml \\\n") {
		t.Errorf("deploy orders: exit %d\n%s", code, out)
	}

	golden := filepath.Join(dir, "golden", "orders.yaml")
	body, _ := os.ReadFile(golden)
	os.WriteFile(golden, []byte(strings.Replace(string(body), "ExpirationInDays: 90", "ExpirationInDays: 9", 1)), 0o644)
	out, code := inDir(t, dir, bin, "check")
	if code != 1 || !strings.Contains(out, "--- a/orders.yaml") || !strings.Contains(out, "-          - ExpirationInDays: 9\n") {
		t.Errorf("check after editing golden/orders.yaml: exit %d, want 1 with a unified diff:\n%s", code, out)
	}
	if strings.Contains(out, "was built before") {
		t.Errorf("a binary built from the current sources called itself stale:\n%s", out)
	}
	// sources changed after the build (another branch checked out): the
	// binary says so before the diff
	later := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(dir, "stacks", "orders.go"), later, later)
	out, _ = inDir(t, dir, bin, "check")
	stale := strings.Index(out, "formwork: bin/infra was built before "+filepath.Join("stacks", "orders.go")+" changed")
	if stale < 0 || stale > strings.Index(out, "--- a/orders.yaml") {
		t.Errorf("check by a binary older than its sources must say so before the diff:\n%s", out)
	}
}

// addREADMEStack writes the Go example of the new README's "Add a stack"
// section as stacks/orders.go: the README's example must work as written.
func addREADMEStack(t *testing.T, dir string) {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Add a stack.*?```go\n(.*?)```.*?```go\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README has no stack file and stacks.go list under \"## Add a stack\"")
	}
	if err := os.WriteFile(filepath.Join(dir, "stacks", "orders.go"), m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	list := "package stacks\n\nimport \"github.com/formwork-dev/formwork/templates\"\n\n// All is every stack.\n" + string(m[2])
	if err := os.WriteFile(filepath.Join(dir, "stacks", "stacks.go"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
}

// formworkREADME is formwork's own README.
const formworkREADME = "../README.md"

// blocksGuide is formwork help blocks, which holds the catalogue example.
const blocksGuide = "help/blocks.md"

// addCatalogueExample compiles formwork README's "Adding a stack to the
// catalogue" example in the new repository, registered with its options.
func addCatalogueExample(t *testing.T, dir string) {
	t.Helper()
	readme, err := os.ReadFile(blocksGuide)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Adding a stack to the catalogue.*?```go\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("formwork help blocks has no Go example under \"## Adding a stack to the catalogue\"")
	}
	src := "package stacks\n\nimport (\n\t\"github.com/formwork-dev/formwork/stacks/blocks\"\n\t\"github.com/formwork-dev/formwork/templates\"\n)\n\n" +
		dedent(string(m[1]))
	if err := os.WriteFile(filepath.Join(dir, "stacks", "exports.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	listFile := filepath.Join(dir, "stacks", scaffold.StacksFile)
	list, err := os.ReadFile(listFile)
	if err != nil {
		t.Fatal(err)
	}
	if list, err = scaffold.AddStacks(list, "Exports{ExpireAfterDays: 30}.Stack()"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(listFile, list, 0o644); err != nil {
		t.Fatal(err)
	}
}

// dedent removes the indentation of a README code block inside a list item.
func dedent(block string) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "   ")
	}
	return strings.Join(lines, "\n")
}

// TestREADMEShowsTheScaffoldsExample keeps formwork's README and the new
// repository's README on the same, tested, "add a stack" example.
func TestREADMEShowsTheScaffoldsExample(t *testing.T) {
	readme, err := os.ReadFile(formworkREADME)
	if err != nil {
		t.Fatal(err)
	}
	scaffoldREADME, err := os.ReadFile("../internal/scaffold/files/README.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	ours := regexp.MustCompile("(?s)## Your own infrastructure repository.*?```go\n(.*?)```").FindSubmatch(readme)
	theirs := regexp.MustCompile("(?s)## Add a stack.*?```go\n(.*?)```").FindSubmatch(scaffoldREADME)
	if ours == nil || theirs == nil || dedent(string(ours[1])) != string(theirs[1]) {
		t.Errorf("the \"add a stack\" examples of README.md and the scaffold's README differ; keep them the same")
	}
}

func TestInitRefusesBadInput(t *testing.T) {
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o644)
	formwork(t, "init", full).wantUsage(t, "the directory is not empty (it holds notes.txt)", "nothing was written")
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("init wrote into a non-empty directory: %v", entries)
	}
	file := filepath.Join(full, "notes.txt")
	formwork(t, "init", file).wantUsage(t, "not a directory")
	formwork(t, "init").wantUsage(t, "init takes one directory, got 0 arguments")
	formwork(t, "init", filepath.Join(t.TempDir(), "x"), "--module", "Not A Module").wantUsage(t, `--module "Not A Module" is not a Go module path`)
	formwork(t, "init", filepath.Join(t.TempDir(), "x"), "--formwork-source", t.TempDir()).wantUsage(t, "no formwork checkout there")
}

func TestInitLeavesNothingWhenAStepFails(t *testing.T) {
	needTool(t, "go")
	parent := t.TempDir()
	dir := filepath.Join(parent, "infra")
	t.Setenv("GOFLAGS", "-mod=nonsense") // every go command now fails
	r := formwork(t, "init", dir).wantExit(t, exitUsage)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "formwork: init: ") || !strings.Contains(last, "failed (go ") || !strings.HasSuffix(last, "nothing was written") {
		t.Errorf("want the failing go step and 'nothing was written' on the last line, got:\n%s", r.stderr)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed init left %v behind", entries)
	}
}

func TestBinaryName(t *testing.T) {
	for module, want := range map[string]string{
		"github.com/acme/infra": "infra", "example.com/infra/v2": "infra", "infra": "infra",
	} {
		if got := binaryName(module); got != want {
			t.Errorf("binaryName(%q) = %q, want %q", module, got, want)
		}
	}
}
