package blocks

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/formwork-dev/formwork/templates"
)

// Function is a Lambda function with its own log group and a role that may
// write to that log group and do what Permissions lists, nothing else.
type Function struct {
	// ID is the function's logical id; its log group is ID+"Logs" and its
	// role ID+"Role".
	ID          string
	Description string
	// Runtime is a supported runtime: python3.13, provided.al2023,
	// nodejs22.x; Handler the entry point. Both may be left empty for
	// GoPackage code, which runs as bootstrap on provided.al2023.
	Runtime string
	Handler string
	Arm64   bool // Graviton: cheaper per millisecond when the code is built for it; always so for GoPackage
	// Code is where the code comes from: InlineCode, InlineCodeSub,
	// GoPackage, Directory, ZipFile or FromS3 (see Code). Packaged code
	// declares its asset and, by default, its parameters.
	Code Code
	// MemorySize and Timeout are an int, or an intrinsic such as
	// cloudformation.Ref("MemorySize") (written with Template.Override, as
	// goformation types them *int).
	MemorySize, Timeout any
	Environment         map[string]string
	// ReservedConcurrency caps (and reserves) how many copies run at once;
	// 1 keeps a scheduled job from overlapping itself when a run outlasts
	// the schedule. 0 leaves the function on the account's unreserved pool
	// (reserving 0 would stop it).
	ReservedConcurrency int
	// LogRetentionDays is how long the function's log group keeps events;
	// 0 means LogRetentionDays (30). CloudWatch accepts only the values in
	// RetentionPeriods.
	LogRetentionDays int
	// Permissions are the statements the code needs beyond writing its logs.
	Permissions []Statement
	// OnFailure, when set, is the logical id of an SQS queue receiving the
	// events of runs that failed every retry; Retries is how often Lambda
	// retries a failed asynchronous run (0 to 2).
	OnFailure string
	Retries   int
}

// Add declares the log group, role and function, in that order, and the
// asynchronous-invocation settings when OnFailure is set.
func (f Function) Add(t *templates.Template) {
	f = f.forGo(t)
	logs := f.ID + "Logs"
	retention := retentionOrDefault(f.LogRetentionDays)
	group := LogGroup(cloudformation.Sub("/aws/lambda/${AWS::StackName}/" + f.ID))
	group.RetentionInDays = cloudformation.Int(retention)
	checkRetention(t, logs, retention)
	t.Resource(logs, group, fmt.Sprintf("what %s prints, kept %d days; transient, deleted with the stack", f.ID, retention))
	t.Resource(f.ID+"Role", ServiceRole("lambda.amazonaws.com", f.ID, Policy(f.statements()...)),
		"what "+f.ID+" may do")
	fn := f.function(f.Code.declare(t, f.ID))
	var memoryRef, timeoutRef any
	fn.MemorySize, memoryRef = intOrIntrinsic(f.MemorySize)
	fn.Timeout, timeoutRef = intOrIntrinsic(f.Timeout)
	t.Resource(f.ID, fn, f.Description)
	if memoryRef != nil {
		t.Override(f.ID, "Properties.MemorySize", memoryRef)
	}
	if timeoutRef != nil {
		t.Override(f.ID, "Properties.Timeout", timeoutRef)
	}
	f.declareAsyncConfig(t)
}

// goRuntime is the runtime a GoPackage's bootstrap runs on.
const goRuntime = "provided.al2023"

// forGo fills in what Go code runs on, and refuses a runtime that could
// not run the binary.
func (f Function) forGo(t *templates.Template) Function {
	if !f.Code.isGo() {
		return f
	}
	if f.Runtime != "" && f.Runtime != goRuntime {
		t.Fail(f.ID, "Properties.Runtime", fmt.Sprintf("runtime %s cannot run the bootstrap binary formwork builds from Go: leave Runtime empty (%s)", f.Runtime, goRuntime))
	}
	if f.Handler != "" && f.Handler != "bootstrap" {
		t.Fail(f.ID, "Properties.Handler", fmt.Sprintf("handler %q: Go code is the executable bootstrap, leave Handler empty", f.Handler))
	}
	f.Runtime, f.Handler, f.Arm64 = goRuntime, "bootstrap", true
	return f
}

func (f Function) function(code *lambda.Function_Code) *lambda.Function {
	fn := &lambda.Function{
		Description:   cloudformation.String(f.Description),
		Runtime:       cloudformation.String(f.Runtime),
		Handler:       cloudformation.String(f.Handler),
		Code:          code,
		Role:          Arn(f.ID + "Role"),
		LoggingConfig: &lambda.Function_LoggingConfig{LogGroup: cloudformation.String(cloudformation.Ref(f.ID + "Logs"))},
	}
	if f.Arm64 {
		fn.Architectures = []string{"arm64"}
	}
	if f.ReservedConcurrency > 0 {
		fn.ReservedConcurrentExecutions = cloudformation.Int(f.ReservedConcurrency)
	}
	if len(f.Environment) > 0 {
		fn.Environment = &lambda.Function_Environment{Variables: f.Environment}
	}
	return fn
}

func (f Function) statements() []Statement {
	logs := Allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"}, Arn(f.ID+"Logs"))
	logs.Sid = "WriteOwnLogs"
	out := append([]Statement{logs}, f.Permissions...)
	if f.OnFailure != "" {
		park := Allow([]string{"sqs:SendMessage"}, Arn(f.OnFailure))
		park.Sid = "ParkFailedRuns"
		out = append(out, park)
	}
	return out
}

func (f Function) declareAsyncConfig(t *templates.Template) {
	if f.OnFailure == "" {
		return
	}
	t.Resource(f.ID+"AsyncConfig", &lambda.EventInvokeConfig{
		FunctionName:         cloudformation.Ref(f.ID),
		Qualifier:            "$LATEST",
		MaximumRetryAttempts: cloudformation.Int(f.Retries),
		DestinationConfig: &lambda.EventInvokeConfig_DestinationConfig{
			OnFailure: &lambda.EventInvokeConfig_OnFailure{Destination: Arn(f.OnFailure)},
		},
	}, "retries a failed run, then parks its event in "+f.OnFailure)
}

// intOrIntrinsic splits a size option: an int goes in the typed field, an
// intrinsic (which goformation cannot hold in an *int) into an override.
func intOrIntrinsic(v any) (*int, any) {
	switch n := v.(type) {
	case nil:
		return nil, nil
	case int:
		return cloudformation.Int(n), nil
	}
	return nil, v
}
