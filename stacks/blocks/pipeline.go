package blocks

import (
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/codepipeline"
	"github.com/formwork-dev/formwork/templates"
)

// Pipeline describes a CodePipeline (type V2) with an S3 artifact store and
// a role that may do exactly what its actions need. Actions are made with
// SourceAction, BuildAction, S3DeployAction, ApprovalAction and
// ChangeSetActions; a source action starts the pipeline on a push to its
// branch.
type Pipeline struct {
	// ID is the pipeline's logical id; its role is ID+"Role".
	ID      string
	Comment string
	// ArtifactBucket is the logical id of the bucket that carries artifacts
	// from one action to the next.
	ArtifactBucket string
	Stages         []Stage
}

// Stage is a named list of actions.
type Stage struct {
	Name    string
	Actions []Action
}

// Action is one pipeline action and the rights the pipeline role needs to
// run it.
type Action struct {
	Declaration codepipeline.Pipeline_ActionDeclaration
	Grants      []Statement
	trigger     *codepipeline.Pipeline_PipelineTriggerDeclaration
}

// RoleID is the logical id of the pipeline's role.
func (p Pipeline) RoleID() string { return p.ID + "Role" }

// Add declares the pipeline's role and the pipeline.
func (p Pipeline) Add(t *templates.Template) {
	t.Resource(p.RoleID(), ServiceRole("codepipeline.amazonaws.com", "pipeline", Policy(p.statements()...)),
		"What "+p.ID+" may do: move artifacts and start its actions, nothing else")
	pipeline := &codepipeline.Pipeline{
		PipelineType:  cloudformation.String("V2"),
		RoleArn:       Arn(p.RoleID()),
		ArtifactStore: &codepipeline.Pipeline_ArtifactStore{Type: "S3", Location: cloudformation.Ref(p.ArtifactBucket)},
		Stages:        []codepipeline.Pipeline_StageDeclaration{},
	}
	stages := []stageInOrder{}
	for _, s := range p.Stages {
		stage := stageInOrder{Name: s.Name, Actions: []actionInOrder{}}
		for _, a := range s.Actions {
			stage.Actions = append(stage.Actions, inOrder(a.Declaration))
			if a.trigger != nil {
				pipeline.Triggers = append(pipeline.Triggers, *a.trigger)
			}
		}
		stages = append(stages, stage)
	}
	t.Resource(p.ID, pipeline, p.Comment)
	t.Override(p.ID, "Properties.Stages", stages)
}

// stageInOrder and actionInOrder hold the same data as goformation's
// declarations, in the order a reader wants it: name first, then what the
// action is, then what goes in and out.
type stageInOrder struct {
	Name    string          `json:"Name"`
	Actions []actionInOrder `json:"Actions"`
}

type actionInOrder struct {
	Name            string                                 `json:"Name"`
	ActionTypeId    *codepipeline.Pipeline_ActionTypeId    `json:"ActionTypeId"`
	RunOrder        *int                                   `json:"RunOrder,omitempty"`
	Configuration   any                                    `json:"Configuration,omitempty"`
	RoleArn         *string                                `json:"RoleArn,omitempty"`
	InputArtifacts  []codepipeline.Pipeline_InputArtifact  `json:"InputArtifacts,omitempty"`
	OutputArtifacts []codepipeline.Pipeline_OutputArtifact `json:"OutputArtifacts,omitempty"`
}

func inOrder(d codepipeline.Pipeline_ActionDeclaration) actionInOrder {
	return actionInOrder{
		Name: d.Name, ActionTypeId: d.ActionTypeId, RunOrder: d.RunOrder, Configuration: d.Configuration,
		RoleArn: d.RoleArn, InputArtifacts: d.InputArtifacts, OutputArtifacts: d.OutputArtifacts,
	}
}

