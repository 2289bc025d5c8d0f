package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"

	"github.com/formwork-dev/formwork/internal/importer"
	"github.com/formwork-dev/formwork/internal/scaffold"
)

// teamRepo lays out a repository as formwork init makes it (go.mod using
// this worktree's formwork, main.go, stacks/stacks.go and the starter stack, stacks/golden_test.go,
// golden/) and returns its directory.
func teamRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	root := moduleRoot(t)
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go .*$`).Find(goMod)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": "module example.com/infra\n\n" + string(goLine) + "\n\nrequire github.com/formwork-dev/formwork v0.0.0\n\n" +
			"replace github.com/formwork-dev/formwork => " + root + "\n",
		"go.sum":                   string(sum),
		"main.go":                  scaffoldFile(t, "main.go"),
		"stacks/stacks.go":         scaffoldFile(t, "stacks/stacks.go"),
		"stacks/golden_test.go":    scaffoldFile(t, "stacks/golden_test.go"),
		"stacks/hello_schedule.go": scaffoldFile(t, "stacks/hello_schedule.go"),
		"golden/.keep":             "",
	}
	for name, body := range files {
		p := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// scaffoldFile is a file of the repository formwork init writes.
func scaffoldFile(t *testing.T, path string) string {
	t.Helper()
	body, err := scaffold.File(path, scaffold.Repo{Module: "example.com/infra", Binary: "infra"})
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// moduleRoot is the directory of formwork's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), ".."))
}

func writeTemplate(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const queueTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Description: a queue
Parameters:
  Retention:
    Type: Number
    Default: 345600
Resources:
  # where orders wait
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: !Ref Retention
Outputs:
  QueueUrl:
    Value: !Ref Queue
`

func TestImportStdout(t *testing.T) {
	f := writeTemplate(t, t.TempDir(), "Order_Queue.yaml", queueTemplate)
	r := formwork(t, "import", f, "--stdout").wantExit(t, 0)
	for _, want := range []string{`Name:        "order-queue"`, "func buildOrderQueue(t *templates.Template)", `t.Resource("Queue", &sqs.Queue{`,
		`"where orders wait")`, `t.Override("Queue", "Properties.MessageRetentionPeriod", cloudformation.Ref("Retention"))`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the Go source has no %q:\n%s", want, r.stdout)
		}
	}
}

// TestImportReportsNumbers: a value CloudFormation reads differently from
// how it is written is reported on stderr with its line and the fix.
func TestImportReportsNumbers(t *testing.T) {
	f := filepath.Join("testdata", "import", "numbers.yaml")
	r := formwork(t, "import", f, "--stdout").wantExit(t, 0)
	for _, want := range []string{
		f + `:9: 098765432198 is text to CloudFormation (YAML 1.1) but a number to YAML 1.2 tools, and the stack keeps the text: quote it ("098765432198")`,
		f + `:4: 012345678901 is text`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr has no %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, `"AWS": "098765432198"`) {
		t.Errorf("the Go source lost the account id's text:\n%s", r.stdout)
	}
}

func TestImportIntoRefusesBadInput(t *testing.T) {
	repo := teamRepo(t)
	dir := t.TempDir()
	good := writeTemplate(t, dir, "queue.yaml", queueTemplate)
	cases := []struct {
		name  string
		args  []string
		parts []string
	}{
		{"no template", []string{"--into", repo}, []string{"name the templates"}},
		{"nowhere to write", []string{good}, []string{"--into REPO", "--stdout"}},
		{"both", []string{good, "--into", repo, "--stdout"}, []string{"exclude each other"}},
		{"stdout of two", []string{good, good, "--stdout"}, []string{"one template"}},
		{"not a repository", []string{good, "--into", dir}, []string{"no stacks/ directory", "formwork init"}},
		{"missing file", []string{filepath.Join(dir, "nope.yaml"), "--into", repo}, []string{"cannot read", "nope.yaml"}},
		{"yaml syntax", []string{writeTemplate(t, dir, "bad.yaml", "Resources:\n  Q:\n    Type: [\n"), "--into", repo}, []string{"bad.yaml:3:"}},
		{"duplicate key", []string{writeTemplate(t, dir, "dup.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SNS::Topic\n"), "--into", repo}, []string{"dup.yaml:4:", "twice"}},
		{"duplicate key in JSON", []string{writeTemplate(t, dir, "dup.json", "{\n\"Resources\": {\n\"Q\": {\"Type\": \"AWS::SQS::Queue\"},\n\"Q\": {\"Type\": \"AWS::SNS::Topic\"}\n}\n}\n"), "--into", repo}, []string{"dup.json:4:", "twice"}},
		{"not a template", []string{writeTemplate(t, dir, "compose.yaml", "services:\n  web:\n    image: nginx\n"), "--into", repo}, []string{"compose.yaml:1:", "not a section"}},
		{"no resources", []string{writeTemplate(t, dir, "empty.yaml", "Description: nothing\nResources: {}\n"), "--into", repo}, []string{"empty.yaml:2:", "Resources"}},
		{"two files, one name", []string{good, writeTemplate(t, dir, "Queue.json", `{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}`), "--into", repo}, []string{`stack "queue"`}},
		{"another tool's dialect", []string{writeTemplate(t, dir, "rain.yaml", "Resources:\n  LogBucketAccess:\n    Type: !Rain::Module ./bucket.yaml\n"), "--into", repo}, []string{"rain.yaml:3:", "!Rain::Module is rain's", "rain pkg"}},
		{"a good and a bad file", []string{good, filepath.Join(dir, "bad.yaml"), "--into", repo}, []string{"bad.yaml:3:", "nothing was written"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			formwork(t, append([]string{"import"}, c.args...)...).wantUsage(t, c.parts...)
			if got := listDir(t, filepath.Join(repo, "stacks")); len(got) != 3 {
				t.Errorf("stacks/ changed: %v", got)
			}
		})
	}
}

