package commands

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

// codeApp is a stack whose code is the directory (or Go package) src.
func codeApp(source templates.AssetSource) templates.Stack {
	return templates.Stack{Name: "code-app", Description: "a function's code", Build: func(t *templates.Template) {
		t.Parameter("CodeBucket", cloudformation.Parameter{Type: "String"})
		t.Parameter("CodeKey", cloudformation.Parameter{Type: "String"})
		t.Asset(templates.Asset{Name: "Fn", Source: source, BucketParameter: "CodeBucket", KeyParameter: "CodeKey"})
		t.Resource("Topic", &sns.Topic{DisplayName: cloudformation.SubPtr("${CodeBucket} ${CodeKey}")}, "")
	}}
}

func codeDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte("#!/bin/sh\necho ok\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

var packagedLine = regexp.MustCompile(`^Fn\tformwork/([0-9a-f]{64})\.zip\t(\d+) bytes\n$`)

func TestPackagePrintsKeyAndSize(t *testing.T) {
	useStacks(t, codeApp(templates.Dir(codeDir(t))))
	out := t.TempDir()
	r := formwork(t, "package", "code-app", "--out", out).wantExit(t, exitOK)
	m := packagedLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("package printed %q", r.stdout)
	}
	zip, err := os.ReadFile(filepath.Join(out, m[1]+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if m[2] != strconv.Itoa(len(zip)) {
		t.Errorf("printed size %s, the zip has %d bytes", m[2], len(zip))
	}
	for _, want := range []string{"build Fn (dir ", "build Fn done in "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no progress line %q:\n%s", want, r.stderr)
		}
	}
	again := formwork(t, "package", "code-app").wantExit(t, exitOK)
	if again.stdout != r.stdout {
		t.Errorf("a rebuild gives another key:\n%s\n%s", r.stdout, again.stdout)
	}
}

func TestPackageAStackWithoutAssets(t *testing.T) {
	useStacks(t, demoApp)
	r := formwork(t, "package", "demo-app").wantExit(t, exitOK)
	if r.stdout != "" || r.stderr != "demo-app declares no assets: nothing to package\n" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
}

func TestPackageBuildErrorShowsTheCompiler(t *testing.T) {
	templatestest.Tool(t, "go", "build error test skipped")
	dir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod":  "module example.com/job\n\ngo 1.22\n",
		"main.go": "package main\n\nfunc main() { notDefined() }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "golden"), 0o755); err != nil { // a repository
		t.Fatal(err)
	}
	t.Chdir(dir)
	useStacks(t, codeApp(templates.GoMain(".")))
	r := formwork(t, "package", "code-app").wantExit(t, exitUsage)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	last := lines[len(lines)-1]
	if last != "formwork: Fn: go build . failed (the compiler's first lines are above): fix it and run again" {
		t.Errorf("last line %q", last)
	}
	if !strings.Contains(r.stderr, "main.go:3") || !strings.Contains(r.stderr, "undefined: notDefined") {
		t.Errorf("the compiler's lines are missing:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestPackageErrors(t *testing.T) {
	huge := t.TempDir()
	f, err := os.Create(filepath.Join(huge, "blob"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(250<<20 + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	useStacks(t, codeApp(templates.Dir(huge)), demoApp)
	formwork(t, "package").wantUsage(t, "package takes one stack name, got 0 arguments")
	formwork(t, "package", "code-ap").wantUsage(t, `unknown stack "code-ap": did you mean "code-app"?`)
	r := formwork(t, "package", "code-app").wantExit(t, exitUsage)
	if !strings.HasSuffix(r.stderr, "formwork: Fn: the code is 262144001 bytes unzipped, over Lambda's 250 MB limit (262144000 bytes): make the code smaller, or move data out of it (to S3 or a layer)\n") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestDeployPackagesFirst(t *testing.T) {
	stack := codeApp(templates.Dir(codeDir(t)))
	useStacks(t, stack)
	dir := goldenDir(t, stack)
	t.Run("without a bucket it says where to upload", func(t *testing.T) {
		formwork(t, "deploy", "code-app", "--golden", dir).wantUsage(t,
			"code-app: asset Fn must be uploaded before the stack is deployed: pass --s3-bucket BUCKET (or set FORMWORK_S3_BUCKET, or --param CodeBucket=BUCKET)")
	})
	t.Run("a given key is deployed as it is", func(t *testing.T) {
		r := formwork(t, "deploy", "code-app", "--golden", dir, "--param", "CodeBucket=mine", "--param", "CodeKey=v1/fn.zip").wantExit(t, exitOK)
		if !strings.Contains(r.stdout, "--parameter-overrides CodeBucket=mine CodeKey=v1/fn.zip") || r.stderr != "" {
			t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
	})
	t.Run("a missing parameter is reported before building", func(t *testing.T) {
		useStacks(t, codeApp(templates.Dir("/does/not/exist")), demoApp)
		formwork(t, "deploy", "code-app", "--golden", dir, "--s3-bucket", "b", "--param", "Nope=1").wantUsage(t, `code-app has no parameter "Nope"`)
	})
}

// TestEnvironmentsLeaveTheCodeKeyToFormwork: an environment that names only
// the code bucket is valid, and one that names the key pins that build:
// deploy passes it and builds nothing.
func TestEnvironmentsLeaveTheCodeKeyToFormwork(t *testing.T) {
	stack := codeApp(templates.Dir("/does/not/exist")) // nothing may be built
	useStacks(t, stack)
	dir := goldenDir(t, stack)
	envs := writeEnvironment(t, "", "prod", "stacks:\n  code-app:\n    parameters: {CodeBucket: mine}\n")
	if r := formwork(t, "validate", "--no-cfn-lint", "--environments", envs).wantExit(t, exitOK); !strings.Contains(r.stderr, "1 environment checked") {
		t.Errorf("validate: %s", r.stderr)
	}
	formwork(t, "params", "code-app", "--env", "prod", "--environments", envs).wantExit(t, exitOK)
	writeEnvironment(t, envs, "prod", "stacks:\n  code-app:\n    parameters: {CodeBucket: mine, CodeKey: v1/fn.zip}\n")
	r := formwork(t, "deploy", "code-app", "--golden", dir, "--env", "prod", "--environments", envs).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "--parameter-overrides CodeBucket=mine CodeKey=v1/fn.zip") || r.stderr != "" {
		t.Errorf("a pinned key:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}