// statements are the role's rights: artifacts in the bucket, then each
// action's grants, merged so an action used twice is granted once.
func (p Pipeline) statements() []Statement {
	out := []Statement{Allow([]string{"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}, Objects(p.ArtifactBucket))}
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			out = MergeStatements(out, a.Grants...)
		}
	}
	return out
}

// MergeStatements adds each statement to list, joining it with an earlier
// one that has the same effect, actions and condition.
func MergeStatements(list []Statement, add ...Statement) []Statement {
	for _, s := range add {
		merged := false
		for i := range list {
			if sameGrant(list[i], s) {
				list[i].Resource = appendMissing(list[i].Resource, s.Resource...)
				merged = true
				break
			}
		}
		if !merged {
			list = append(list, s)
		}
	}
	return list
}

func sameGrant(a, b Statement) bool {
	return a.Effect == b.Effect && a.Sid == b.Sid && a.Principal == nil && b.Principal == nil &&
		strings.Join(a.Action, ",") == strings.Join(b.Action, ",") &&
		fmt.Sprint(a.Condition) == fmt.Sprint(b.Condition)
}

func appendMissing(list []string, items ...string) []string {
	for _, item := range items {
		found := false
		for _, have := range list {
			found = found || have == item
		}
		if !found {
			list = append(list, item)
		}
	}
	return list
}

// ArtifactExpiryDays is how long pipeline artifacts are kept: a run only
// needs them for hours, a retry within weeks.
const ArtifactExpiryDays = 30

// ArtifactBucket is the private bucket a pipeline hands artifacts through:
// transient, its objects expired after ArtifactExpiryDays.
type ArtifactBucket struct {
	// ID is the bucket's logical id; its policy is ID+"Policy".
	ID string
	// AccessLogs, if set, is the logical id of the log bucket (LogBucket)
	// that receives the bucket's server access logs.
	AccessLogs string
}

// Add declares the bucket and its policy in t.
func (a ArtifactBucket) Add(t *templates.Template) { a.bucket().Add(t) }

func (a ArtifactBucket) bucket() PrivateBucket {
	return PrivateBucket{ID: a.ID, ExpireAfterDays: ArtifactExpiryDays, Retention: Transient, AccessLogs: a.AccessLogs,
		Comment: "Artifacts handed from one pipeline action to the next, expired after a month; transient, deleted with the stack"}
}

// GitHubRepo is a GitHub repository reached through a CodeConnections
// connection; each field may hold an intrinsic (cloudformation.Ref).
type GitHubRepo struct {
	ConnectionArn, FullRepositoryID, Branch string
}

// GitHubRepoParameters declares the ConnectionArn, FullRepositoryId and
// BranchName parameters, grouped under "Source", and returns them as Refs.
func GitHubRepoParameters(t *templates.Template) GitHubRepo {
	t.Parameter("ConnectionArn", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("ARN of an AVAILABLE CodeConnections connection to GitHub (Developer Tools > Settings > Connections)"),
		AllowedPattern:        cloudformation.String(`arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]+`),
		ConstraintDescription: cloudformation.String("must be a CodeConnections connection ARN"),
	})
	t.Parameter("FullRepositoryId", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("GitHub repository as OWNER/NAME"),
		AllowedPattern:        cloudformation.String(`[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+`),
		ConstraintDescription: cloudformation.String("must be OWNER/NAME"),
	})
	t.Parameter("BranchName", cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Branch whose pushes start the pipeline"),
		Default:     "main",
		MinLength:   cloudformation.Int(1),
	})
	t.ParameterGroup("Source", "ConnectionArn", "FullRepositoryId", "BranchName")
	return GitHubRepo{
		ConnectionArn:    cloudformation.Ref("ConnectionArn"),
		FullRepositoryID: cloudformation.Ref("FullRepositoryId"),
		Branch:           cloudformation.Ref("BranchName"),
	}
}

func actionType(category, owner, provider string) *codepipeline.Pipeline_ActionTypeId {
	return &codepipeline.Pipeline_ActionTypeId{Category: category, Owner: owner, Provider: provider, Version: "1"}
}

func inputs(names []string) []codepipeline.Pipeline_InputArtifact {
	var out []codepipeline.Pipeline_InputArtifact
	for _, n := range names {
		out = append(out, codepipeline.Pipeline_InputArtifact{Name: n})
	}
	return out
}

func outputs(names []string) []codepipeline.Pipeline_OutputArtifact {
	var out []codepipeline.Pipeline_OutputArtifact
	for _, n := range names {
		out = append(out, codepipeline.Pipeline_OutputArtifact{Name: n})
	}
	return out
}

