package commands

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/formwork-dev/formwork/internal/moto"
)

// scheduledBinaryEnv is an environment deploying the catalogue's
// scheduled-binary, whose Lambda code formwork packages; extra is added to
// its parameters.
func scheduledBinaryEnv(t *testing.T, extra string) string {
	return writeEnvironment(t, "", "prod", "region: eu-central-1\nstacks:\n  scheduled-binary:\n    parameters:\n"+
		"      ApiBaseUrl: https://api.example.com/v1\n      ApiTokenParameter: /cleanup/api-token\n"+
		"      NotificationEmail: ops@example.com\n"+extra)
}

// CodePipeline runs no formwork: an exported configuration of a stack with
// packaged code must name the code's key. Without --package, export refuses
// a key the environment does not pin, and writes nothing; a pinned key is
// written as it is; the bucket is the environment's to name.
func TestEnvExportNeedsTheCodeKey(t *testing.T) {
	out := filepath.Join(t.TempDir(), "deploy")
	envs := scheduledBinaryEnv(t, "      CodeBucket: team-code\n")
	formwork(t, "env", "export", "prod", "--environments", envs, "--out", out).
		wantUsage(t, "prod.yaml: scheduled-binary: the code's key (CodeKey) is formwork's to fill: pass --package to build and upload the code (AWS credentials needed) and write its key, or pin a key under parameters")
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused export wrote %s", out)
	}

	pinned := scheduledBinaryEnv(t, "      CodeBucket: team-code\n      CodeKey: builds/job-1.zip\n")
	formwork(t, "env", "export", "prod", "--environments", pinned, "--out", out).wantExit(t, exitOK)
	if got := exportedParameters(t, out)["CodeKey"]; got != "builds/job-1.zip" {
		t.Errorf("pinned CodeKey exported as %q", got)
	}

	noBucket := scheduledBinaryEnv(t, "")
	r := formwork(t, "env", "export", "prod", "--environments", noBucket, "--out", t.TempDir(), "--package").wantExit(t, exitUsage)
	if !strings.Contains(r.stderr, "scheduled-binary: needs a value for CodeBucket (no default)") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

// env export --package builds the job, uploads it to the environment's
// bucket on moto and writes its key; the object is there under that key.
func TestEnvExportPackagesTheCodeOnMoto(t *testing.T) {
	moto.Start(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	store := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := store.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("team-code")}); err != nil {
		t.Fatal(err)
	}
	envs := scheduledBinaryEnv(t, "      CodeBucket: team-code\n")
	out := filepath.Join(t.TempDir(), "deploy")
	r := formwork(t, "env", "export", "prod", "--environments", envs, "--out", out, "--package").wantExit(t, exitOK)
	params := exportedParameters(t, out)
	key := params["CodeKey"]
	if !regexp.MustCompile(`^formwork/[0-9a-f]{64}\.zip$`).MatchString(key) || params["CodeBucket"] != "team-code" {
		t.Fatalf("exported parameters %v\nstderr:\n%s", params, r.stderr)
	}
	if _, err := store.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("team-code"), Key: aws.String(key)}); err != nil {
		t.Errorf("the exported key is not in the bucket: %v", err)
	}
}

func exportedParameters(t *testing.T, out string) map[string]string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(out, "scheduled-binary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Parameters map[string]string }
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Parameters
}
