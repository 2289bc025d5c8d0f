package blocks

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// renderWithAssets renders build and returns the YAML and the assets.
func renderWithAssets(t *testing.T, build func(*templates.Template)) (string, []templates.Asset) {
	t.Helper()
	var tmpl *templates.Template
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		tmpl = t
		build(t)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, tmpl.Assets()
}

// Go code behind a function: the block declares the asset and the two
// parameters formwork fills; the team writes neither.
func TestGoPackageDeclaresItsAssetAndParameters(t *testing.T) {
	out, assets := renderWithAssets(t, func(t *templates.Template) {
		Function{ID: "Job", Description: "a job", Code: GoPackage("./jobs/cleanup")}.Add(t)
	})
	wantAll(t, out,
		"  JobCodeBucket:\n    Type: String\n    Description: \"S3 bucket holding Job's code: formwork package uploads it there\"\n",
		"  JobCodeKey:\n    Type: String\n",
		"      - Label:\n          default: Job code\n        Parameters:\n          - JobCodeBucket\n          - JobCodeKey\n",
		"      Architectures:\n        - arm64\n",
		"      Code:\n        S3Bucket: !Ref JobCodeBucket\n        S3Key: !Ref JobCodeKey\n      Description",
		"      Handler: bootstrap\n",
		"      Runtime: provided.al2023\n",
	)
	want := templates.Asset{Name: "Job", Source: templates.GoMain("./jobs/cleanup"), BucketParameter: "JobCodeBucket", KeyParameter: "JobCodeKey"}
	if len(assets) != 1 || assets[0] != want {
		t.Errorf("assets %+v, want %+v", assets, want)
	}
}

// In names parameters the stack declares, with its own descriptions.
func TestPackagedCodeInTheStacksParameters(t *testing.T) {
	out, assets := renderWithAssets(t, func(t *templates.Template) {
		t.Parameter("JobBucket", cloudformation.Parameter{Type: "String"})
		t.Parameter("JobKey", cloudformation.Parameter{Type: "String"})
		t.Parameter("JobVersion", cloudformation.Parameter{Type: "String", Default: ""})
		Function{ID: "Job", Description: "a job", Code: GoPackage("./jobs/cleanup").In(CodeParameters{
			Bucket: "JobBucket", Key: "JobKey", ObjectVersion: cloudformation.Ref("JobVersion")})}.Add(t)
	})
	wantAll(t, out, "      Code:\n        S3Bucket: !Ref JobBucket\n        S3Key: !Ref JobKey\n        S3ObjectVersion: !Ref JobVersion\n")
	if strings.Contains(out, "JobCodeBucket") {
		t.Errorf("the function declared its own parameters although the stack named its:\n%s", out)
	}
	if len(assets) != 1 || assets[0].BucketParameter != "JobBucket" || assets[0].KeyParameter != "JobKey" {
		t.Errorf("assets %+v, want the stack's parameters", assets)
	}
}

// A directory and a prebuilt zip are packaged the same way, on the
// runtime the function names; every function block takes them.
func TestEveryFunctionBlockTakesPackagedCode(t *testing.T) {
	_, assets := renderWithAssets(t, withAlerts(func(t *templates.Template) {
		HTTPFunction{ID: "Api", AlertTopic: "Alerts", Handler: Function{ID: "Answer", Runtime: "python3.13", Handler: "app.handler", Code: Directory("./services/answer")}}.Add(t)
		QueueConsumer{ID: "Jobs", AlertTopic: "Alerts", Consumer: Function{ID: "Worker", Runtime: "nodejs22.x", Handler: "index.handler", Code: ZipFile("dist/worker.zip")}}.Add(t)
		Function{ID: "Nightly", Code: GoPackage("./jobs/nightly")}.Add(t)
		Schedule{ID: "NightlySchedule", Expression: "rate(1 day)", AlertTopic: "Alerts", Function: "Nightly"}.Add(t)
	}))
	want := []templates.Asset{
		{Name: "Answer", Source: templates.Dir("./services/answer"), BucketParameter: "AnswerCodeBucket", KeyParameter: "AnswerCodeKey"},
		{Name: "Worker", Source: templates.Zip("dist/worker.zip"), BucketParameter: "WorkerCodeBucket", KeyParameter: "WorkerCodeKey"},
		{Name: "Nightly", Source: templates.GoMain("./jobs/nightly"), BucketParameter: "NightlyCodeBucket", KeyParameter: "NightlyCodeKey"},
	}
	if len(assets) != len(want) {
		t.Fatalf("assets %+v, want %+v", assets, want)
	}
	for i := range want {
		if assets[i] != want[i] {
			t.Errorf("asset %d: %+v, want %+v", i, assets[i], want[i])
		}
	}
}

func TestGoCodeRefusesAnotherRuntime(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		Function{ID: "Job", Runtime: "python3.13", Code: GoPackage("./jobs/cleanup")}.Add(t)
	})
	templatestest.WantFinding(t, err, "test: Job: Properties.Runtime: runtime python3.13 cannot run the bootstrap binary formwork builds from Go")
	err = templatestest.RenderError(rules.All(), func(t *templates.Template) {
		Function{ID: "Job", Handler: "main", Code: GoPackage("./jobs/cleanup")}.Add(t)
	})
	templatestest.WantFinding(t, err, "test: Job: Properties.Handler: handler \"main\": Go code is the executable bootstrap")
}

func TestFunctionWithoutCodeIsRefused(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		Function{ID: "Job", Runtime: "python3.13", Handler: "index.handler"}.Add(t)
	})
	templatestest.WantFinding(t, err, "test: Job: Properties.Code: no code: set Code to InlineCode")
}

func TestStacksParametersMustExist(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		Function{ID: "Job", Code: GoPackage("./jobs/cleanup").In(CodeParameters{Bucket: "JobBucket", Key: "JobKey"})}.Add(t)
	})
	templatestest.WantFinding(t, err, "test: asset Job: parameter \"JobBucket\" is not declared")
}
