package commands

import (
	"context"
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

// webhooksStack is a team's stack with Go code behind a queue consumer and
// a scheduled function, both in one code bucket. (The queue consumer's
// code is wired by hand, t.Asset and FromS3, until QueueConsumer takes Go
// code itself.)
const webhooksStack = `package stacks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// Webhooks is the webhooks stack.
func Webhooks() templates.Stack {
	return templates.Stack{
		Name:        "webhooks",
		Description: "Delivers webhooks from a queue and retries the failed ones nightly",
		Build: func(t *templates.Template) {
			code := func(name, description string) {
				t.Parameter(name, cloudformation.Parameter{Type: "String", Description: cloudformation.String(description), MinLength: cloudformation.Int(1)})
			}
			code("CodeBucket", "Bucket holding the functions' zips")
			code("DeliverCodeKey", "Key of Deliver's zip in CodeBucket: formwork fills it")
			code("RetryCodeKey", "Key of Retry's zip in CodeBucket: formwork fills it")
			t.Parameter("NotificationEmail", blocks.EmailParameter("Who hears about failed deliveries."))
			blocks.Topic{ID: "Alerts", DisplayName: "Webhooks", EmailParameter: "NotificationEmail"}.Add(t)
			blocks.QueueConsumer{
				ID:      "Deliveries",
				Comment: "webhooks waiting to be delivered",
				Consumer: blocks.Function{
					ID: "Deliver", Description: "Delivers a batch of webhooks", Timeout: 30,
					Code: blocks.GoPackage("./cmd/deliver").In(blocks.CodeParameters{Bucket: "CodeBucket", Key: "DeliverCodeKey"}),
				},
				AlertTopic: "Alerts",
			}.Add(t)
			blocks.Function{
				ID: "Retry", Description: "Retries the failed deliveries", Timeout: 60,
				Code: blocks.GoPackage("./cmd/retry").In(blocks.CodeParameters{Bucket: "CodeBucket", Key: "RetryCodeKey"}),
			}.Add(t)
			blocks.Schedule{ID: "Nightly", Expression: "cron(0 3 * * ? *)", Description: "Starts Retry", Function: "Retry", AlertTopic: "Alerts"}.Add(t)
		},
	}
}
`

// webhooksEntry is the webhooks stack's entry in environments/dev.yaml,
// after the new README's: only the code bucket, no keys.
const webhooksEntry = `  webhooks:
    parameters:
      CodeBucket: acme-code
      NotificationEmail: ops@example.org
`

// TestEverydayDeployPathOnMoto goes from formwork init to a deployed stack
// with Go code, as a team does, on moto: validate, plan --env --keep, apply
// --env --change-set NAME with no parameters, diff --base stack: showing no
// change, then a change and its plan. It does it twice, from the
// repository's root and from stacks/, and the two runs print the same.
func TestEverydayDeployPathOnMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a new repository and its Go code: skipped with -short")
	}
	needTool(t, "go")
	needTool(t, "git")
	srv := moto.Shared(t)
	dir := filepath.Join(t.TempDir(), "webhooks")
	formwork(t, "init", dir, "--module", "github.com/acme/webhooks").wantExit(t, exitOK)
	readme := readFile(t, filepath.Join(dir, "README.md"))
	env := regexp.MustCompile("(?s)### Through a reviewed plan.*?```yaml\n(# environments/dev.yaml\n.*?)```").FindStringSubmatch(readme)
	if env == nil {
		t.Fatal("the new README shows no environments/dev.yaml under \"### Through a reviewed plan\"")
	}
	for path, body := range map[string]string{
		"stacks/webhooks.go":    webhooksStack,
		"cmd/deliver/main.go":   "package main\n\nfunc main() { println(\"deliver\") }\n",
		"cmd/retry/main.go":     "package main\n\nfunc main() { println(\"retry\") }\n",
		"environments/dev.yaml": env[1] + webhooksEntry,
	} {
		writeIn(t, dir, path, body)
	}
	list := readFile(t, filepath.Join(dir, "stacks", "stacks.go"))
	writeIn(t, dir, "stacks/stacks.go", strings.Replace(list, "\t\tHelloSchedule(),\n", "\t\tHelloSchedule(),\n\t\tWebhooks(),\n", 1))
	mustRun(t, dir, "make", "golden")
	mustRun(t, dir, "git", "add", "-A")
	mustRun(t, dir, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "webhooks")

	var runs [2][]string
	for i, from := range []string{dir, filepath.Join(dir, "stacks")} {
		if i > 0 {
			srv.Reset(t)
		}
		runs[i] = everydayRun(t, dir, from)
	}
	for i := range runs[0] {
		if runs[0][i] != runs[1][i] {
			t.Errorf("step %d from stacks/ differs from the run at the root:\n%s\n--- from stacks/:\n%s", i, runs[0][i], runs[1][i])
		}
	}
}

