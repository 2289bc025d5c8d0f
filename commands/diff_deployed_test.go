package commands

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
	"github.com/formwork-dev/formwork/internal/cloudfake"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestDiffAgainstTheDeployedStack(t *testing.T) {
	useStacks(t, demoApp)
	deployed := strings.Replace(string(must(demoApp.Render(templates.YAML, rules.All()))), "Type: AWS::SNS::Topic", "Type: AWS::SNS::Topic\n    DeletionPolicy: Retain", 1)
	var asked string
	api := &cloudfake.API{OnGetTemplate: func(in *cfn.GetTemplateInput) (*cfn.GetTemplateOutput, error) {
		asked = in.StackName
		if asked != "demo-prod" {
			return nil, cloudfake.NotFound("Stack with id " + asked)
		}
		return &cfn.GetTemplateOutput{TemplateBody: deployed}, nil
	}}
	fakeCloud(t, api)
	r := formwork(t, "diff", "--base", "stack:demo-prod", "demo-app", "--exit-code").wantExit(t, exitFindings)
	if !strings.Contains(r.stdout, "DeletionPolicy") {
		t.Errorf("the deployed template's difference is not reported:\n%s", r.stdout)
	}
	envs := writeEnvironment(t, "", "prod", demoProd)
	formwork(t, "diff", "--base", "stack:", "--env", "prod", "--environments", envs, "demo-app").wantExit(t, exitOK)
	if asked != "demo-prod" {
		t.Errorf("--env should name the stack demo-prod, asked for %s", asked)
	}
	formwork(t, "diff", "--base", "stack:demo", "demo-app").wantUsage(t, "stack demo does not exist in eu-central-1: check the name and region")
	formwork(t, "diff", "--base", "stack:").wantUsage(t, "--base stack: needs a name")
	formwork(t, "diff", "--base", "stack:demo-prod", "demo-app", "named-role").wantUsage(t, "compares one stack")
	formwork(t, "diff", "--base", "stack:demo-prod").wantUsage(t, "no formwork stack is called demo-prod: name the one to compare, formwork diff --base stack:demo-prod STACK")
}
