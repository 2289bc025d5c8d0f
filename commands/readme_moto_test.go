package commands

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/moto"
)

// readmeSection returns the text of the section under heading in what a
// reader of formwork's documentation reads (the README, then the help
// topics of commands/help), up to the next heading of any level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme := readFile(t, filepath.Join(moduleRoot(t), "README.md"))
	topics, _ := filepath.Glob(filepath.Join(moduleRoot(t), "commands", "help", "*.md"))
	for _, topic := range topics {
		readme += "\n" + readFile(t, topic)
	}
	i := strings.Index(readme, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("formwork's README and help topics have no %q", heading)
	}
	rest := readme[i+len(heading)+2:]
	if j := regexp.MustCompile(`(?m)^#{2,4} `).FindStringIndex(rest); j != nil {
		rest = rest[:j[0]]
	}
	return rest
}

// readmeBlock is the first fenced block of lang in a README section.
func readmeBlock(t *testing.T, heading, lang string) string {
	t.Helper()
	m := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindStringSubmatch(readmeSection(t, heading))
	if m == nil {
		t.Fatalf("README section %q has no ```%s block", heading, lang)
	}
	return m[1]
}

// readmeCommands are the lines of a README block that start with "$ ".
func readmeCommands(block string) [][]string {
	var out [][]string
	for _, l := range strings.Split(block, "\n") {
		if cmd, ok := strings.CutPrefix(l, "$ formwork "); ok {
			out = append(out, strings.Fields(cmd))
		}
	}
	return out
}

// TestREADMEEnvironmentsPlanAndApplyOnMoto runs the README's environment
// file exactly as printed, on moto: validate passes it without a CodeKey
// (formwork fills it); the plan and apply sections' commands run as
// printed, scheduled-binary's Go code built and uploaded to the bucket the
// file names; after the apply a plan shows no change.
func TestREADMEEnvironmentsPlanAndApplyOnMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the scheduled-binary job: skipped with -short")
	}
	moto.Shared(t)
	prod := readmeBlock(t, "### Environment files", "yaml")
	if !strings.HasPrefix(prod, "# environments/prod.yaml\n") {
		t.Fatalf("the README's environment example no longer starts with its path:\n%s", prod)
	}
	envs := writeEnvironment(t, "", "prod", prod)
	t.Setenv("FORMWORK_ENVIRONMENTS", envs) // the commands below run exactly as printed
	seedREADMEAccount(t)

	r := formwork(t, "validate", "--no-cfn-lint").wantExit(t, exitOK)
	if !strings.Contains(r.stderr, "1 environment checked") {
		t.Errorf("validate did not check the environment:\n%s", r.stderr)
	}
	planned := readmeCommands(readmeBlock(t, "### `formwork plan`", ""))
	applied := readmeCommands(readmeBlock(t, "### `formwork apply`", ""))
	if len(planned) != 1 || len(applied) != 1 {
		t.Fatalf("the README's plan and apply sections show %d and %d commands, want one each", len(planned), len(applied))
	}
	plan := formwork(t, planned[0]...).wantExit(t, exitFindings)
	if !strings.Contains(plan.stdout, "access-point-monitor (prod: mesh-monitor in eu-central-1), change set formwork-") {
		t.Errorf("the plan as the README prints it:\n%s", plan.stdout)
	}
	formwork(t, append(planned[0], "--keep")...).wantExit(t, exitFindings)
	apply := formwork(t, applied[0]...).wantExit(t, exitOK)
	if !strings.Contains(apply.stdout, "mesh-monitor: CREATE_COMPLETE in ") {
		t.Errorf("apply as the README prints it:\n%s", apply.stdout)
	}
	printed := strings.SplitN(readmeBlock(t, "### `formwork apply`", ""), "\n", 3)[1]
	if got := strings.SplitN(apply.stderr, "\n", 2)[0]; normalizeRun(got) != normalizeRun(printed) {
		t.Errorf("apply's first line\n%s\nis not the README's\n%s", got, printed)
	}
	formwork(t, planned[0]...).wantExit(t, exitOK)

	// scheduled-binary: the file names the bucket only; formwork builds,
	// uploads and passes CodeKey.
	p := formwork(t, "plan", "scheduled-binary", "--env", "prod", "--keep", "--change-set", "first").wantExit(t, exitFindings)
	key := regexp.MustCompile(`upload Job to s3://acme-artifacts/(formwork/[0-9a-f]{64}\.zip)`).FindStringSubmatch(p.stderr)
	if key == nil {
		t.Fatalf("plan did not upload the job to the environment's bucket:\n%s", p.stderr)
	}
	if !strings.Contains(p.stdout, "+ CodeKey = \""+key[1]+"\"") {
		t.Errorf("the plan does not pass the uploaded key:\n%s", p.stdout)
	}
	formwork(t, "apply", "scheduled-binary", "--env", "prod", "--change-set", "first").wantExit(t, exitOK)
	st := stackOnMotoIn(t, "scheduled-binary-prod", "eu-west-1")
	if st == nil || st.Parameters["CodeKey"] != key[1] || st.Parameters["CodeBucket"] != "acme-artifacts" {
		t.Fatalf("the stack did not get the packaged code: %+v", st)
	}
	again := formwork(t, "plan", "scheduled-binary", "--env", "prod").wantExit(t, exitOK)
	if !strings.Contains(again.stderr, ", 0 bytes uploaded") {
		t.Errorf("a second plan uploads again:\n%s", again.stderr)
	}
	// a key in the file wins: it pins a build, and nothing is built
	writeEnvironment(t, envs, "prod", strings.Replace(prod, "      CodeBucket: acme-artifacts", "      CodeBucket: acme-artifacts\n      CodeKey: "+key[1], 1))
	pinned := formwork(t, "plan", "scheduled-binary", "--env", "prod").wantExit(t, exitOK)
	if strings.Contains(pinned.stderr, "build Job") {
		t.Errorf("a pinned key must not build:\n%s", pinned.stderr)
	}
}

// seedREADMEAccount makes what the README's environment assumes exists:
// the code bucket in eu-west-1 and the token's SSM parameter.
func seedREADMEAccount(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String("acme-artifacts"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{
		Name: aws.String("/scheduled-binary/api-token"), Value: aws.String("not-a-secret"), Type: ssmtypes.ParameterTypeSecureString,
	}); err != nil {
		t.Fatal(err)
	}
}

func stackOnMotoIn(t *testing.T, name, region string) *cloud.Stack {
	t.Helper()
	t.Setenv("AWS_REGION", region)
	return stackOnMoto(t, name)
}

// normalizeRun replaces what differs between runs, commits and
// fingerprints, and the tag count: moto's DescribeChangeSet returns no tags.
func normalizeRun(line string) string {
	line = regexp.MustCompile(`\d+ tags?\b`).ReplaceAllString(line, "N tags")
	line = regexp.MustCompile(`sha256:[0-9a-f]+`).ReplaceAllString(line, "sha256:X")
	return regexp.MustCompile(`\b[0-9a-f]{7,12}\b`).ReplaceAllString(line, "COMMIT")
}
