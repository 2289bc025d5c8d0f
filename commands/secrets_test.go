package commands

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
	"github.com/formwork-dev/formwork/internal/cloudfake"
	"github.com/formwork-dev/formwork/templates"
)

// secretApp has a NoEcho parameter with constraints, so that a bad secret
// makes an error and a good one travels to every output.
var secretApp = templates.Stack{Name: "secret-app", Description: "a topic named with a secret", Build: func(t *templates.Template) {
	t.Parameter("DbPassword", cloudformation.Parameter{Type: "String", NoEcho: ptr(true), MinLength: ptr(8),
		AllowedPattern: ptr(`[A-Za-z0-9-]+`), ConstraintDescription: ptr("letters, digits and dashes")})
	t.Parameter("Owner", cloudformation.Parameter{Type: "String", Default: "ops"})
	t.Resource("Topic", &sns.Topic{DisplayName: cloudformation.SubPtr("${Owner}-${DbPassword}")}, "")
}}

const (
	plantedSecret = "Planted-S3cret-4711"
	shortSecret   = "Short1" // refused by MinLength: the error must not quote it
)

// secretStack fakes a deployed secret-app whose plans it keeps, and an
// apply that completes.
func secretStack(t *testing.T) (*cloudfake.API, *[]*cfn.CreateChangeSetInput) {
	status := cfn.StackStatusUpdateComplete
	api := demoStack(&status)
	var created []*cfn.CreateChangeSetInput
	create := api.OnCreateChangeSet
	api.OnCreateChangeSet = func(in *cfn.CreateChangeSetInput) (*cfn.CreateChangeSetOutput, error) {
		created = append(created, in)
		return create(in)
	}
	api.OnGetTemplate = func(*cfn.GetTemplateInput) (*cfn.GetTemplateOutput, error) {
		return &cfn.GetTemplateOutput{TemplateBody: mustRender(t, secretApp, templates.YAML)}, nil
	}
	api.OnDeleteChangeSet = func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
		return &cfn.DeleteChangeSetOutput{}, nil
	}
	executed := false
	api.OnExecuteChangeSet = func(*cfn.ExecuteChangeSetInput) (*cfn.ExecuteChangeSetOutput, error) {
		executed = true
		return &cfn.ExecuteChangeSetOutput{}, nil
	}
	api.OnDescribeStackEvents = func(*cfn.DescribeStackEventsInput) (*cfn.DescribeStackEventsOutput, error) {
		if !executed {
			return &cfn.DescribeStackEventsOutput{}, nil
		}
		return &cfn.DescribeStackEventsOutput{StackEvents: []cfn.StackEvent{{EventId: "1", Timestamp: time.Unix(1, 0),
			LogicalResourceId: "demo", ResourceStatus: "UPDATE_COMPLETE"}}}, nil
	}
	return api, &created
}

