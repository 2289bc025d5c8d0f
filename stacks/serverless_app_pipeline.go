package stacks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// serverless-app-pipeline: a push to the branch deploys the backend with the
// Serverless Framework, then publishes the frontend, with the backend's
// endpoint beside it, to a private website bucket.
// ServerlessAppPipeline is the serverless-app-pipeline stack.
type ServerlessAppPipeline struct {
	// ManualApproval makes the pipeline wait, after the source and before
	// the backend deploy, for a person to approve the commit: the deploy
	// runs with the backend policy, so a push alone should not start it.
	ManualApproval bool
	// WithoutAccessLogs drops the log bucket that receives the S3 server
	// access logs of the artifact and website buckets. Logging is on by
	// default.
	WithoutAccessLogs bool
}

// DefaultServerlessAppPipeline is the serverless-app-pipeline stack of the
// catalogue: every deploy approved by a person.
func DefaultServerlessAppPipeline() ServerlessAppPipeline {
	return ServerlessAppPipeline{ManualApproval: true}
}

// Stack is the serverless-app-pipeline stack with these options.
func (o ServerlessAppPipeline) Stack() templates.Stack {
	return templates.Stack{
		Name:        "serverless-app-pipeline",
		Description: "Pipeline for a serverless app: GitHub source, CodeBuild deploys the backend with the Serverless Framework, the frontend is published to S3",
		Build:       o.build,
	}
}

