package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/events"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"github.com/formwork-dev/formwork/templates"
)

// Schedule runs one target on a timer. Every scheduled stack goes through this
// block, so the rule, the right to invoke the target and the failure
// notification are written once.
//
// Why an AWS::Events::Rule and not EventBridge Scheduler: the jobs here run
// on a plain rate or UTC cron, which both offer. A rule grants a Lambda
// target invoke rights with a resource policy scoped to the rule's ARN (one
// AWS::Lambda::Permission, no role to assume), rules have target retries and
// a dead-letter queue just as Scheduler does, and the same rule resource
// carries event patterns (the CodeBuild failure notice), so one kind of
// resource serves every stack. Scheduler would pay off for time zones,
// one-off schedules or thousands of schedules, none of which these jobs need.
type Schedule struct {
	// ID is the rule's logical id, e.g. "CheckSchedule". Other resources of
	// the block are named after it.
	ID string
	// Function is the logical id of the Lambda function the schedule runs;
	// Project that of the CodeBuild project it starts. Set exactly one.
	//
	// A function gets the permission that lets exactly this rule invoke
	// it and an alarm on its Errors metric (Function+"ErrorsAlarm"). A
	// project gets a role that may only start it (ID+"Role") and a rule
	// that mails the topic when a build fails or times out
	// (Project+"Failed").
	Function, Project string
	// Expression is a literal rate(...)/cron(...) expression or an intrinsic
	// producing one (cloudformation.Ref of a ScheduleParameter, or
	// cloudformation.Sub). Literals and parameter defaults are checked when
	// the template is rendered.
	Expression  string
	Description string
	// AlertTopic is the logical id of the SNS topic told when a run fails.
	AlertTopic string
	// Retry bounds how long EventBridge keeps retrying a run it could not
	// start; the zero value keeps EventBridge's defaults (24 hours, 185 tries).
	Retry Retry
	// DeadLetterQueue is the logical id of an SQS queue (see DeadLetterQueue)
	// that keeps the runs EventBridge gave up on; "" for none.
	DeadLetterQueue string
	// FailedText and DeadLetterText are the descriptions of the alarms on
	// the function's errors and on the dead-letter queue, the first line of
	// their mails; empty for the wording of a scheduled job
	// (ScheduleFailedText, ScheduleDeadLetterText).
	FailedText, DeadLetterText string
}

// The alarm wording of a scheduled job, used when the caller gives none.
const (
	ScheduleFailedText     = "The scheduled function failed. Its log group says why."
	ScheduleDeadLetterText = "A scheduled run could not be delivered or failed every retry; it waits in the dead-letter queue."
)

// Retry is an EventBridge target retry policy.
type Retry struct {
	Attempts      int
	MaxAgeSeconds int
}

// RetryForAnHour rides out a throttled or briefly unavailable target, and
// drops a run rather than start it more than an hour late.
var RetryForAnHour = Retry{Attempts: 3, MaxAgeSeconds: 3600}

// Add declares the rule, what lets it start its target, the dead-letter
// queue's policy and the alarms in t.
func (s Schedule) Add(t *templates.Template) {
	switch {
	case (s.Function == "") == (s.Project == ""):
		t.Fail(s.ID, "Properties.Targets", "a schedule runs one target: set exactly one of Function (a Lambda function's logical id) and Project (a CodeBuild project's)")
	case s.Function != "":
		s.addFunction(t)
	default:
		s.addBuild(t)
	}
}

func (s Schedule) addFunction(t *templates.Template) {
	function := s.Function
	s.declareRule(t, events.Rule_Target{Id: function, Arn: Arn(function)})
	t.Resource(s.ID+"Permission", &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		FunctionName: cloudformation.Ref(function),
		Principal:    "events.amazonaws.com",
		SourceArn:    cloudformation.String(Arn(s.ID)),
	}, "lets only "+s.ID+" invoke "+function)
	s.declareDeadLetterPolicy(t)
	FunctionErrorsAlarm{ID: function + "ErrorsAlarm", Function: function, Topic: s.AlertTopic,
		Description: orDefault(s.FailedText, ScheduleFailedText)}.Add(t)
	s.declareDeadLetterAlarm(t)
}

func (s Schedule) addBuild(t *templates.Template) {
	project, role := s.Project, s.ID+"Role"
	t.Resource(role, ServiceRole("events.amazonaws.com", "start-"+project,
		Policy(Allow([]string{"codebuild:StartBuild"}, Arn(project)))),
		"what "+s.ID+" acts as: it may start "+project+" and nothing else")
	s.declareRule(t, events.Rule_Target{Id: project, Arn: Arn(project), RoleArn: cloudformation.String(Arn(role))})
	s.declareDeadLetterPolicy(t)
	alarms := s.declareDeadLetterAlarm(t)
	BuildFailureNotice{ID: project + "Failed", Project: project, Topic: s.AlertTopic, Alarms: alarms}.Add(t)
}

func (s Schedule) declareRule(t *templates.Template, target events.Rule_Target) {
	if s.Retry != (Retry{}) {
		target.RetryPolicy = &events.Rule_RetryPolicy{
			MaximumRetryAttempts:     cloudformation.Int(s.Retry.Attempts),
			MaximumEventAgeInSeconds: cloudformation.Int(s.Retry.MaxAgeSeconds),
		}
	}
	if s.DeadLetterQueue != "" {
		target.DeadLetterConfig = &events.Rule_DeadLetterConfig{Arn: cloudformation.String(Arn(s.DeadLetterQueue))}
	}
	t.Resource(s.ID, &events.Rule{
		Description:        cloudformation.String(s.Description),
		ScheduleExpression: cloudformation.String(s.Expression),
		State:              cloudformation.String("ENABLED"),
		Targets:            []events.Rule_Target{target},
	}, "starts "+target.Id+" on the schedule")
}

