package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestScheduledBinaryWithSecretsManagerToken(t *testing.T) {
	body, err := templates.Stack{Name: "scheduled-binary", Build: ScheduledBinary{Token: TokenInSecretsManager, DefaultSchedule: "cron(0 3 * * ? *)"}.Build}.Render(templates.YAML, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"API_TOKEN_SECRET_ARN: !Ref ApiTokenSecretArn",
		"- secretsmanager:GetSecretValue\n                Resource:\n                  - !Ref ApiTokenSecretArn\n",
		"kms:EncryptionContext:SecretARN: !Ref ApiTokenSecretArn",
		"kms:ViaService: !Sub secretsmanager.${AWS::Region}.amazonaws.com",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("template lacks %q", want)
		}
	}
	if strings.Contains(string(body), "ssm:") {
		t.Errorf("a Secrets Manager token must not grant SSM access")
	}
}

// The token is read from exactly one resource: no statement of the job's
// role but the KMS one (scoped by encryption context) has a wildcard.
func TestScheduledBinaryTokenReadIsScopedToOneResource(t *testing.T) {
	for _, source := range []TokenSource{TokenInSSM, TokenInSecretsManager} {
		for _, s := range (ScheduledBinary{Token: source}).tokenAccess().statements() {
			for _, r := range s.Resource {
				if strings.Contains(r, "*") && s.Sid != "DecryptApiToken" {
					t.Errorf("token source %d: %s grants %v on a wildcard", source, s.Sid, s.Action)
				}
			}
			if s.Sid == "DecryptApiToken" && len(s.Condition["StringEquals"].(map[string]any)) != 2 {
				t.Errorf("token source %d: kms:Decrypt must be limited by service and encryption context", source)
			}
		}
	}
}

func TestScheduledBinaryInvalidDefaultScheduleFailsAtRender(t *testing.T) {
	err := templatestest.RenderError(rules.All(), ScheduledBinary{DefaultSchedule: "daily"}.Build)
	templatestest.WantFinding(t, err, "test: JobSchedule: Properties.ScheduleExpression: default of parameter Schedule: schedule \"daily\" is not a schedule expression")
}

func TestScheduledBinaryPackagesTheCatalogueJob(t *testing.T) {
	got := DefaultScheduledBinary().Stack().Template().Assets()
	want := templates.Asset{Name: "Job", Source: templates.GoMain(CleanupJob), BucketParameter: "CodeBucket", KeyParameter: "CodeKey"}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("assets %+v, want %+v", got, want)
	}
	dir, ok := strings.CutPrefix(CleanupJob, "github.com/formwork-dev/formwork/")
	if !ok {
		t.Fatalf("%s is not in this module", CleanupJob)
	}
	src, err := os.ReadFile(filepath.Join("..", dir, "main.go"))
	if err != nil || !strings.Contains(string(src), "\npackage main\n") {
		t.Errorf("%s is not a main package in this repository: %v", CleanupJob, err)
	}
}
