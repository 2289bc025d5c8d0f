package stacks

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func renderTemplatesPipeline(t *testing.T, o TemplatesPipeline) (string, error) {
	t.Helper()
	return templatestest.Render(t, rules.All(), o.build)
}

func TestTemplatesPipelineDeploysEachListedStack(t *testing.T) {
	out, err := renderTemplatesPipeline(t, TemplatesPipeline{
		Stacks: []templates.Stack{DefaultServiceDiscovery().Stack(), ServerlessAppPipeline{}.Stack()}, ManualApproval: true, ConfigurationDir: "deploy/",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{"service-discovery", "serverless-app-pipeline"} {
		if n := strings.Count(out, "- Name: "+stage+"\n"); n != 1 {
			t.Errorf("want one stage for %s, got %d", stage, n)
		}
	}
	for _, want := range []string{
		"- make test", "./bin/formwork render --out out/", "base-directory: out",
		"TemplatePath: Rendered::serverless-app-pipeline.yaml",
		"TemplateConfiguration: Source::deploy/serverless-app-pipeline.json",
		"- Name: ReviewChangeSet",
		"role/${StackNamePrefix}-serverless-app-pipeline-*", "codepipeline:CreatePipeline", "route53:ChangeResourceRecordSets",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "lambda:CreateFunction") {
		t.Errorf("the deploy role must only get the types the listed stacks use:\n%s", out)
	}
}

func TestTemplatesPipelineWithoutApprovalOrConfiguration(t *testing.T) {
	out, err := renderTemplatesPipeline(t, TemplatesPipeline{Stacks: []templates.Stack{ServerlessAppPipeline{}.Stack()}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "ReviewChangeSet") || strings.Contains(out, "TemplateConfiguration") {
		t.Errorf("no approval and no configuration asked for:\n%s", out)
	}
	if !strings.Contains(out, "- Name: ExecuteChangeSet\n              ActionTypeId:\n                Category: Deploy\n                Owner: AWS\n                Provider: CloudFormation\n                Version: \"1\"\n              RunOrder: 2") {
		t.Errorf("execute must directly follow create:\n%s", out)
	}
}

func TestTemplatesPipelineRefusesToDeployItself(t *testing.T) {
	self := DefaultTemplatesPipeline().Stack()
	_, err := renderTemplatesPipeline(t, TemplatesPipeline{Stacks: []templates.Stack{self}})
	want := "test-stack: StackDeployRole: TemplatesPipeline.Stacks: templates-pipeline cannot deploy itself"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("want %q, got %v", want, err)
	}
}

func TestDeployRightsRejectUnknownType(t *testing.T) {
	_, err := deployRightsFor("AWS::Kinesis::Stream", "${StackNamePrefix}-x", "boundary")
	if err == nil || !strings.Contains(err.Error(), "add its exact actions to deployRights") {
		t.Fatalf("want an error naming what to add, got %v", err)
	}
}

// Every stack of the catalogue but templates-pipeline itself can be deployed
// by it: its resource types all have rights.
func TestDeployRightsCoverTheCatalogue(t *testing.T) {
	for _, s := range Catalogue() {
		if s.Name == "templates-pipeline" {
			continue
		}
		_, types, err := stackResourceTypes(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, typ := range types {
			if _, err := deployRightsFor(typ, "${StackNamePrefix}-"+s.Name, "boundary"); err != nil && !strings.Contains(typ, "CloudFront") && !strings.Contains(typ, "CertificateManager") {
				t.Errorf("%s: %v", s.Name, err)
			}
		}
	}
}

// A pipeline whose stacks declare no role needs no boundary, and one with
// no stack is refused.
func TestTemplatesPipelineBoundaryOnlyForRoles(t *testing.T) {
	out, err := renderTemplatesPipeline(t, TemplatesPipeline{Stacks: []templates.Stack{DefaultServiceDiscovery().Stack()}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "DeployedRoleBoundary") || strings.Contains(out, "iam:CreateRole") {
		t.Errorf("service-discovery declares no role, yet the pipeline has a boundary or may create roles:\n%s", out)
	}
	_, err = renderTemplatesPipeline(t, TemplatesPipeline{})
	if err == nil || !strings.Contains(err.Error(), "TemplatesPipeline.Stacks is empty") {
		t.Errorf("want a refusal of an empty Stacks, got %v", err)
	}
}
