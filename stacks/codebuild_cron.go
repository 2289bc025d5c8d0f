package stacks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// DefaultCodebuildCron is the codebuild-cron stack of the catalogue.
func DefaultCodebuildCron() CodebuildCron {
	return CodebuildCron{FromRepository: true, DefaultSchedule: "cron(0 2 * * ? *)"}
}

// Stack is the codebuild-cron stack with these options.
func (o CodebuildCron) Stack() templates.Stack {
	return templates.Stack{
		Name:        "codebuild-cron",
		Description: "Runs a CodeBuild project on a schedule, for jobs longer than Lambda's 15 minutes, and mails failed or timed-out builds",
		Build:       o.Build,
	}
}

// CodebuildCron is the codebuild-cron stack: options that change the
// template's shape.
type CodebuildCron struct {
	// FromRepository clones a GitHub repository through CodeConnections
	// (ConnectionArn, RepositoryOwner, RepositoryName and Branch
	// parameters); otherwise the project has no source and the job is the
	// command alone.
	FromRepository bool
	// DefaultSchedule is the Schedule parameter's default; it is checked
	// with ValidateSchedule when the template is rendered.
	DefaultSchedule string
}

// cronBuildspec runs the JobCommand parameter, handed over as an environment
// variable so the buildspec needs no !Sub.
var cronBuildspec = blocks.Buildspec{Phases: blocks.BuildPhases{Build: blocks.Commands(`bash -eo pipefail -c "$JOB_COMMAND"`)}}

// Build declares the stack.
func (o CodebuildCron) Build(t *templates.Template) {
	o.parameters(t)
	blocks.Topic{ID: "AlertTopic", DisplayName: "Scheduled build", EmailParameter: "NotificationEmail"}.Add(t)
	t.Resource("FailedStarts", blocks.DeadLetterQueue(), "keeps the scheduled starts EventBridge gave up on; transient: messages expire after 14 days, deleted with the stack")
	project := blocks.BuildProject{
		ID:          "Job",
		Comment:     "the scheduled job",
		Description: "Scheduled job: runs JobCommand",
		Source:      o.source(),
		Buildspec:   cronBuildspec,
		Environment: []blocks.EnvVar{{Name: "JOB_COMMAND", Value: cloudformation.Ref("JobCommand")}},
	}
	project.Add(t)
	t.Override("Job", "Properties.Environment.ComputeType", cloudformation.Ref("ComputeType"))
	t.Override("Job", "Properties.TimeoutInMinutes", cloudformation.Ref("TimeoutMinutes"))
	if o.FromRepository {
		t.Override("Job", "Properties.SourceVersion", cloudformation.Ref("Branch"))
	}
	blocks.Schedule{
		ID:              "JobSchedule",
		Expression:      cloudformation.Ref("Schedule"),
		Description:     "Starts the scheduled build",
		AlertTopic:      "AlertTopic",
		Retry:           blocks.RetryForAnHour,
		DeadLetterQueue: "FailedStarts",
		Project:         "Job",
	}.Add(t)
	blocks.OutputRef{ID: "ProjectName", Resource: "Job", Description: "The CodeBuild project; start it by hand with aws codebuild start-build --project-name"}.Add(t)
}

func (o CodebuildCron) source() blocks.BuildSource {
	if !o.FromRepository {
		return blocks.NoSource()
	}
	return blocks.FromGitHub(cloudformation.Ref("ConnectionArn"),
		cloudformation.Sub("https://github.com/${RepositoryOwner}/${RepositoryName}.git"))
}

func (o CodebuildCron) parameters(t *templates.Template) {
	if o.FromRepository {
		repositoryParameters(t)
	}
	t.Parameter("JobCommand", cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Shell command the build runs" + o.commandContext()),
		MinLength:   cloudformation.Int(1),
		MaxLength:   cloudformation.Int(1024),
	})
	t.Parameter("Schedule", blocks.ScheduleParameter("When the job runs, in UTC: rate(1 day) or cron(0 2 * * ? *)", o.DefaultSchedule))
	t.Parameter("ComputeType", cloudformation.Parameter{
		Type:          "String",
		Description:   cloudformation.String("CodeBuild compute size: 3, 7, 15 or 145 GB of memory"),
		Default:       blocks.CodeBuildComputeType,
		AllowedValues: []any{"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_2XLARGE"},
	})
	t.Parameter("TimeoutMinutes", numberParameter("Minutes a build may run before CodeBuild stops it (at most 8 hours; it then counts as TIMED_OUT)", 120, 5, 480))
	t.Parameter("NotificationEmail", blocks.EmailParameter("Address that is told when a build fails or times out."))
	if o.FromRepository {
		t.ParameterGroup("Repository", "ConnectionArn", "RepositoryOwner", "RepositoryName", "Branch")
	}
	t.ParameterGroup("Job", "JobCommand", "Schedule", "ComputeType", "TimeoutMinutes")
	t.ParameterGroup("Notification", "NotificationEmail")
}

func (o CodebuildCron) commandContext() string {
	if o.FromRepository {
		return " in a clone of the repository, e.g. ./scripts/nightly.sh"
	}
	return ", e.g. aws s3 sync s3://source-bucket s3://backup-bucket"
}

func repositoryParameters(t *templates.Template) {
	t.Parameter("ConnectionArn", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("ARN of the CodeConnections connection to GitHub (Developer Tools > Settings > Connections)"),
		AllowedPattern:        cloudformation.String(`^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]+$`),
		ConstraintDescription: cloudformation.String("must be a CodeConnections connection ARN"),
	})
	t.Parameter("RepositoryOwner", cloudformation.Parameter{
		Type:           "String",
		Description:    cloudformation.String("GitHub user or organisation owning the repository"),
		AllowedPattern: cloudformation.String(`^[A-Za-z0-9-]{1,39}$`),
	})
	t.Parameter("RepositoryName", cloudformation.Parameter{
		Type:           "String",
		Description:    cloudformation.String("Repository name"),
		AllowedPattern: cloudformation.String(`^[A-Za-z0-9_.-]{1,100}$`),
	})
	t.Parameter("Branch", cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Branch (or tag or commit) the job runs"),
		Default:     "main",
		MinLength:   cloudformation.Int(1),
		MaxLength:   cloudformation.Int(255),
	})
}
