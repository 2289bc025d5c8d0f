package commands

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/formwork-dev/formwork/internal/moto"
)

var jobParams = []string{
	"--param", "ApiBaseUrl=https://api.example.com/v1",
	"--param", "ApiTokenParameter=/cleanup/api-token",
	"--param", "NotificationEmail=ops@example.com",
}

// TestDeployScheduledBinaryOnMoto deploys the catalogue's scheduled-binary
// to moto as a user would: formwork deploy builds the job, uploads it to the
// bucket and prints the command with CodeBucket and CodeKey; the stack made
// with those parameters creates, and its function runs the uploaded zip. A
// second deploy uploads nothing. (CreateStack through the SDK stands in for
// the aws CLI the printed command would run.) formwork package then finds
// the zip there too.
func TestDeployScheduledBinaryOnMoto(t *testing.T) {
	srv := moto.Start(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).
		CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("team-code")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{
		Name: aws.String("/cleanup/api-token"), Value: aws.String("s3cret"), Type: ssmtypes.ParameterTypeSecureString,
	}); err != nil {
		t.Fatal(err)
	}

	args := append([]string{"deploy", "scheduled-binary", "--golden", repoGolden, "--s3-bucket", "team-code"}, jobParams...)
	r := formwork(t, args...).wantExit(t, exitOK)
	key := regexp.MustCompile(`CodeKey=(formwork/([0-9a-f]{64})\.zip)`).FindStringSubmatch(r.stdout)
	if key == nil || !strings.Contains(r.stdout, "CodeBucket=team-code") {
		t.Fatalf("deploy does not pass the packaged code:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "--s3-bucket") {
		t.Errorf("the bucket is for the code: a template under 51,200 bytes goes inline:\n%s", r.stdout)
	}
	for _, want := range []string{"build Job (go github.com/formwork-dev/formwork/stacks/jobs/cleanup)...\n", "build Job done in ", "upload Job to s3://team-code/" + key[1] + "...\n", "bytes uploaded\n"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, r.stderr)
		}
	}

	body, err := os.ReadFile(filepath.Join(repoGolden, "scheduled-binary.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	client := cfn.NewFromConfig(cfg)
	if _, err := client.CreateStack(ctx, &cfn.CreateStackInput{
		StackName: aws.String("cleanup"), TemplateBody: aws.String(string(body)),
		Parameters: overridesOf(t, r.stdout), Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
	}); err != nil {
		t.Fatal(err)
	}
	stack, err := client.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: aws.String("cleanup")})
	if err != nil {
		t.Fatal(err)
	}
	if status := stack.Stacks[0].StackStatus; status != cfntypes.StackStatusCreateComplete {
		t.Fatalf("stack is %s: %s", status, aws.ToString(stack.Stacks[0].StackStatusReason))
	}
	resources, err := client.ListStackResources(ctx, &cfn.ListStackResourcesInput{StackName: aws.String("cleanup")})
	if err != nil {
		t.Fatal(err)
	}
	var function *string
	for _, r := range resources.StackResourceSummaries {
		if aws.ToString(r.LogicalResourceId) == "Job" {
			function = r.PhysicalResourceId
		}
	}
	fn := functionOnMoto(t, srv, aws.ToString(function))
	sum, _ := hex.DecodeString(key[2])
	if got := fn.Configuration.CodeSha256; got != base64.StdEncoding.EncodeToString(sum) {
		t.Errorf("the function runs code %s, not the packaged zip %s", got, key[2])
	}
	if c := fn.Configuration; c.Handler != "bootstrap" || c.Runtime != "provided.al2023" {
		t.Errorf("function %+v", c)
	}

	again := formwork(t, args...).wantExit(t, exitOK)
	if !strings.Contains(again.stderr, "already there (same size and SHA-256), 0 bytes uploaded") || !strings.Contains(again.stdout, key[1]) {
		t.Errorf("a second deploy did not reuse the upload:\n%s", again.stderr)
	}
	pkg := formwork(t, "package", "scheduled-binary", "--s3-bucket", "team-code").wantExit(t, exitOK)
	if !strings.HasPrefix(pkg.stdout, "Job\t"+key[1]+"\t") || !strings.HasSuffix(pkg.stderr, "\n0 bytes uploaded to s3://team-code\n") {
		t.Errorf("formwork package after the deploy:\nstdout:\n%s\nstderr:\n%s", pkg.stdout, pkg.stderr)
	}

	// With --env the bucket is the environment's CodeBucket, and a key the
	// environment names does not stop the build.
	envDir := t.TempDir()
	os.WriteFile(filepath.Join(envDir, "dev.yaml"), []byte("region: us-east-1\nstacks:\n  scheduled-binary:\n    parameters:\n"+
		"      CodeBucket: team-code\n      CodeKey: old/key.zip\n      ApiBaseUrl: https://api.example.com/v1\n"+
		"      ApiTokenParameter: /cleanup/api-token\n      NotificationEmail: ops@example.com\n"), 0o644)
	env := formwork(t, "package", "scheduled-binary", "--env", "dev", "--environments", envDir).wantExit(t, exitOK)
	if !strings.HasPrefix(env.stdout, "Job\t"+key[1]+"\t") || !strings.HasSuffix(env.stderr, "\n0 bytes uploaded to s3://team-code\n") {
		t.Errorf("formwork package --env:\nstdout:\n%s\nstderr:\n%s", env.stdout, env.stderr)
	}
}

// overridesOf reads the --parameter-overrides of a printed deploy command
// (values without spaces or quotes, as here).
func overridesOf(t *testing.T, command string) []cfntypes.Parameter {
	t.Helper()
	_, rest, ok := strings.Cut(command, "--parameter-overrides ")
	if !ok {
		t.Fatalf("no overrides in\n%s", command)
	}
	line, _, _ := strings.Cut(rest, " \\\n")
	var out []cfntypes.Parameter
	for _, kv := range strings.Fields(line) {
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	return out
}

type motoFunction struct {
	Configuration struct{ CodeSha256, Handler, Runtime string }
}

// functionOnMoto reads a function from moto's Lambda API directly: the SDK
// cannot decode moto's answer (moto gives a Number parameter's value as a
// number in the environment variables).
func functionOnMoto(t *testing.T, srv *moto.Server, name string) motoFunction {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/2015-03-31/functions/"+url.PathEscape(name), nil)
	if err != nil {
		t.Fatal(err)
	}
	// moto picks the service from the credential scope
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var fn motoFunction
	if err := json.NewDecoder(resp.Body).Decode(&fn); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("function %s: %s %v", name, resp.Status, err)
	}
	return fn
}
