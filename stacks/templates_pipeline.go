package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/stacks/blocks"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
)

// templates-pipeline deploys formwork's own output: a push to the branch
// runs `make test`, renders every stack into out/, and then, for each stack
// in TemplatesPipeline.Stacks, creates a change set, waits for a person to
// approve it (ManualApproval) and executes it.
//
// The trade-off of StackDeployRole, the role CloudFormation assumes to
// change the deployed stacks' resources: a deploy role must be able to
// create whatever the stacks declare, including IAM roles with any policy,
// so whoever can merge to the branch can in effect act with those rights.
// formwork narrows it as far as it can without knowing resource names in
// advance: the role gets only the services whose resource types the listed
// stacks declare (read from their templates when this one is generated, so
// adding a resource type to a stack shows up here in the golden diff), IAM
// roles and S3 buckets only under the StackNamePrefix, every other service
// only in this account and region. It cannot limit what the created roles
// may do; the manual approval of each change set, where a person reads the
// IAM changes, is the control for that. Turn ManualApproval off only for
// stacks whose changes you are prepared to trust to review of the pull
// request alone.

// TemplatesPipeline shapes the templates-pipeline stack.
type TemplatesPipeline struct {
	// Stacks are the stacks to deploy, one stage each, in this order. Each
	// is deployed as StackNamePrefix-NAME from the rendered NAME.yaml.
	Stacks []templates.Stack
	// ManualApproval puts a manual approval between creating and executing
	// each change set.
	ManualApproval bool
	// ConfigurationDir is the repository directory holding NAME.json, the
	// CloudFormation template configuration (parameter values, tags) of
	// each deployed stack; "" deploys with the templates' defaults.
	ConfigurationDir string
	// WithoutAccessLogs drops the log bucket that receives the artifact
	// bucket's S3 server access logs. Logging is on by default.
	WithoutAccessLogs bool
}

// DefaultTemplatesPipeline is the templates-pipeline stack of the catalogue:
// it deploys three of the catalogue's stacks, each change set approved.
func DefaultTemplatesPipeline() TemplatesPipeline {
	return TemplatesPipeline{
		Stacks:           []templates.Stack{AccessPointMonitor{}.Stack(), DefaultServiceDiscovery().Stack(), DefaultServerlessAppPipeline().Stack()},
		ManualApproval:   true,
		ConfigurationDir: "deploy",
	}
}

// Stack is the templates-pipeline stack with these options.
func (o TemplatesPipeline) Stack() templates.Stack {
	return templates.Stack{
		Name:        "templates-pipeline",
		Description: "Pipeline that deploys formwork's stacks: GitHub source, CodeBuild tests and renders the templates, one CloudFormation change set per stack",
		Build:       o.build,
	}
}

func (o TemplatesPipeline) build(t *templates.Template) {
	repo := blocks.GitHubRepoParameters(t)
	t.Parameter("StackNamePrefix", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("Each deployed stack is named PREFIX-NAME; its IAM roles and S3 buckets get names starting with PREFIX-"),
		Default:               "formwork",
		AllowedPattern:        cloudformation.String(`[a-z][a-z0-9-]{0,39}`),
		ConstraintDescription: cloudformation.String("lower-case letters, digits and dashes, starting with a letter, at most 40"),
	})
	t.ParameterGroup("Deployment", "StackNamePrefix")

	logs := addAccessLogs(t, o.WithoutAccessLogs, false)
	artifactBucket := blocks.ArtifactBucket("ArtifactBucket")
	artifactBucket.AccessLogs = logs
	artifactBucket.Add(t)
	artifacts := artifactBucket.ID
	blocks.BuildProject{
		ID:             "RenderTemplates",
		Comment:        "Runs make test and renders every stack into out/, the artifact the deploy stages read",
		Description:    "make test, then formwork render --out out/",
		Source:         blocks.FromPipeline(artifacts),
		Buildspec:      renderTemplatesBuildspec,
		TimeoutMinutes: 20,
	}.Add(t)
	o.deployRole(t)

	stages := []blocks.Stage{
		{Name: "Source", Actions: []blocks.Action{blocks.SourceAction("Source", repo, "Source")}},
		{Name: "RenderTemplates", Actions: []blocks.Action{blocks.BuildAction("RenderTemplates", "RenderTemplates", "Source", "Rendered")}},
	}
	for _, s := range o.Stacks {
		stages = append(stages, blocks.Stage{Name: s.Name, Actions: blocks.ChangeSetActions(o.stackDeploy(s.Name))})
	}
	blocks.Pipeline{
		ID:             "Pipeline",
		Comment:        "Source, then RenderTemplates, then one change set per stack, on every push to the branch",
		ArtifactBucket: artifacts,
		Stages:         stages,
	}.Add(t)
	blocks.PipelineOutputs(t, "Pipeline")
}