// SourceAction checks out repo's branch as the artifact output, and starts
// the pipeline on every push to that branch (a V2 trigger; the source's own
// change detection is then off).
func SourceAction(name string, repo GitHubRepo, output string) Action {
	return Action{
		Declaration: codepipeline.Pipeline_ActionDeclaration{
			Name:         name,
			ActionTypeId: actionType("Source", "AWS", "CodeStarSourceConnection"),
			Configuration: map[string]any{
				"ConnectionArn":        repo.ConnectionArn,
				"FullRepositoryId":     repo.FullRepositoryID,
				"BranchName":           repo.Branch,
				"OutputArtifactFormat": "CODE_ZIP",
			},
			OutputArtifacts: outputs([]string{output}),
		},
		Grants: []Statement{UseConnection(repo.ConnectionArn)},
		trigger: &codepipeline.Pipeline_PipelineTriggerDeclaration{
			ProviderType: "CodeStarSourceConnection",
			GitConfiguration: &codepipeline.Pipeline_GitConfiguration{
				SourceActionName: name,
				Push: []codepipeline.Pipeline_GitPushFilter{{
					Branches: &codepipeline.Pipeline_GitBranchFilterCriteria{Includes: []string{repo.Branch}},
				}},
			},
		},
	}
}

// BuildAction runs the CodeBuild project projectID on input; the files its
// buildspec lists become the output artifacts.
func BuildAction(name, projectID, input string, output ...string) Action {
	return Action{
		Declaration: codepipeline.Pipeline_ActionDeclaration{
			Name:            name,
			ActionTypeId:    actionType("Build", "AWS", "CodeBuild"),
			Configuration:   map[string]any{"ProjectName": cloudformation.Ref(projectID)},
			InputArtifacts:  inputs([]string{input}),
			OutputArtifacts: outputs(output),
		},
		Grants: []Statement{Allow([]string{"codebuild:BatchGetBuilds", "codebuild:StartBuild"}, Arn(projectID))},
	}
}

// S3DeployAction unzips input into the bucket bucketID.
func S3DeployAction(name, bucketID, input string) Action {
	return Action{
		Declaration: codepipeline.Pipeline_ActionDeclaration{
			Name:           name,
			ActionTypeId:   actionType("Deploy", "AWS", "S3"),
			Configuration:  map[string]any{"BucketName": cloudformation.Ref(bucketID), "Extract": "true"},
			InputArtifacts: inputs([]string{input}),
		},
		Grants: []Statement{Allow([]string{"s3:PutObject"}, Objects(bucketID))},
	}
}

// ApprovalAction waits for a person to approve in the console.
func ApprovalAction(name string, runOrder int) Action {
	return Action{Declaration: codepipeline.Pipeline_ActionDeclaration{
		Name:         name,
		ActionTypeId: actionType("Approval", "AWS", "Manual"),
		RunOrder:     cloudformation.Int(runOrder),
	}}
}

// WithCustomData sets what the approver reads: what approving does.
func (a Action) WithCustomData(text string) Action {
	return a.configure("CustomData", text)
}

// WithLink sets the link the approver follows to review, e.g. the change set
// in the console; url may be a cloudformation.Sub.
func (a Action) WithLink(url string) Action {
	return a.configure("ExternalEntityLink", url)
}

// NotifyingTopic makes the approval announce itself on the SNS topic
// topicID (a logical id), and lets the pipeline role publish there.
func (a Action) NotifyingTopic(topicID string) Action {
	a = a.configure("NotificationArn", cloudformation.Ref(topicID))
	a.Grants = append(a.Grants, Allow([]string{"sns:Publish"}, cloudformation.Ref(topicID)))
	return a
}

func (a Action) configure(key string, value any) Action {
	config := map[string]any{}
	if m, ok := a.Declaration.Configuration.(map[string]any); ok {
		for k, v := range m {
			config[k] = v
		}
	}
	config[key] = value
	a.Declaration.Configuration = config
	return a
}

// StackDeploy is a CloudFormation stack deployed by change set.
type StackDeploy struct {
	// StackName is !Sub text, e.g. "${StackNamePrefix}-hexo-site".
	StackName string
	// Template is ARTIFACT::path of the template, e.g. "Rendered::hexo-site.yaml".
	Template string
	// Configuration, if set, is ARTIFACT::path of a template configuration
	// file (parameter values, tags) for the stack.
	Configuration string
	// Inputs are the artifacts Template and Configuration come from.
	Inputs []string
	// RoleID is the logical id of the role CloudFormation assumes to change
	// the stack's resources.
	RoleID string
	// Approval puts a manual approval between creating and executing the
	// change set, so a person reads the change set first.
	Approval bool
	// ApprovalTopic, if set, is the logical id of the SNS topic the approval
	// is announced on, with a link to the change set.
	ApprovalTopic string
	// ParameterOverrides, if set, is the JSON object of parameter values
	// that take precedence over Configuration (may be a cloudformation.Sub).
	ParameterOverrides string
	// Capabilities the change set acknowledges, comma-separated, e.g.
	// "CAPABILITY_IAM" (templates.Capabilities says which a template needs);
	// "" acknowledges none.
	Capabilities string
}