func TestImportRefusesAnExistingStack(t *testing.T) {
	repo := teamRepo(t)
	f := writeTemplate(t, t.TempDir(), "queue.yaml", queueTemplate)
	r := formwork(t, "import", f, "--into", repo).wantExit(t, 0)
	if want := "wrote " + filepath.Join(repo, "stacks", "queue.go") + " (stack queue from " + f + ": 1 resource, 1 override, 1 waiver)"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
	}
	before := listDir(t, filepath.Join(repo, "stacks"))
	formwork(t, "import", f, "--into", repo).wantUsage(t, "queue.go exists already")

	other := writeTemplate(t, t.TempDir(), "billing.yaml", queueTemplate)
	mine := "package stacks\n\nimport \"github.com/formwork-dev/formwork/templates\"\n\n" +
		"var _ = templates.Stack{\n\tName: \"billing\",\n\tBuild: func(t *templates.Template) { _ = struct{ Name string }{Name: \"web\"} },\n}\n"
	if err := os.WriteFile(filepath.Join(repo, "stacks", "mine.go"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	formwork(t, "import", other, "--into", repo).wantUsage(t, "mine.go registers a stack named \"billing\"")
	web := writeTemplate(t, t.TempDir(), "web.yaml", queueTemplate) // a Name field that is no stack's
	formwork(t, "import", web, "--into", repo).wantExit(t, 0)
	q1 := writeTemplate(t, t.TempDir(), "q-1.yaml", queueTemplate) // buildQ1, as q1.yaml's would be
	q2 := writeTemplate(t, t.TempDir(), "q1.yaml", queueTemplate)
	formwork(t, "import", q1, q2, "--into", repo).wantUsage(t, "func buildQ1 already", "q1.yaml")
	after := listDir(t, filepath.Join(repo, "stacks"))
	if after["queue.go"] != before["queue.go"] || len(after) != len(before)+2 {
		t.Errorf("a refused import changed stacks/")
	}
}

// TestImportRoundTrip is the whole path a team takes: import templates into
// a repository, build it, make golden, and formwork diff against the
// original template with --exit-code.
func TestImportRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a repository with the go tool: skipped with -short")
	}
	goTool(t)
	repo := teamRepo(t)
	dir := t.TempDir()
	// testdata/import: every escape hatch, SAM, conditions, waivers, anchors,
	// YAML 1.1 scalars, CRLF and a byte order mark
	templates, err := filepath.Glob("testdata/import/*")
	if err != nil {
		t.Fatal(err)
	}
	templates = append(templates,
		writeTemplate(t, dir, "queue.yaml", queueTemplate),
		writeTemplate(t, dir, "topic.json", `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${AWS::StackName}-alerts"}}}}}`),
	)
	formwork(t, append(append([]string{"import"}, templates...), "--into", repo)...).wantExit(t, 0)
	goIn(t, repo, "vet", "./...")
	goIn(t, repo, "test", "./stacks", "-run", "^TestGolden$", "-update")
	bin := filepath.Join(t.TempDir(), "infra")
	goIn(t, repo, "build", "-o", bin, ".")
	for _, tmpl := range templates {
		name := strings.TrimSuffix(filepath.Base(tmpl), filepath.Ext(tmpl))
		cmd := exec.Command(bin, "diff", "--base", tmpl, "--head", filepath.Join(repo, "golden", name+".yaml"), "--exit-code")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("formwork diff %s: %v\n%s", name, err, out)
		}
	}
	numbers, err := os.ReadFile(filepath.Join(repo, "golden", "numbers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`AWS: "098765432198"`, `Default: "012345678901"`, "aws:MultiFactorAuthAge: 1.50", "!!int 123456789012345678901234"} {
		if !strings.Contains(string(numbers), want) {
			t.Errorf("golden/numbers.yaml has no %s: numbers must keep their text\n%s", want, numbers)
		}
	}
	cmd := exec.Command(bin, "check", "--golden", filepath.Join(repo, "golden"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("formwork check in the repository: %v\n%s", err, out)
	}
	// day one: validate (cfn-lint included, when installed) passes on what was imported
	cmd = exec.Command(bin, "validate")
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("formwork validate in the repository: %v\n%s", err, out)
	}
	retained, err := os.ReadFile(filepath.Join(repo, "stacks", "retained.go"))
	if err != nil {
		t.Fatal(err)
	}
	if _, lookErr := exec.LookPath("cfn-lint"); lookErr == nil && !strings.Contains(string(retained), `t.Waive("Orders", "cfn-lint:W3011", "imported as deployed: cfn-lint W3011 (warning): `) {
		t.Errorf("the import wrote no waiver for cfn-lint's W3011:\n%s", retained)
	}
}