// Every output of every command that takes parameter values is searched
// for a planted NoEcho value: text, Markdown and JSON, stdout and stderr,
// the printed and the executed command, the change set's description.
func TestPlantedSecretReachesNoOutput(t *testing.T) {
	useStacks(t, secretApp)
	golden := goldenDir(t, secretApp)
	envs := writeEnvironment(t, "", "prod", "stacks:\n  secret-app:\n    stackName: demo\n    parameters:\n      DbPassword: "+plantedSecret+"\n")
	writeEnvironment(t, envs, "bad", "stacks:\n  secret-app:\n    parameters:\n      DbPassword: "+shortSecret+"\n")
	params := filepath.Join(t.TempDir(), "params.json")
	os.WriteFile(params, []byte(`{"Parameters": {"DbPassword": "`+plantedSecret+`"}}`), 0o644)
	api, created := secretStack(t)
	fakeCloud(t, api)
	argv, stdin := filepath.Join(t.TempDir(), "argv"), filepath.Join(t.TempDir(), "stdin")
	fakeTool(t, "aws", `for a in "$@"; do printf '%s\n' "$a"; done > `+argv+"\ncat > "+stdin+"\n")

	var outputs, labels []string
	runs := [][]string{
		{"render", "secret-app"}, {"render", "secret-app", "--format", "json"},
		{"validate", "--no-cfn-lint", "--environments", envs},
		{"params", "secret-app", "--env", "prod", "--environments", envs},
		{"params", "secret-app", "--env", "bad", "--environments", envs},
		{"deploy", "secret-app", "--golden", golden, "--env", "prod", "--environments", envs},
		{"deploy", "secret-app", "--golden", golden, "--params", params},
		{"deploy", "secret-app", "--golden", golden, "--param", "DbPassword=" + plantedSecret, "--execute"},
		{"deploy", "secret-app", "--golden", golden, "--param", "DbPassword=" + shortSecret},
		{"deploy", "secret-app", "--golden", golden, "--env", "bad", "--environments", envs},
		{"plan", "secret-app", "--stack-name", "demo", "--param", "DbPassword=" + shortSecret, "--change-set", "p1"},
		{"plan", "secret-app", "--env", "bad", "--environments", envs, "--change-set", "p1"},
	}
	for _, format := range []string{"text", "markdown", "json"} {
		runs = append(runs, []string{"plan", "secret-app", "--env", "prod", "--environments", envs, "--change-set", "p1", "--format", format})
	}
	runs = append(runs,
		[]string{"plan", "--keep", "secret-app", "--env", "prod", "--environments", envs, "--change-set", "p1"},
		[]string{"apply", "secret-app", "--env", "prod", "--environments", envs, "--change-set", "p1"})
	for _, args := range runs {
		r := formwork(t, args...)
		outputs, labels = append(outputs, r.stdout+r.stderr), append(labels, "formwork "+strings.Join(args, " "))
	}
	executed, _ := os.ReadFile(argv)
	input, _ := os.ReadFile(stdin)
	if !strings.Contains(string(executed), "--parameter-overrides\nfile:///dev/stdin\n") || string(input) != `["DbPassword=`+plantedSecret+`"]`+"\n" {
		t.Errorf("deploy --execute must pass the secret to aws on its standard input:\nargv:\n%s\nstdin: %s", executed, input)
	}
	outputs, labels = append(outputs, string(executed)), append(labels, "the command line of aws") // ps shows it to every user
	if len(*created) < 4 {
		t.Fatalf("%d change sets made, want 4", len(*created))
	}
	for _, in := range *created {
		outputs, labels = append(outputs, in.Description), append(labels, "the change set's description")
		if in.Parameters[0].ParameterValue != plantedSecret {
			t.Errorf("the change set does not pass the secret: %v", in.Parameters)
		}
	}
	for i, out := range outputs {
		for _, secret := range []string{plantedSecret, shortSecret} {
			if strings.Contains(out, secret) {
				t.Errorf("the secret %q is in %s:\n%s", secret, labels[i], out)
			}
		}
	}
	for _, want := range []string{"parameter DbPassword is (a NoEcho value, not shown)", `DbPassword="$DbPassword"`} {
		if !strings.Contains(strings.Join(outputs, "\n"), want) {
			t.Errorf("no output says %q", want)
		}
	}
}

// The fingerprint in the change set's description covers the template
// alone: no parameter value, so no secret, reaches it in any form (apply
// takes the values from the change set itself).
func TestFingerprintCoversNoSecret(t *testing.T) {
	if fingerprint([]byte("body")) != fingerprint([]byte("body")) || fingerprint([]byte("body")) == fingerprint([]byte("other")) {
		t.Errorf("the fingerprint must be the template's and only the template's")
	}
}

