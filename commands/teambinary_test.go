package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// teamMain is a team's whole program, importing of formwork only the CLI and
// the engine: no blocks, no rules. Its three stacks each break one security
// rule, which the CLI must still refuse.
const teamMain = `package main

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/formwork-dev/formwork/commands"
	"github.com/formwork-dev/formwork/templates"
)

func main() {
	commands.Main(
		templates.Stack{Name: "public-bucket", Description: "a bare bucket", Build: func(t *templates.Template) {
			t.Resource("Bucket", &s3.Bucket{}, "")
		}},
		templates.Stack{Name: "star-action", Description: "a role that may do anything", Build: func(t *templates.Template) {
			t.Resource("Role", &iam.Role{
				AssumeRolePolicyDocument: map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
					"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}},
				Policies: []iam.Role_Policy{{PolicyName: "all", PolicyDocument: map[string]any{"Version": "2012-10-17",
					"Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}}}}},
			}, "")
		}},
		templates.Stack{Name: "old-runtime", Description: "a function on python2.7", Build: func(t *templates.Template) {
			t.Resource("Function", &lambda.Function{
				Runtime: cloudformation.String("python2.7"), Handler: cloudformation.String("index.handler"),
				Role: "arn:aws:iam::123456789012:role/fn",
				Code: &lambda.Function_Code{ZipFile: cloudformation.String("def handler(e, c): return 1")},
			}, "")
		}},
	)
}
`

// TestATeamBinaryRunsEveryRule builds a team's binary whose main imports
// only the CLI and the engine, and proves that a public bucket, a "*"
// action and an unsupported runtime are all refused: the rules run because
// the CLI is handed them, not because some package happened to be linked.
func TestATeamBinaryRunsEveryRule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a new module: skipped with -short")
	}
	needTool(t, "go")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := "module example.com/team\n\ngo 1.26\n\nrequire github.com/formwork-dev/formwork v0.0.0\n\nreplace github.com/formwork-dev/formwork => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"go.mod": []byte(goMod), "go.sum": sum, "main.go": []byte(teamMain)} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, code := inDir(t, dir, "go", "build", "-mod=mod", "-o", "team", "."); code != 0 {
		t.Fatalf("building the team's binary failed:\n%s", out)
	}
	for stack, rule := range map[string]string{
		"public-bucket": "bucket_public_access_block",
		"star-action":   "no_wildcard_action",
		"old-runtime":   "lambda_runtime_supported",
	} {
		out, code := inDir(t, dir, "./team", "validate", stack, "--no-cfn-lint")
		if code != exitFindings || !strings.Contains(out, "["+rule+"]") {
			t.Errorf("validate %s: exit %d, want 1 with a finding of rule %s:\n%s", stack, code, rule, out)
		}
		out, code = inDir(t, dir, "./team", "render", stack)
		if code != exitUsage || !strings.Contains(out, "["+rule+"]") {
			t.Errorf("render %s: exit %d, want 2 with a finding of rule %s:\n%s", stack, code, rule, out)
		}
	}
}