// DeadLetterQueue is an L1 helper: it returns the goformation *sqs.Queue
// of an encrypted queue that keeps failed runs for two weeks, long enough
// to notice the alarm and replay them, for t.Resource.
func DeadLetterQueue() *sqs.Queue {
	deletion, replace := Transient.Policies()
	return &sqs.Queue{
		MessageRetentionPeriod:               cloudformation.Int(DeadLetterDays * 24 * 3600),
		SqsManagedSseEnabled:                 cloudformation.Bool(true),
		AWSCloudFormationDeletionPolicy:      deletion,
		AWSCloudFormationUpdateReplacePolicy: replace,
	}
}

// DeadLetterDays is how long a dead-letter queue keeps a message. The queue
// is transient: deleted with the stack, as its messages expire anyway.
const DeadLetterDays = 14

// declareDeadLetterPolicy lets the rule, and only the rule, drop undelivered
// runs into the dead-letter queue.
func (s Schedule) declareDeadLetterPolicy(t *templates.Template) {
	if s.DeadLetterQueue == "" {
		return
	}
	t.Resource(s.DeadLetterQueue+"Policy", &sqs.QueuePolicy{
		Queues: []string{cloudformation.Ref(s.DeadLetterQueue)},
		PolicyDocument: Policy(Statement{
			Effect:    "Allow",
			Principal: ServicePrincipal("events.amazonaws.com"),
			Action:    []string{"sqs:SendMessage"},
			Resource:  []string{Arn(s.DeadLetterQueue)},
		}.When("ArnEquals", "aws:SourceArn", Arn(s.ID))),
	}, "lets "+s.ID+" park the runs it could not start")
}

// declareDeadLetterAlarm tells the topic when the queue holds a run, and
// returns the alarm's logical id (none without a queue).
func (s Schedule) declareDeadLetterAlarm(t *templates.Template) []string {
	if s.DeadLetterQueue == "" {
		return nil
	}
	id := s.DeadLetterQueue + "Alarm"
	QueueNotEmptyAlarm{ID: id, Queue: s.DeadLetterQueue, Topic: s.AlertTopic,
		Description: orDefault(s.DeadLetterText, ScheduleDeadLetterText)}.Add(t)
	return []string{id}
}

// BuildFailureNotice mails the topic one readable line, with a console link,
// when a build of the project fails or times out. The topic's policy
// (Topic+"Policy") lets this rule, and the alarms named, publish to it.
type BuildFailureNotice struct {
	// ID is the logical id of the EventBridge rule.
	ID string
	// Project is the logical id of the CodeBuild project watched.
	Project string
	// Topic is the logical id of the SNS topic told.
	Topic string
	// Alarms are the logical ids of CloudWatch alarms that also publish to
	// the topic.
	Alarms []string
}

// Add declares the rule and the topic's policy in t.
func (n BuildFailureNotice) Add(t *templates.Template) {
	id, project, topic := n.ID, n.Project, n.Topic
	t.Resource(id, &events.Rule{
		Description: cloudformation.String("Builds of the scheduled project that failed or timed out"),
		EventPattern: map[string]any{
			"source":      []string{"aws.codebuild"},
			"detail-type": []string{"CodeBuild Build State Change"},
			"detail": map[string]any{
				"build-status": []string{"FAILED", "TIMED_OUT"},
				"project-name": []string{cloudformation.Ref(project)},
			},
		},
		State: cloudformation.String("ENABLED"),
		Targets: []events.Rule_Target{{
			Id:  "mail",
			Arn: cloudformation.Ref(topic),
			InputTransformer: &events.Rule_InputTransformer{
				InputPathsMap: map[string]string{
					"project": "$.detail.project-name",
					"number":  "$.detail.additional-information.build-number",
					"status":  "$.detail.build-status",
					"time":    "$.time",
				},
				InputTemplate: cloudformation.Sub("CodeBuild project <project> build #<number> ended <status> at <time>: " +
					"https://${AWS::Region}.console.aws.amazon.com/codesuite/codebuild/${AWS::AccountId}/projects/<project>/history?region=${AWS::Region}"),
			},
		}},
	}, "tells the topic about failed builds")
	statements := []Statement{publishFrom(topic, "events.amazonaws.com", id)}
	for _, alarm := range n.Alarms {
		statements = append(statements, publishFrom(topic, "cloudwatch.amazonaws.com", alarm))
	}
	t.Resource(topic+"Policy", &sns.TopicPolicy{
		Topics:         []string{cloudformation.Ref(topic)},
		PolicyDocument: Policy(statements...),
	}, "who may publish to the topic")
}

func publishFrom(topic, service, source string) Statement {
	return Statement{
		Effect:    "Allow",
		Principal: ServicePrincipal(service),
		Action:    []string{"sns:Publish"},
		Resource:  []string{cloudformation.Ref(topic)},
	}.When("ArnEquals", "aws:SourceArn", Arn(source))
}

// orDefault is s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