// ChangeSetName is the name of every change set a pipeline creates.
const ChangeSetName = "formwork"

// ChangeSetActions creates a change set for the stack, optionally waits for
// approval, then executes it; the actions of one stage, in run order.
func ChangeSetActions(d StackDeploy) []Action {
	changeSet := ChangeSetName
	grant := Allow([]string{
		"cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet",
		"cloudformation:DescribeStacks", "cloudformation:ExecuteChangeSet",
	}, StackArn(d.StackName))
	create := map[string]any{
		"ActionMode": "CHANGE_SET_REPLACE", "StackName": cloudformation.Sub(d.StackName),
		"ChangeSetName": changeSet, "TemplatePath": d.Template, "RoleArn": Arn(d.RoleID),
	}
	if d.Capabilities != "" {
		create["Capabilities"] = d.Capabilities
	}
	if d.ParameterOverrides != "" {
		create["ParameterOverrides"] = d.ParameterOverrides
	}
	if d.Configuration != "" {
		create["TemplateConfiguration"] = d.Configuration
	}
	actions := []Action{{
		Declaration: codepipeline.Pipeline_ActionDeclaration{
			Name: "CreateChangeSet", ActionTypeId: actionType("Deploy", "AWS", "CloudFormation"),
			Configuration: create, InputArtifacts: inputs(d.Inputs), RunOrder: cloudformation.Int(1),
		},
		Grants: []Statement{grant, PassRole(d.RoleID, "cloudformation.amazonaws.com")},
	}}
	if d.Approval {
		actions = append(actions, d.reviewAction())
	}
	actions = append(actions, Action{
		Declaration: codepipeline.Pipeline_ActionDeclaration{
			Name: "ExecuteChangeSet", ActionTypeId: actionType("Deploy", "AWS", "CloudFormation"),
			Configuration: map[string]any{
				"ActionMode": "CHANGE_SET_EXECUTE", "StackName": cloudformation.Sub(d.StackName), "ChangeSetName": changeSet,
			},
			RunOrder: cloudformation.Int(len(actions) + 1),
		},
		Grants: []Statement{grant},
	})
	return actions
}

// reviewAction waits for a person who read the change set; the
// notification and the action link to it.
func (d StackDeploy) reviewAction() Action {
	review := ApprovalAction("ReviewChangeSet", 2).
		WithCustomData(cloudformation.Sub("Read change set " + ChangeSetName + " of " + d.StackName + ", IAM changes first (aws cloudformation describe-change-set --stack-name " +
			d.StackName + " --change-set-name " + ChangeSetName + "), then approve to execute it")).
		WithLink(cloudformation.Sub("https://${AWS::Region}.console.aws.amazon.com/cloudformation/home?region=${AWS::Region}#/stacks/changesets/changes?stackId=" +
			d.StackName + "&changeSetId=" + ChangeSetName))
	if d.ApprovalTopic != "" {
		review = review.NotifyingTopic(d.ApprovalTopic)
	}
	return review
}

// PassRole lets a role hand roleID to service, and to nothing else.
func PassRole(roleID, service string) Statement {
	return Allow([]string{"iam:PassRole"}, Arn(roleID)).When("StringEquals", "iam:PassedToService", service)
}

// PipelineOutputs are the outputs every pipeline stack has: its name
// (PipelineName) and where to watch it in the console (PipelineConsoleUrl).
type PipelineOutputs struct {
	// Pipeline is the pipeline's logical id.
	Pipeline string
}

// Add declares the two outputs in t.
func (o PipelineOutputs) Add(t *templates.Template) {
	t.Output("PipelineName", cloudformation.Output{
		Description: cloudformation.String("Name of the pipeline"),
		Value:       cloudformation.Ref(o.Pipeline),
	})
	t.Output("PipelineConsoleUrl", cloudformation.Output{
		Description: cloudformation.String("The pipeline in the CodePipeline console"),
		Value:       cloudformation.Sub("https://${AWS::Region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${" + o.Pipeline + "}/view"),
	})
}

// StackArn is the ARN of the stack named by the !Sub text name, e.g.
// "${BackendStackName}".
func StackArn(name string) string {
	return cloudformation.Sub("arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/" + name + "/*")
}
