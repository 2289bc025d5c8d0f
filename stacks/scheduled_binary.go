package stacks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// CleanupJob is the Go main package of scheduled-binary's job (see
// stacks/jobs/cleanup): formwork package builds it from the module that
// holds it, this repository or a team's that requires formwork.
const CleanupJob = "github.com/formwork-dev/formwork/stacks/jobs/cleanup"

// DefaultScheduledBinary is the scheduled-binary stack of the catalogue.
func DefaultScheduledBinary() ScheduledBinary {
	return ScheduledBinary{Token: TokenInSSM, DefaultSchedule: "rate(1 day)"}
}

// Stack is the scheduled-binary stack with these options.
func (o ScheduledBinary) Stack() templates.Stack {
	return templates.Stack{
		Name:        "scheduled-binary",
		Description: "Runs a compiled Go cleanup job from S3 on Lambda on a schedule, with its API token from SSM and an alarm on failures",
		Build:       o.Build,
	}
}

// TokenSource is where the job's API token is kept. The token itself never
// passes through CloudFormation: the stack takes the name, grants read on
// that one resource, and the job fetches the value at run time.
type TokenSource int

const (
	// TokenInSSM: an SSM Parameter Store SecureString, by name.
	TokenInSSM TokenSource = iota
	// TokenInSecretsManager: a Secrets Manager secret, by ARN.
	TokenInSecretsManager
)

// ScheduledBinary is the scheduled-binary stack: options that change the
// template's shape.
type ScheduledBinary struct {
	Token TokenSource
	// DefaultSchedule is the Schedule parameter's default; it is checked
	// with ValidateSchedule when the template is rendered.
	DefaultSchedule string
}

// Build declares the stack.
func (o ScheduledBinary) Build(t *templates.Template) {
	token := o.tokenAccess()
	scheduledBinaryParameters(t, o.DefaultSchedule, token)
	t.Condition("HasCodeVersion", cloudformation.Not([]string{cloudformation.Equals(cloudformation.Ref("CodeObjectVersion"), "")}))
	blocks.Topic{ID: "AlertTopic", DisplayName: "Scheduled job", EmailParameter: "NotificationEmail"}.Add(t)
	t.Resource("FailedRuns", blocks.DeadLetterQueue(), "keeps the runs that failed every retry, for inspection and replay; transient: messages expire after 14 days, deleted with the stack")
	blocks.Function{
		ID:          "Job",
		Description: "The cleanup job: deletes items older than ItemMaxAgeDays from the third-party service",
		MemorySize:  cloudformation.Ref("MemorySize"),
		Timeout:     cloudformation.Ref("TimeoutSeconds"),
		Environment: map[string]string{
			token.envVar:        cloudformation.Ref(token.parameter),
			"ITEM_MAX_AGE_DAYS": cloudformation.Ref("ItemMaxAgeDays"),
			"API_BASE_URL":      cloudformation.Ref("ApiBaseUrl"),
		},
		Permissions: token.statements(),
		OnFailure:   "FailedRuns",
		Retries:     2,
		// One run at a time: a run that outlasts the schedule is not
		// overlapped by the next one (which is throttled and retried).
		ReservedConcurrency: 1,
		// The stack declares the code's parameters, with a version.
		Code: blocks.GoPackage(CleanupJob).In(blocks.CodeParameters{
			Bucket:        "CodeBucket",
			Key:           "CodeKey",
			ObjectVersion: cloudformation.If("HasCodeVersion", cloudformation.Ref("CodeObjectVersion"), cloudformation.Ref("AWS::NoValue")),
		}),
	}.Add(t)
	blocks.Schedule{
		ID:              "JobSchedule",
		Expression:      cloudformation.Ref("Schedule"),
		Description:     "Starts the cleanup job",
		AlertTopic:      "AlertTopic",
		Retry:           blocks.RetryForAnHour,
		DeadLetterQueue: "FailedRuns",
		Function:        "Job",
	}.Add(t)
	blocks.OutputRef{ID: "JobFunction", Resource: "Job", Description: "The job; invoke it to run it now"}.Add(t)
	blocks.OutputRef{ID: "FailedRunsQueue", Resource: "FailedRuns", Description: "Queue holding runs that failed every retry"}.Add(t)
}

// tokenStore is where the job's token lives and how the job reaches it:
// the parameter naming the one resource, the environment variable passing
// that name, and the read action on exactly that resource.
type tokenStore struct {
	parameter, envVar          string
	description, pattern, rule string
	maxLength                  int
	read, service, contextKey  string // read action; service and KMS context key that decrypt it
	resource                   string // ARN of the one resource the job may read
}

