package blocks

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestDeclareGoFunctionWiresTheAssetToTheCode(t *testing.T) {
	var tmpl *templates.Template
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		tmpl = t
		t.Parameter("JobBucket", cloudformation.Parameter{Type: "String"})
		t.Parameter("JobKey", cloudformation.Parameter{Type: "String"})
		DeclareGoFunction(t, Function{ID: "Job", Description: "a job", Runtime: "python3.13", Handler: "ignored"},
			GoCode{Package: "./jobs/cleanup", BucketParameter: "JobBucket", KeyParameter: "JobKey"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"      Architectures:\n        - arm64\n",
		"      Code:\n        S3Bucket: !Ref JobBucket\n        S3Key: !Ref JobKey\n      Description",
		"      Handler: bootstrap\n",
		"      Runtime: provided.al2023\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("template lacks\n%s\nin\n%s", want, out)
		}
	}
	want := templates.Asset{Name: "Job", Source: templates.GoMain("./jobs/cleanup"), BucketParameter: "JobBucket", KeyParameter: "JobKey"}
	if got := tmpl.Assets(); len(got) != 1 || got[0] != want {
		t.Errorf("assets %+v, want %+v", got, want)
	}
}

func TestDeclareGoFunctionNeedsItsParameters(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		DeclareGoFunction(t, Function{ID: "Job", Description: "a job"}, GoCode{Package: "./jobs/cleanup", BucketParameter: "JobBucket", KeyParameter: "JobKey"})
	})
	templatestest.WantFinding(t, err, "test: asset Job: parameter \"JobBucket\" is not declared")
}
