package commands

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/stacks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
)

// result is what one run of the CLI did.
type result struct {
	code           int
	stdout, stderr string
}

// formwork runs the CLI with args, as the binary would.
func formwork(t testing.TB, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"formwork"}, args...), &out, &errOut)
	r := result{code, out.String(), errOut.String()}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		t.Fatalf("formwork %v printed a stack trace:\n%s", args, r.stderr)
	}
	return r
}

// wantExit fails unless the run exited with code.
func (r result) wantExit(t testing.TB, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

// wantUsage checks a bad-input run: exit 2, nothing on stdout, one line on
// stderr containing each of parts.
func (r result) wantUsage(t testing.TB, parts ...string) {
	t.Helper()
	r.wantExit(t, exitUsage)
	if r.stdout != "" {
		t.Errorf("bad input printed to stdout:\n%s", r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "formwork: ") {
		t.Errorf("want one line starting with \"formwork: \" on stderr, got:\n%s", r.stderr)
	}
	for _, p := range parts {
		if !strings.Contains(r.stderr, p) {
			t.Errorf("stderr %q does not say %q", r.stderr, p)
		}
	}
}

// testStacks are the stacks run hands the CLI: formwork's catalogue unless a
// test chose others with useStacks.
var testStacks = stacks.Catalogue()

// useStacks makes the CLI see exactly list for the rest of the test.
func useStacks(t testing.TB, list ...templates.Stack) {
	t.Helper()
	saved := testStacks
	testStacks = list
	t.Cleanup(func() { testStacks = saved })
}

// run runs the CLI over testStacks.
func run(args []string, stdout, stderr io.Writer) int {
	return Run(args, stdout, stderr, testStacks)
}

// The fixture stacks cover what the commands care about: parameters with
// and without defaults and constraints, IAM resources with and without
// names, a transform, findings, and a body over 51,200 bytes.
var (
	demoApp = templates.Stack{Name: "demo-app", Description: "a topic and a role", Build: func(t *templates.Template) {
		t.Parameter("Repository", cloudformation.Parameter{Type: "String", Description: ptr("GitHub repository, owner/name"),
			AllowedPattern: ptr(`[\w.-]+/[\w.-]+`), ConstraintDescription: ptr("must be owner/name.")})
		t.Parameter("Branch", cloudformation.Parameter{Type: "String", Default: "main", Description: ptr("Branch to deploy")})
		t.Parameter("Stage", cloudformation.Parameter{Type: "String", Default: "dev", AllowedValues: []any{"dev", "prod"}})
		t.Parameter("Retries", cloudformation.Parameter{Type: "Number", Default: "3"})
		t.Resource("Topic", &sns.Topic{DisplayName: cloudformation.SubPtr("${Repository} ${Branch} ${Stage} ${Retries}")}, "where alarms go")
		t.Resource("Role", &iam.Role{AssumeRolePolicyDocument: trustLambda}, "")
		t.Output("TopicArn", cloudformation.Output{Value: cloudformation.Ref("Topic")})
	}}
	namedRole = templates.Stack{Name: "named-role", Description: "a role with a name", Build: func(t *templates.Template) {
		t.Resource("Role", &iam.Role{RoleName: cloudformation.SubPtr("${AWS::StackName}-runner"), AssumeRolePolicyDocument: trustLambda}, "")
	}}
	transformed = templates.Stack{Name: "transformed", Description: "uses a macro", Build: func(t *templates.Template) {
		t.Transform("AWS::Serverless-2016-10-31")
		t.Resource("Topic", &sns.Topic{}, "")
	}}
	broken = templates.Stack{Name: "broken", Description: "refers to nothing", Build: func(t *templates.Template) {
		t.Resource("Topic", &sns.Topic{}, "")
		t.Output("Url", cloudformation.Output{Value: cloudformation.GetAtt("Topic", "Url")})
		t.Output("Gone", cloudformation.Output{Value: cloudformation.Ref("Missing")})
	}}
	bigStack = templates.Stack{Name: "big-stack", Description: "over 51,200 bytes", Build: func(t *templates.Template) {
		for i := 0; i < 400; i++ {
			t.Resource(fmt.Sprintf("Topic%03d", i), &sns.Topic{DisplayName: ptr(strings.Repeat("x", 90))}, "")
		}
	}}
)

var trustLambda = map[string]any{
	"Version": "2012-10-17",
	"Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
	}},
}

func ptr[T any](v T) *T { return &v }

// goldenDir renders list into a fresh directory, as make golden would.
func goldenDir(t *testing.T, list ...templates.Stack) string {
	t.Helper()
	dir := t.TempDir()
	for _, s := range list {
		body, err := s.Render(templates.YAML, rules.All())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, golden.File(s.Name)), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// listDir returns "name: contents" for every file in dir, to prove a
// command wrote nothing.
func listDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = string(b)
	}
	return out
}

// fakeTool puts an executable script called name first on PATH, and keeps
// only the system directories after it, so real tools of that name are
// hidden.
func fakeTool(t *testing.T, name, script string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+":/usr/bin:/bin")
	return dir
}

// hideTools leaves only the system directories on PATH.
func hideTools(t *testing.T) { t.Setenv("PATH", "/usr/bin:/bin") }

func mustRender(t *testing.T, s templates.Stack, f templates.Format) string {
	t.Helper()
	b, err := s.Render(f, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