var tokenStores = map[TokenSource]tokenStore{
	TokenInSSM: {
		parameter: "ApiTokenParameter", envVar: "API_TOKEN_PARAMETER",
		description: "Name of the SSM SecureString parameter holding the API token, e.g. /cleanup/api-token",
		pattern:     `^/[A-Za-z0-9_./-]+$`, rule: "must be a parameter name starting with /", maxLength: 1011,
		read: "ssm:GetParameter", service: "ssm", contextKey: "kms:EncryptionContext:PARAMETER_ARN",
		resource: cloudformation.Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ApiTokenParameter}"),
	},
	TokenInSecretsManager: {
		parameter: "ApiTokenSecretArn", envVar: "API_TOKEN_SECRET_ARN",
		description: "ARN of the Secrets Manager secret holding the API token",
		pattern:     `^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`, rule: "must be a Secrets Manager secret ARN", maxLength: 2048,
		read: "secretsmanager:GetSecretValue", service: "secretsmanager", contextKey: "kms:EncryptionContext:SecretARN",
		resource: cloudformation.Ref("ApiTokenSecretArn"),
	},
}

func (o ScheduledBinary) tokenAccess() tokenStore { return tokenStores[o.Token] }

func (s tokenStore) declare(t *templates.Template) {
	t.Parameter(s.parameter, cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String(s.description),
		AllowedPattern:        cloudformation.String(s.pattern),
		ConstraintDescription: cloudformation.String(s.rule),
		MaxLength:             cloudformation.Int(s.maxLength),
	})
}

func (s tokenStore) statements() []blocks.Statement {
	return []blocks.Statement{
		sid("ReadApiToken", blocks.Allow([]string{s.read}, s.resource)),
		decryptVia(s.service, s.contextKey, s.resource),
	}
}

// decryptVia allows kms:Decrypt only when the service decrypts the one
// resource named in the encryption context: needed when the token is
// encrypted with a customer managed key, harmless with the AWS managed one.
func decryptVia(service, contextKey, resourceArn string) blocks.Statement {
	return sid("DecryptApiToken", blocks.Allow([]string{"kms:Decrypt"},
		cloudformation.Sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*")).
		When("StringEquals", "kms:ViaService", cloudformation.Sub(service+".${AWS::Region}.amazonaws.com")).
		When("StringEquals", contextKey, resourceArn))
}

func sid(id string, s blocks.Statement) blocks.Statement {
	s.Sid = id
	return s
}

func scheduledBinaryParameters(t *templates.Template, defaultSchedule string, token tokenStore) {
	t.Parameter("CodeBucket", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("S3 bucket holding the job's zip (a bootstrap binary built for linux/arm64)"),
		AllowedPattern:        cloudformation.String(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`),
		ConstraintDescription: cloudformation.String("must be an S3 bucket name"),
	})
	t.Parameter("CodeKey", cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Key of the zip in CodeBucket: formwork deploy passes the one formwork package uploaded, formwork/<SHA-256 of the zip>.zip"),
		MinLength:   cloudformation.Int(1),
		MaxLength:   cloudformation.Int(1024),
	})
	t.Parameter("CodeObjectVersion", cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Object version of the zip, on a versioned bucket; empty for the current object"),
		Default:     "",
		MaxLength:   cloudformation.Int(1024),
	})
	t.Parameter("Schedule", blocks.ScheduleParameter("When the job runs, in UTC: rate(1 day) or cron(0 3 * * ? *)", defaultSchedule))
	t.Parameter("MemorySize", numberParameter("Memory for the job in MB; CPU grows with it", 256, 128, 10240))
	t.Parameter("TimeoutSeconds", numberParameter("Seconds a run may take before Lambda stops it", 300, 1, 900))
	t.Parameter("ItemMaxAgeDays", numberParameter("Items older than this many days are deleted", 30, 1, 3650))
	t.Parameter("ApiBaseUrl", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("Base URL of the service's API, e.g. https://api.example.com/v1 (the job lists GET /items and deletes DELETE /items/{id})"),
		AllowedPattern:        cloudformation.String(`^https://[^\s]+$`),
		ConstraintDescription: cloudformation.String("must be an https:// URL"),
		MaxLength:             cloudformation.Int(2048),
	})
	token.declare(t)
	t.Parameter("NotificationEmail", blocks.EmailParameter("Address that is told when a run fails."))
	t.ParameterGroup("Code", "CodeBucket", "CodeKey", "CodeObjectVersion")
	t.ParameterGroup("Run", "Schedule", "MemorySize", "TimeoutSeconds", "ItemMaxAgeDays")
	t.ParameterGroup("Service", "ApiBaseUrl", token.parameter)
	t.ParameterGroup("Notification", "NotificationEmail")
}

// numberParameter is a Number parameter with a default and bounds.
func numberParameter(description string, def, min, max int) cloudformation.Parameter {
	return cloudformation.Parameter{
		Type:        "Number",
		Description: cloudformation.String(description),
		Default:     def,
		MinValue:    cloudformation.Float64(float64(min)),
		MaxValue:    cloudformation.Float64(float64(max)),
	}
}