// TestImportWaivesCfnLintFindings: each cfn-lint finding of an imported
// template becomes a waiver of its rule, with the finding as its reason.
func TestImportWaivesCfnLintFindings(t *testing.T) {
	fakeTool(t, "cfn-lint", `file="$4"
cat <<JSON
[{"Filename": "$file", "Level": "Warning", "Message": "Both 'UpdateReplacePolicy' and 'DeletionPolicy' are needed",
  "Location": {"Path": ["Resources", "Queue", "DeletionPolicy"]}, "Rule": {"Id": "W3011"}}]
JSON
exit 4
`)
	f := writeTemplate(t, t.TempDir(), "queue.yaml", queueTemplate)
	r := formwork(t, "import", f, "--stdout").wantExit(t, 0)
	want := `t.Waive("Queue", "cfn-lint:W3011", "imported as deployed: cfn-lint W3011 (warning): Both 'UpdateReplacePolicy' and 'DeletionPolicy' are needed")`
	if !strings.Contains(r.stdout, want) {
		t.Errorf("the Go has no %s:\n%s", want, r.stdout)
	}
}

// goTool skips without the go tool, and fails without it under CI.
func goTool(t *testing.T) {
	t.Helper()
	templatestest.Tool(t, "go", "the import round trip was not built")
}

// goIn runs the go tool in dir.
func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// TestImportCorpusRoundTrip imports every template of the corpus (real
// templates from rain's and goformation's Go modules, see
// internal/importer/testdata/corpus/README.md) into one repository, which
// is built and vetted once; make golden renders them all, and formwork diff
// must find each rendering identical to its template.
func TestImportCorpusRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a repository of every corpus template with the go tool: skipped with -short")
	}
	goTool(t)
	corpus := filepath.Join(moduleRoot(t), "internal", "importer", "testdata", "corpus")
	src := t.TempDir()
	var files []string
	err := filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(p) == "README.md" {
			return err
		}
		rel, _ := filepath.Rel(corpus, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if _, err := importer.Import(p, "corpus", data, importer.Options{Rules: rules.All()}); err != nil && strings.Contains(err.Error(), "is not CloudFormation's") {
			return nil // another tool's dialect, which the import refuses (internal/importer's corpus test)
		}
		// one stack name per file: its whole path, extension included
		unique := strings.NewReplacer(string(filepath.Separator), "_", ".", "_").Replace(rel) + filepath.Ext(rel)
		files = append(files, writeTemplate(t, src, unique, string(data)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 150 {
		t.Fatalf("the corpus has %d templates, want at least 150", len(files))
	}
	repo := teamRepo(t)
	formwork(t, append(append([]string{"import"}, files...), "--into", repo)...).wantExit(t, 0)
	goIn(t, repo, "vet", "./...")
	goIn(t, repo, "test", "./stacks", "-run", "^TestGolden$", "-update")
	bin := filepath.Join(t.TempDir(), "infra")
	goIn(t, repo, "build", "-o", bin, ".")
	var failed []string
	for _, f := range files {
		name := importer.StackName(f)
		out, err := exec.Command(bin, "diff", "--base", f, "--head", filepath.Join(repo, "golden", name+".yaml"), "--exit-code").CombinedOutput()
		if err != nil {
			failed = append(failed, filepath.Base(f)+": "+string(out))
		}
	}
	t.Logf("%d of %d corpus templates round-trip through go build, make golden and formwork diff", len(files)-len(failed), len(files))
	if len(failed) > 0 {
		t.Errorf("%d templates do not round-trip:\n%s", len(failed), strings.Join(failed, "\n"))
	}
}