// The example of secrets in an environment file (formwork help environments)\n// works as written:
// ${env:NAME} is read from the process environment, a dynamic reference is
// passed through, and --param wins over the file.
func TestREADMESecretsExample(t *testing.T) {
	readme, err := os.ReadFile("help/environments.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)### Secrets in environment files.*?```yaml\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("formwork help environments has no YAML example under \"### Secrets in environment files\"")
	}
	envs := writeEnvironment(t, "", "prod", string(m[1]))
	golden := "../golden"
	deploy := []string{"deploy", "access-point-monitor", "--golden", golden, "--env", "prod", "--environments", envs}
	formwork(t, deploy...).wantUsage(t, "prod.yaml:7: access-point-monitor: parameter NotificationEmail is ${env:ALERT_EMAIL}, and ALERT_EMAIL is not set: export it")
	t.Setenv("ALERT_EMAIL", "ops@example.org")
	r := formwork(t, deploy...).wantExit(t, exitOK)
	for _, want := range []string{"NotificationEmail=ops@example.org", "'MetricNamespace={{resolve:ssm:/mesh/namespace}}'"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("want %s in\n%s", want, r.stdout)
		}
	}
	r = formwork(t, append(deploy, "--param", "NotificationEmail=oncall@example.org")...).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "NotificationEmail=oncall@example.org") {
		t.Errorf("--param does not win over the environment:\n%s", r.stdout)
	}
	formwork(t, "validate", "--no-cfn-lint", "--environments", envs).wantExit(t, exitOK)
}

// A value the environment file lacks can be given on the command line, and
// then the file's constraints on it are not asked for.
func TestParamWinsOverEnvironment(t *testing.T) {
	useStacks(t, demoApp)
	golden := goldenDir(t, demoApp)
	envs := writeEnvironment(t, "", "prod", "stacks:\n  demo-app:\n    parameters:\n      Branch: release\n      Stage: staging\n")
	args := []string{"deploy", "demo-app", "--golden", golden, "--env", "prod", "--environments", envs}
	formwork(t, args...).wantUsage(t, `parameter Stage is "staging", which is not one of its allowed values`)
	r := formwork(t, append(args, "--param", "Repository=acme/site", "--param", "Stage=prod")...).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "Repository=acme/site Branch=release Stage=prod") {
		t.Errorf("want the --param values over the file's:\n%s", r.stdout)
	}
	params := filepath.Join(t.TempDir(), "params.json")
	os.WriteFile(params, []byte(`{"Parameters": {"Repository": "acme/other", "Stage": "dev"}}`), 0o644)
	r = formwork(t, append(args, "--params", params)...).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "Repository=acme/other Branch=release Stage=dev") {
		t.Errorf("want the --params values over the file's:\n%s", r.stdout)
	}
}

func TestEnvExportRefusesSecrets(t *testing.T) {
	useStacks(t, secretApp)
	for body, want := range map[string]string{
		"stacks:\n  secret-app:\n    parameters:\n      DbPassword: ${env:DB_PASSWORD}\n":    "parameter DbPassword is ${env:DB_PASSWORD}, which CodePipeline cannot read",
		"stacks:\n  secret-app:\n    parameters:\n      DbPassword: " + plantedSecret + "\n": "parameter DbPassword is NoEcho, and a template configuration file would hold its value",
	} {
		envs := writeEnvironment(t, "", "prod", body)
		out := t.TempDir()
		formwork(t, "env", "export", "prod", "--environments", envs, "--out", out).wantUsage(t, "prod.yaml:4: secret-app: "+want)
	}
	envs := writeEnvironment(t, "", "prod", "stacks:\n  secret-app:\n    parameters:\n      DbPassword: \"{{resolve:secretsmanager:prod/db}}\"\n")
	out := t.TempDir()
	formwork(t, "env", "export", "prod", "--environments", envs, "--out", out).wantExit(t, exitOK)
	if got, _ := os.ReadFile(filepath.Join(out, "secret-app.json")); !strings.Contains(string(got), `"DbPassword": "{{resolve:secretsmanager:prod/db}}"`) {
		t.Errorf("the dynamic reference is not exported as written:\n%s", got)
	}
}

// A parameters file with a syntax error is refused without quoting it.
func TestParamsSyntaxErrorQuotesNothing(t *testing.T) {
	useStacks(t, secretApp)
	params := filepath.Join(t.TempDir(), "params.json")
	os.WriteFile(params, []byte("{\"Parameters\": {\n  \"DbPassword\": Xq7secret\n}}"), 0o644)
	r := formwork(t, "deploy", "secret-app", "--golden", goldenDir(t, secretApp), "--params", params)
	r.wantUsage(t, "is not valid JSON (a syntax error on line 2)")
	if strings.Contains(r.stderr, "X") {
		t.Errorf("the error quotes the file: %s", r.stderr)
	}
}
