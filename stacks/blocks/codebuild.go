package blocks

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/codebuild"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// CodeBuild environment every project uses: a current, supported Amazon
// Linux image on the smallest Linux compute.
const (
	CodeBuildImage       = rules.CodeBuildImage
	CodeBuildComputeType = "BUILD_GENERAL1_SMALL"
)

// BuildProject describes a CodeBuild project with an inline buildspec, its
// own log group and a role that may only write that log group, read its
// source and whatever Statements add.
type BuildProject struct {
	// ID is the project's logical id; the role is ID+"Role", the log group
	// ID+"Logs".
	ID          string
	Comment     string
	Description string
	Source      BuildSource
	Buildspec   Buildspec
	// SubBuildspec passes the buildspec through !Sub, so ${Param} and
	// ${Resource.Attr} are filled in by CloudFormation; a shell ${VAR} must
	// then be written ${!VAR}, and a stray ${ fails at generation time.
	// Prefer Environment, which keeps the buildspec free of substitutions.
	SubBuildspec bool
	// Environment variables of the build, in order; values may hold
	// intrinsics (cloudformation.Ref).
	Environment []EnvVar
	// TimeoutMinutes stops a hung build; 0 keeps CodeBuild's 60 minutes.
	TimeoutMinutes int
	// Statements grant the build more than its logs and source.
	Statements []Statement
	// ManagedPolicyArns, if set, is the role's ManagedPolicyArns: a list,
	// or an intrinsic such as a !Ref to a CommaDelimitedList parameter.
	ManagedPolicyArns any
}

// EnvVar is a plain-text build environment variable.
type EnvVar struct{ Name, Value string }

// BuildSource is where a project's source comes from. Make one with
// FromPipeline, NoSource or FromGitHub.
type BuildSource struct {
	sourceType, artifactsType string
	location, connectionArn   string
	bucketID                  string
}

// FromPipeline is a project run by a CodePipeline build action: source and
// artifacts travel through the pipeline's artifact bucket.
func FromPipeline(artifactBucketID string) BuildSource {
	return BuildSource{sourceType: "CODEPIPELINE", artifactsType: "CODEPIPELINE", bucketID: artifactBucketID}
}

// NoSource is a project whose buildspec does all the work.
func NoSource() BuildSource {
	return BuildSource{sourceType: "NO_SOURCE", artifactsType: "NO_ARTIFACTS"}
}

// FromGitHub clones a GitHub repository through a CodeConnections
// connection. repositoryURL is https://github.com/OWNER/REPO.git (may be a
// cloudformation.Sub); connectionArn may be a cloudformation.Ref.
func FromGitHub(connectionArn, repositoryURL string) BuildSource {
	return BuildSource{sourceType: "GITHUB", artifactsType: "NO_ARTIFACTS", location: repositoryURL, connectionArn: connectionArn}
}

// RoleID is the logical id of the project's role.
func (p BuildProject) RoleID() string { return p.ID + "Role" }

// LogsID is the logical id of the project's log group.
func (p BuildProject) LogsID() string { return p.ID + "Logs" }

// Add declares the log group, the role and the project, in that order.
func (p BuildProject) Add(t *templates.Template) {
	spec, err := p.Buildspec.Text()
	if err != nil {
		t.Fail(p.ID, "Properties.Source.BuildSpec", err.Error())
		return
	}
	if p.SubBuildspec {
		spec = cloudformation.Sub(spec)
	}
	t.Resource(p.LogsID(), LogGroup(cloudformation.Sub("/aws/codebuild/${AWS::StackName}/"+p.ID)),
		fmt.Sprintf("Logs of %s's builds, kept %d days; transient, deleted with the stack", p.ID, LogRetentionDays))
	t.Resource(p.RoleID(), ServiceRole("codebuild.amazonaws.com", "build", Policy(p.statements()...)),
		"What "+p.ID+" may do: write its logs, read its source"+p.extraRights())
	if p.ManagedPolicyArns != nil {
		t.Override(p.RoleID(), "Properties.ManagedPolicyArns", p.ManagedPolicyArns)
	}
	t.Resource(p.ID, p.project(spec), p.Comment)
}

func (p BuildProject) extraRights() string {
	if len(p.Statements) > 0 || p.ManagedPolicyArns != nil {
		return ", and what its job needs"
	}
	return ""
}

func (p BuildProject) statements() []Statement {
	out := []Statement{Allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"}, Arn(p.LogsID()))}
	switch {
	case p.Source.bucketID != "":
		out = append(out, Allow([]string{"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}, Objects(p.Source.bucketID)))
	case p.Source.connectionArn != "":
		out = append(out, UseConnection(p.Source.connectionArn))
	}
	return append(out, p.Statements...)
}

// UseConnection lets a role use a CodeConnections connection (the service
// was called CodeStar Connections, and older ARNs still say so).
func UseConnection(connectionArn string) Statement {
	return Allow([]string{
		"codeconnections:GetConnectionToken", "codeconnections:UseConnection",
		"codestar-connections:GetConnectionToken", "codestar-connections:UseConnection",
	}, connectionArn)
}

func (p BuildProject) project(spec string) *codebuild.Project {
	project := &codebuild.Project{
		ServiceRole: Arn(p.RoleID()),
		Source:      &codebuild.Project_Source{Type: p.Source.sourceType, BuildSpec: cloudformation.String(spec)},
		Artifacts:   &codebuild.Project_Artifacts{Type: p.Source.artifactsType},
		Environment: &codebuild.Project_Environment{
			Type:                 "LINUX_CONTAINER",
			ComputeType:          CodeBuildComputeType,
			Image:                CodeBuildImage,
			EnvironmentVariables: p.environment(),
		},
		LogsConfig: &codebuild.Project_LogsConfig{CloudWatchLogs: &codebuild.Project_CloudWatchLogsConfig{
			Status:    "ENABLED",
			GroupName: cloudformation.String(cloudformation.Ref(p.LogsID())),
		}},
	}
	if p.Description != "" {
		project.Description = cloudformation.String(p.Description)
	}
	if p.Source.location != "" {
		project.Source.Location = cloudformation.String(p.Source.location)
		project.Source.Auth = &codebuild.Project_SourceAuth{Type: "CODECONNECTIONS", Resource: cloudformation.String(p.Source.connectionArn)}
	}
	if p.TimeoutMinutes > 0 {
		project.TimeoutInMinutes = cloudformation.Int(p.TimeoutMinutes)
	}
	return project
}

func (p BuildProject) environment() []codebuild.Project_EnvironmentVariable {
	var out []codebuild.Project_EnvironmentVariable
	for _, v := range p.Environment {
		out = append(out, codebuild.Project_EnvironmentVariable{Name: v.Name, Value: v.Value})
	}
	return out
}