// everydayRun runs the everyday commands from the directory from and
// returns what each printed, with times and durations blanked.
func everydayRun(t *testing.T, repo, from string) []string {
	t.Helper()
	createBucket(t, "acme-code")
	bin := filepath.Join(repo, "bin", "webhooks")
	mustRun(t, repo, "make", "build")
	var printed []string
	step := func(want int, args ...string) string {
		t.Helper()
		out, code := inDir(t, from, bin, args...)
		if code != want {
			t.Fatalf("%v from %s: exit %d, want %d:\n%s", args, from, code, want, out)
		}
		printed = append(printed, blankTimes(out))
		return out
	}
	// the new README's plan and apply, as printed (bin/ found from anywhere)
	section := regexp.MustCompile("(?s)then, from any directory of the repository:\n\n(.*?)\n\n").FindStringSubmatch(readFile(t, filepath.Join(repo, "README.md")))
	if section == nil {
		t.Fatal("the new README has no plan and apply commands")
	}
	for _, line := range strings.Split(section[1], "\n") {
		command, _, _ := strings.Cut(line, "# ")
		args := strings.Fields(command)
		if args[0] != "bin/webhooks" {
			t.Fatalf("the new README's command %q does not run bin/webhooks", line)
		}
		want := map[string]int{"plan": exitFindings}[args[1]]
		if out := step(want, args[1:]...); args[1] == "diff" && !strings.Contains(out, "no changes") {
			t.Errorf("the README's diff after its apply:\n%s", out)
		}
	}
	plan := step(exitFindings, "plan", "webhooks", "--env", "dev", "--keep")
	name := regexp.MustCompile(`change set (formwork-[0-9a-f]+):`).FindStringSubmatch(plan)
	if name == nil {
		t.Fatalf("plan names no change set:\n%s", plan)
	}
	for _, want := range []string{"upload Deliver to s3://acme-code/formwork/", "upload Retry to s3://acme-code/formwork/",
		"+ DeliverCodeKey = \"formwork/", "+ RetryCodeKey = \"formwork/", "Kept for review: formwork apply webhooks --env dev --change-set " + name[1]} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan lacks %q:\n%s", want, plan)
		}
	}
	apply := step(exitOK, "apply", "webhooks", "--env", "dev", "--change-set", name[1])
	if !strings.Contains(apply, "executing change set "+name[1]+" (formwork plan of webhooks at ") || !strings.Contains(apply, "webhooks-dev: CREATE_COMPLETE in ") {
		t.Errorf("apply:\n%s", apply)
	}
	if diff := step(exitOK, "diff", "--base", "stack:", "--env", "dev", "webhooks", "--exit-code"); !strings.Contains(diff, "no changes") {
		t.Errorf("diff against the deployed stack after the apply:\n%s", diff)
	}
	step(exitOK, "plan", "webhooks", "--env", "dev")

	// a change: the nightly job runs at four
	writeIn(t, repo, "stacks/webhooks.go", strings.Replace(webhooksStack, "cron(0 3 * * ? *)", "cron(0 4 * * ? *)", 1))
	defer writeIn(t, repo, "stacks/webhooks.go", webhooksStack)
	mustRun(t, repo, "make", "build")
	changed := step(exitFindings, "plan", "webhooks", "--env", "dev")
	if !strings.Contains(changed, "~ NightlyRule") && !strings.Contains(changed, "~ Nightly ") {
		t.Errorf("the plan of the change does not modify the schedule:\n%s", changed)
	}
	step(exitFindings, "diff", "--base", "stack:", "--env", "dev", "webhooks", "--exit-code")
	return printed
}

var (
	clockRE    = regexp.MustCompile(`\b\d\d:\d\d:\d\d\b`)
	durationRE = regexp.MustCompile(`\b(in|after) [0-9.]+(ms|s|µs|m[0-9.]+s)\b`)
)

func blankTimes(s string) string {
	return durationRE.ReplaceAllString(clockRE.ReplaceAllString(s, "hh:mm:ss"), "$1 T")
}

func writeIn(t *testing.T, dir, path, body string) {
	t.Helper()
	p := filepath.Join(dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustRun(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	if out, code := inDir(t, dir, name, args...); code != 0 {
		t.Fatalf("%s %v: exit %d\n%s", name, args, code, out)
	}
}

func createBucket(t *testing.T, name string) {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).
		CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}