func (o ServerlessAppPipeline) build(t *templates.Template) {
	repo := blocks.GitHubRepoParameters(t)
	backendParameters(t)

	logs := addAccessLogs(t, o.WithoutAccessLogs, false)
	artifacts := addArtifactBucket(t, "ArtifactBucket", logs)
	blocks.BuildProject{
		ID:             "DeployBackend",
		Comment:        "Deploys the backend with serverless deploy and emits the frontend and service_endpoint.txt",
		Description:    "serverless deploy of backend/, then frontend/ and service_endpoint.txt as the artifact",
		Source:         blocks.FromPipeline(artifacts),
		Buildspec:      deployBackendBuildspec,
		TimeoutMinutes: 30,
		Environment: []blocks.EnvVar{
			{Name: "STAGE", Value: cloudformation.Ref("Stage")},
			{Name: "BACKEND_STACK", Value: cloudformation.Ref("BackendStackName")},
		},
		Statements: []blocks.Statement{blocks.Allow([]string{"cloudformation:DescribeStacks"}, blocks.StackArn("${BackendStackName}"))},
		// A customer managed policy of this account, never an AWS managed
		// one such as AdministratorAccess: the deploy gets what the account
		// owner wrote down for this app.
		ManagedPolicyArns: []string{cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${BackendDeployPolicyName}")},
	}.Add(t)
	blocks.PrivateBucket{ID: "WebsiteBucket", Retention: blocks.Transient, AccessLogs: logs,
		Comment: "The published frontend; private, so serve it through CloudFront with origin access control. Transient: every run publishes it again"}.Add(t)

	blocks.Pipeline{
		ID:             "Pipeline",
		Comment:        o.pipelineComment(),
		ArtifactBucket: artifacts,
		Stages:         o.stages(repo),
	}.Add(t)

	blocks.PipelineOutputs{Pipeline: "Pipeline"}.Add(t)
	t.Output("WebsiteBucket", cloudformation.Output{
		Description: cloudformation.String("Bucket the frontend is published to"),
		Value:       cloudformation.Ref("WebsiteBucket"),
	})
	blocks.BoundRoles(t) // templates-pipeline deploys it
}

func (o ServerlessAppPipeline) pipelineComment() string {
	if o.ManualApproval {
		return "Source, then a person's approval, then DeployBackend, then PublishFrontend, on every push to the branch"
	}
	return "Source, then DeployBackend, then PublishFrontend, on every push to the branch"
}

func (o ServerlessAppPipeline) stages(repo blocks.GitHubRepo) []blocks.Stage {
	stages := []blocks.Stage{{Name: "Source", Actions: []blocks.Action{blocks.SourceAction("Source", repo, "Source")}}}
	if o.ManualApproval {
		stages = append(stages, blocks.Stage{Name: "Approve", Actions: []blocks.Action{
			blocks.ApprovalAction("ApproveDeploy", 1).WithCustomData("Approve to deploy this commit's backend with the backend deploy policy, then publish its frontend"),
		}})
	}
	return append(stages,
		blocks.Stage{Name: "DeployBackend", Actions: []blocks.Action{blocks.BuildAction("DeployBackend", "DeployBackend", "Source", "App")}},
		blocks.Stage{Name: "PublishFrontend", Actions: []blocks.Action{blocks.S3DeployAction("PublishFrontend", "WebsiteBucket", "App")}},
	)
}

// serverlessVersion is the Serverless Framework release the backend is
// deployed with: an exact version, so a new release (or a hijacked one)
// reaches the deploy only through a reviewed change to this line.
const serverlessVersion = "3.40.0"

// deployBackendBuildspec deploys backend/ and writes the endpoint the
// frontend calls. STAGE and BACKEND_STACK come from the project.
var deployBackendBuildspec = blocks.Buildspec{
	Phases: blocks.BuildPhases{
		Install: &blocks.BuildPhase{
			RuntimeVersions: map[string]string{"nodejs": "22"},
			Commands:        []string{"npm install --global serverless@" + serverlessVersion},
		},
		Build: blocks.Commands(
			`cd "$CODEBUILD_SRC_DIR/backend" && npm ci`,
			`cd "$CODEBUILD_SRC_DIR/backend" && serverless deploy --stage "$STAGE" --region "$AWS_REGION"`,
			`aws cloudformation describe-stacks --stack-name "$BACKEND_STACK" --query "Stacks[0].Outputs[?OutputKey=='ServiceEndpoint'].OutputValue" --output text > "$CODEBUILD_SRC_DIR/service_endpoint.txt"`,
			`grep -q '^https://' "$CODEBUILD_SRC_DIR/service_endpoint.txt" || { echo "stack $BACKEND_STACK has no ServiceEndpoint output" >&2; exit 1; }`,
			`echo "Backend endpoint: $(cat "$CODEBUILD_SRC_DIR/service_endpoint.txt")"`,
		),
	},
	Artifacts: &blocks.BuildArtifacts{Files: []string{"frontend/**/*", "service_endpoint.txt"}},
}

// backendParameters declares what the backend deploy needs to know.
func backendParameters(t *templates.Template) {
	t.Parameter("Stage", cloudformation.Parameter{
		Type:           "String",
		Description:    cloudformation.String("Serverless Framework stage the backend is deployed to (serverless deploy --stage)"),
		Default:        "prod",
		AllowedPattern: cloudformation.String(`[a-zA-Z0-9-]+`),
	})
	t.Parameter("BackendStackName", cloudformation.Parameter{
		Type:           "String",
		Description:    cloudformation.String("CloudFormation stack serverless deploy creates: SERVICE-STAGE, unless serverless.yml sets provider.stackName; its ServiceEndpoint output is passed to the frontend"),
		AllowedPattern: cloudformation.String(`[a-zA-Z][a-zA-Z0-9-]{0,127}`),
	})
	t.Parameter("BackendDeployPolicyName", cloudformation.Parameter{
		Type: "String",
		Description: cloudformation.String("Name of a customer managed IAM policy in this account that the backend deploy runs with. " +
			"serverless deploy creates the app's own stack (Lambda, API Gateway, IAM roles, its deployment bucket...), so scope the policy to that app"),
		AllowedPattern:        cloudformation.String(`[A-Za-z0-9+=,.@_-]{1,128}`),
		ConstraintDescription: cloudformation.String("must be an IAM policy name"),
	})
	t.ParameterGroup("Backend", "Stage", "BackendStackName", "BackendDeployPolicyName")
}
