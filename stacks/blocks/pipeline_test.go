package blocks

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// samplePipeline is source -> build -> deploy, with stages replaced by edit.
func samplePipeline(t *testing.T, edit func(stages []Stage) []Stage) (string, error) {
	return templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		repo := GitHubRepoParameters(tmpl)
		PrivateBucket{ID: "Artifacts", ExpireAfterDays: 30, Retention: Transient}.Add(tmpl)
		PrivateBucket{ID: "Site", Retention: Transient}.Add(tmpl)
		sampleProject(FromPipeline("Artifacts"), "make").Add(tmpl)
		Pipeline{ID: "Pipeline", ArtifactBucket: "Artifacts", Stages: edit([]Stage{
			{Name: "Source", Actions: []Action{SourceAction("Source", repo, "Code")}},
			{Name: "Build", Actions: []Action{BuildAction("Build", "Build", "Code", "Site")}},
			{Name: "Deploy", Actions: []Action{S3DeployAction("Publish", "Site", "Site")}},
		})}.Add(tmpl)
		PipelineOutputs(tmpl, "Pipeline")
	})
}

func TestPipelineRendersV2WithPushTrigger(t *testing.T) {
	out, err := samplePipeline(t, func(s []Stage) []Stage { return s })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"PipelineType: V2",
		"Triggers:\n        - GitConfiguration:\n            Push:\n              - Branches:\n                  Includes:\n                    - !Ref BranchName\n            SourceActionName: Source",
		"- Name: Source\n          Actions:\n            - Name: Source\n",
		"codebuild:StartBuild", "!Sub ${Site.Arn}/*",
		"/codesuite/codepipeline/pipelines/${Pipeline}/view",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestPipelineRejectsEmptyStage(t *testing.T) {
	_, err := samplePipeline(t, func(s []Stage) []Stage {
		return append(s[:2], Stage{Name: "Later"}, s[2])
	})
	want := `test-stack: Pipeline: Properties.Stages[2].Actions: stage "Later" has no actions`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want %q, got %v", want, err)
	}
}

func TestPipelineRejectsInputNoEarlierActionProduces(t *testing.T) {
	_, err := samplePipeline(t, func(s []Stage) []Stage {
		s[2].Actions = []Action{S3DeployAction("Publish", "Site", "Website")}
		return s
	})
	want := `test-stack: Pipeline: Properties.Stages[2].Actions[0].InputArtifacts[0].Name: action "Publish" reads artifact "Website", which no earlier action produces (produced so far: Code, Site)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want %q, got %v", want, err)
	}
}

func TestPipelineRejectsInputProducedLater(t *testing.T) {
	_, err := samplePipeline(t, func(s []Stage) []Stage {
		return []Stage{s[0], s[2], s[1]} // deploy before build
	})
	if err == nil || !strings.Contains(err.Error(), `Properties.Stages[1].Actions[0].InputArtifacts[0].Name: action "Publish" reads artifact "Site"`) {
		t.Fatalf("a stage reading what a later stage makes must fail, got %v", err)
	}
}

func TestChangeSetActionsInRunOrder(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		repo := GitHubRepoParameters(tmpl)
		PrivateBucket{ID: "Artifacts", Retention: Transient}.Add(tmpl)
		tmpl.Resource("DeployRole", ServiceRole("cloudformation.amazonaws.com", "deploy", Policy(Allow([]string{"sns:CreateTopic"}, cloudformation.Sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}-*")))), "")
		deploy := StackDeploy{StackName: "${AWS::StackName}-app", Template: "Code::app.yaml", Inputs: []string{"Code"}, RoleID: "DeployRole", Approval: true}
		Pipeline{ID: "Pipeline", ArtifactBucket: "Artifacts", Stages: []Stage{
			{Name: "Source", Actions: []Action{SourceAction("Source", repo, "Code")}},
			{Name: "App", Actions: ChangeSetActions(deploy)},
		}}.Add(tmpl)
	})
	if err != nil {
		t.Fatal(err)
	}
	create := strings.Index(out, "- Name: CreateChangeSet")
	review := strings.Index(out, "- Name: ReviewChangeSet")
	execute := strings.Index(out, "- Name: ExecuteChangeSet")
	if create < 0 || review < create || execute < review {
		t.Fatalf("want create, review, execute in that order:\n%s", out)
	}
	for _, want := range []string{"ActionMode: CHANGE_SET_REPLACE", "ActionMode: CHANGE_SET_EXECUTE", "RunOrder: 3", "iam:PassedToService: cloudformation.amazonaws.com", "stack/${AWS::StackName}-app/*"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestChangeSetTemplateMustComeFromAnInput(t *testing.T) {
	_, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		repo := GitHubRepoParameters(tmpl)
		PrivateBucket{ID: "Artifacts", Retention: Transient}.Add(tmpl)
		tmpl.Resource("DeployRole", ServiceRole("cloudformation.amazonaws.com", "deploy", Policy(Allow([]string{"sns:CreateTopic"}, cloudformation.Sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}-*")))), "")
		deploy := StackDeploy{StackName: "app", Template: "Rendered::app.yaml", Inputs: []string{"Code"}, RoleID: "DeployRole"}
		Pipeline{ID: "Pipeline", ArtifactBucket: "Artifacts", Stages: []Stage{
			{Name: "Source", Actions: []Action{SourceAction("Source", repo, "Code")}},
			{Name: "App", Actions: ChangeSetActions(deploy)},
		}}.Add(tmpl)
	})
	want := `test-stack: Pipeline: Properties.Stages[1].Actions[0].Configuration.TemplatePath: TemplatePath reads artifact "Rendered"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want %q, got %v", want, err)
	}
}

func TestPipelineRejectsRepeatedNames(t *testing.T) {
	_, err := samplePipeline(t, func(s []Stage) []Stage {
		s[2].Name = "Build"
		s[2].Actions = append(s[2].Actions, S3DeployAction("Publish", "Site", "Site"))
		return s
	})
	for _, want := range []string{
		`test-stack: Pipeline: Properties.Stages[2].Name: stage name "Build" is used twice`,
		`test-stack: Pipeline: Properties.Stages[2].Actions[1].Name: action name "Publish" is used twice in this stage`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}
