package commands

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/formwork-dev/formwork/internal/moto"
)

// deployedTemplate is deployed on moto with values other than its defaults,
// an account id among them, and a NoEcho parameter.
const deployedTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Description: orders, deployed before formwork
Parameters:
  QueueName:
    Type: String
    Default: orders
  Retention:
    Type: Number
    Default: 345600
  TrustedAccount:
    Type: String
    Default: "000000000000"
  Token:
    Type: String
    NoEcho: true
    Default: not-a-secret
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref QueueName
      MessageRetentionPeriod: !Ref Retention
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "${QueueName} for ${TrustedAccount}"
Outputs:
  QueueUrl:
    Value: !Ref Queue
`

// deployOnMoto creates a stack with the AWS SDK, as a team did before
// formwork.
func deployOnMoto(t *testing.T, name, body string, params map[string]string) {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("orders")}}}
	for k, v := range params {
		in.Parameters = append(in.Parameters, types.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	if _, err := cloudformation.NewFromConfig(cfg).CreateStack(ctx, in); err != nil {
		t.Fatal(err)
	}
	if st := stackOnMoto(t, name); st == nil || st.Status != "CREATE_COMPLETE" {
		t.Fatalf("stack %s on moto: %+v", name, st)
	}
}

// TestMotoImportDeployedStackPlansNoChange: deploy a stack, import
// stack:NAME into a new repository, and formwork plan there shows no
// change.
func TestMotoImportDeployedStackPlansNoChange(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a repository with the go tool: skipped with -short")
	}
	goTool(t)
	moto.Shared(t)
	deployOnMoto(t, "orders-dev", deployedTemplate, map[string]string{
		"QueueName": "orders-dev", "Retention": "1209600", "TrustedAccount": "012345678901", "Token": "s3cr3t-planted"})
	repo := teamRepo(t)
	r := formwork(t, "import", "stack:orders-dev", "--env", "dev", "--into", repo).wantExit(t, exitOK)
	if strings.Contains(r.stdout+r.stderr, "s3cr3t-planted") {
		t.Fatalf("the NoEcho value was printed:\n%s%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "parameter Token is NoEcho") {
		t.Errorf("stderr does not say the NoEcho value is not kept:\n%s", r.stderr)
	}
	env := readFile(t, filepath.Join(repo, "environments", "dev.yaml"))
	for _, want := range []string{"region: us-east-1", "stacks:\n  orders:\n    parameters:\n", `QueueName: "orders-dev"`,
		`Retention: "1209600"`, `TrustedAccount: "012345678901"`, `"team": "orders"`} {
		if !strings.Contains(env, want) {
			t.Errorf("environments/dev.yaml has no %q:\n%s", want, env)
		}
	}
	if strings.Contains(env, "Token") || strings.Contains(env, "****") {
		t.Errorf("environments/dev.yaml holds the NoEcho parameter:\n%s", env)
	}
	goIn(t, repo, "test", "./stacks", "-run", "^TestGolden$", "-update")
	bin := filepath.Join(t.TempDir(), "infra")
	goIn(t, repo, "build", "-o", bin, ".")
	cmd := exec.Command(bin, "plan", "orders", "--env", "dev", "--param", "Token=s3cr3t-planted", "--change-set", "after-import")
	cmd.Dir = repo
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), ": no changes") {
		t.Errorf("formwork plan right after the import: %v\n%s", err, out)
	}

	// a second stack joins the same environment file, which keeps its comment
	deployOnMoto(t, "billing", strings.Replace(deployedTemplate, "orders, deployed", "billing, deployed", 1), map[string]string{"Token": "x"})
	formwork(t, "import", "stack:billing", "--env", "dev", "--into", repo).wantExit(t, exitOK)
	env = readFile(t, filepath.Join(repo, "environments", "dev.yaml"))
	if !strings.Contains(env, "# environments/dev.yaml: written by formwork import") || !strings.Contains(env, "  orders:\n") ||
		!strings.Contains(env, "  billing:\n    stackName: billing\n") {
		t.Errorf("environments/dev.yaml after a second import:\n%s", env)
	}
	formwork(t, "import", "stack:billing", "--env", "dev", "--into", repo).wantUsage(t, "has an entry for stack billing already")
	// with --region and no --env, the environment is named after the region
	other := teamRepo(t)
	formwork(t, "import", "stack:billing", "--region", "us-east-1", "--into", other).wantExit(t, exitOK)
	if env := readFile(t, filepath.Join(other, "environments", "us-east-1.yaml")); !strings.Contains(env, "region: us-east-1\nstacks:\n  billing:\n") {
		t.Errorf("environments/us-east-1.yaml:\n%s", env)
	}
	formwork(t, "import", "stack:billing", "queue.yaml", "--into", other).wantUsage(t, "imports one deployed stack")
	formwork(t, "import", "queue.yaml", "--env", "dev", "--into", other).wantUsage(t, "use them with import stack:NAME")
	formwork(t, "import", "stack:missing", "--env", "dev", "--into", t.TempDir()).wantUsage(t, "no stacks/ directory")
	formwork(t, "import", "stack:missing", "--env", "dev", "--into", repo).wantUsage(t, "stack missing does not exist in us-east-1")
	if _, err := os.Stat(filepath.Join(repo, "stacks", "missing.go")); err == nil {
		t.Error("a refused import wrote a stack")
	}
}