func (o TemplatesPipeline) stackDeploy(name string) blocks.StackDeploy {
	d := blocks.StackDeploy{
		StackName: "${StackNamePrefix}-" + name,
		Template:  "Rendered::" + golden.File(name),
		Inputs:    []string{"Rendered"},
		RoleID:    "StackDeployRole",
		Approval:  o.ManualApproval,
	}
	if o.ConfigurationDir != "" {
		d.Configuration = "Source::" + strings.TrimSuffix(o.ConfigurationDir, "/") + "/" + name + ".json"
		d.Inputs = append(d.Inputs, "Source")
	}
	return d
}

// renderTemplatesBuildspec tests formwork and renders the templates. The
// go directive in go.mod picks the toolchain (GOTOOLCHAIN=auto); cfn-lint
// is installed because make test lints golden/ with it.
var renderTemplatesBuildspec = blocks.Buildspec{
	Env: &blocks.BuildEnv{Variables: map[string]string{"GOTOOLCHAIN": "auto"}},
	Phases: blocks.BuildPhases{
		Install: blocks.Commands("pip3 install --quiet cfn-lint"),
		Build:   blocks.Commands("make test", "make build", "./bin/formwork render --out out/"),
	},
	Artifacts: &blocks.BuildArtifacts{Files: []string{"*.yaml"}, BaseDirectory: "out"},
}

// deployRole declares StackDeployRole with the rights the listed stacks'
// resource types need (see the trade-off above).
func (o TemplatesPipeline) deployRole(t *templates.Template) {
	var statements []blocks.Statement
	for _, s := range o.Stacks {
		types, err := stackResourceTypes(s)
		if err != nil {
			t.Fail("StackDeployRole", "", fmt.Sprintf("TemplatesPipeline.Stacks: %v", err))
			return
		}
		for _, typ := range types {
			rights, err := deployRightsFor(typ)
			if err != nil {
				t.Fail("StackDeployRole", "", fmt.Sprintf("stack %s: %v", s.Name, err))
				return
			}
			statements = blocks.MergeStatements(statements, rights...)
		}
	}
	t.Resource("StackDeployRole", blocks.ServiceRole("cloudformation.amazonaws.com", "deploy-stacks", blocks.Policy(statements...)),
		"What CloudFormation may change in the deployed stacks: only the services they use (trade-off in templates_pipeline.go)")
}

// stackResourceTypes returns the resource types a stack declares.
func stackResourceTypes(s templates.Stack) ([]string, error) {
	if s.Name == "templates-pipeline" {
		return nil, fmt.Errorf("templates-pipeline cannot deploy itself: update it with formwork deploy")
	}
	tree, err := s.Template().Tree()
	if err != nil {
		return nil, err
	}
	var types []string
	for _, r := range templates.Resources(tree) {
		if !slices.Contains(types, r.Type) {
			types = append(types, r.Type)
		}
	}
	return types, nil
}
