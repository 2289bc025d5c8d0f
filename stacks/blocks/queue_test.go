package blocks

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// withAlerts declares the topic "Alerts" (mailing parameter Email), then
// what build declares.
func withAlerts(build func(t *templates.Template)) func(t *templates.Template) {
	return func(t *templates.Template) {
		t.Parameter("Email", EmailParameter("Who hears."))
		AlertTopic(t, "Alerts", "test", "Email")
		build(t)
	}
}

func consumerStack(q QueueConsumer) func(t *templates.Template) {
	return withAlerts(func(t *templates.Template) {
		if q.ID == "" {
			q.ID = "Jobs"
		}
		if q.AlertTopic == "" {
			q.AlertTopic = "Alerts"
		}
		if q.Consumer.ID == "" {
			q.Consumer = Function{ID: "Worker", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n"), Timeout: q.Consumer.Timeout}
		}
		q.Add(t)
	})
}

func renderConsumer(t *testing.T, q QueueConsumer) string {
	t.Helper()
	return mustRender(t, consumerStack(q))
}

// mustRender renders a throw-away stack, failing the test on any error.
func mustRender(t *testing.T, build func(t *templates.Template)) string {
	t.Helper()
	out, err := templatestest.Render(t, rules.All(), build)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantAll(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("rendered template lacks %q:\n%s", w, out)
		}
	}
}

func TestQueueConsumerDefaults(t *testing.T) {
	out := renderConsumer(t, QueueConsumer{Consumer: Function{Timeout: 20}})
	wantAll(t, out,
		"  Jobs:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      MessageRetentionPeriod: 345600\n      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt JobsDeadLetters.Arn\n        maxReceiveCount: 5\n      SqsManagedSseEnabled: true\n      VisibilityTimeout: 120\n",
		"  JobsDeadLetters:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      MessageRetentionPeriod: 1209600\n      SqsManagedSseEnabled: true\n",
		"aws:SecureTransport: \"false\"", "- !Ref Jobs\n        - !Ref JobsDeadLetters\n",
		"      BatchSize: 10\n      EventSourceArn: !GetAtt Jobs.Arn\n      FunctionName: !Ref Worker\n      FunctionResponseTypes:\n        - ReportBatchItemFailures\n",
		"Sid: ConsumeJobs", "MetricName: ApproximateAgeOfOldestMessage", "Threshold: 900\n",
		"AlarmDescription: A message in Jobs failed 5 deliveries to Worker; it waits in JobsDeadLetters for inspection and redrive.\n")
	for _, absent := range []string{"MaximumBatchingWindowInSeconds", "ScalingConfig", "scheduled"} {
		if strings.Contains(out, absent) {
			t.Errorf("%s without the option:\n%s", absent, out)
		}
	}
}

func TestQueueConsumerOptions(t *testing.T) {
	out := renderConsumer(t, QueueConsumer{Consumer: Function{Timeout: 60}, BatchSize: 100, BatchWindowSeconds: 5, MaxConcurrency: 4,
		VisibilityTimeout: 900, MaxReceives: 3, MaxAgeSeconds: 120, AgeText: "Invoices pile up.", DeadLetterText: "An invoice failed."})
	wantAll(t, out, "VisibilityTimeout: 900\n", "maxReceiveCount: 3\n", "BatchSize: 100\n", "MaximumBatchingWindowInSeconds: 5\n",
		"ScalingConfig:\n        MaximumConcurrency: 4\n", "Threshold: 120\n", "AlarmDescription: Invoices pile up.\n", "AlarmDescription: An invoice failed.\n")
}

// Without a Timeout the consumer runs Lambda's 3 s, and the queue hides a
// message 18 s.
func TestQueueConsumerVisibilityFollowsLambdaDefault(t *testing.T) {
	wantAll(t, renderConsumer(t, QueueConsumer{}), "VisibilityTimeout: 18\n")
}

func TestQueueConsumerOptionsRefused(t *testing.T) {
	cases := []struct {
		q    QueueConsumer
		want string
	}{
		{QueueConsumer{BatchSize: 20}, "test: JobsMapping: Properties.BatchSize: batch size 20 is over 10, which Lambda accepts only with a batching window: set BatchWindowSeconds to 1 or more"},
		{QueueConsumer{BatchSize: 20000, BatchWindowSeconds: 1}, "test: JobsMapping: Properties.BatchSize: batch size 20000 is outside 1 to 10000: SQS hands Lambda at most 10 messages at a time, up to 10000 with a batching window"},
		{QueueConsumer{BatchWindowSeconds: 301}, "test: JobsMapping: Properties.MaximumBatchingWindowInSeconds: batching window 301 s is outside 0 to 300"},
		{QueueConsumer{MaxConcurrency: 1}, "test: JobsMapping: Properties.ScalingConfig.MaximumConcurrency: maximum concurrency 1 is outside 2 to 1000 (0 leaves it unset)"},
		{QueueConsumer{MaxReceives: 1001}, "test: Jobs: Properties.RedrivePolicy.maxReceiveCount: max receives 1001 is outside 1 to 1000"},
		{QueueConsumer{VisibilityTimeout: 50000}, "test: Jobs: Properties.VisibilityTimeout: visibility timeout 50000 s is outside 0 to 43200 (12 hours)"},
		{QueueConsumer{Consumer: Function{Timeout: cloudformation.Ref("Email")}}, "test: Jobs: Properties.VisibilityTimeout: the consumer's Timeout is not a number, so the visibility timeout cannot default to 6 times it: set VisibilityTimeout to 6 times the largest Timeout"},
	}
	for _, c := range cases {
		templatestest.WantFinding(t, templatestest.RenderError(rules.All(), consumerStack(c.q)), c.want)
	}
}

func TestQueueConsumerWithoutTopicIsRefused(t *testing.T) {
	err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
		QueueConsumer{ID: "Jobs", Consumer: Function{ID: "Worker", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n")}}.Add(t)
	})
	templatestest.WantFinding(t, err, "test: JobsAgeAlarm: Properties.AlarmActions: no AlertTopic: set it to the logical id of the SNS topic the alarms tell (see AlertTopic)")
}

// handWiredQueue is a queue, dead-letter queue and consumer written by hand,
// as a stack that does not use QueueConsumer would.
func handWiredQueue(visibility, timeout any, sourceRetention, dlqRetention int) func(t *templates.Template) {
	return func(t *templates.Template) {
		t.Parameter("TimeoutSeconds", cloudformation.Parameter{Type: "Number", Default: 60, MinValue: cloudformation.Float64(1), MaxValue: cloudformation.Float64(120)})
		t.Parameter("Visibility", cloudformation.Parameter{Type: "Number", Default: 600, MinValue: cloudformation.Float64(300)})
		t.Parameter("Unbounded", cloudformation.Parameter{Type: "Number", Default: 600})
		deletion, replace := Transient.Policies()
		t.Resource("Parked", &sqs.Queue{MessageRetentionPeriod: cloudformation.Int(dlqRetention),
			AWSCloudFormationDeletionPolicy: deletion, AWSCloudFormationUpdateReplacePolicy: replace}, "")
		t.Resource("Work", &sqs.Queue{MessageRetentionPeriod: cloudformation.Int(sourceRetention),
			RedrivePolicy:                   map[string]any{"deadLetterTargetArn": Arn("Parked"), "maxReceiveCount": 5},
			AWSCloudFormationDeletionPolicy: deletion, AWSCloudFormationUpdateReplacePolicy: replace}, "")
		if visibility != nil {
			t.Override("Work", "Properties.VisibilityTimeout", visibility)
		}
		DeclareFunction(t, Function{ID: "Worker", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n"), Timeout: timeout})
		t.Resource("WorkMapping", &lambda.EventSourceMapping{EventSourceArn: cloudformation.String(Arn("Work")), FunctionName: cloudformation.Ref("Worker")}, "")
	}
}

func TestQueueVisibilityCheck(t *testing.T) {
	const week, fortnight = 7 * 86400, 14 * 86400
	cases := []struct {
		visibility, timeout any
		want                string // "" when fine
	}{
		{60, 10, ""},
		{59, 10, "test: Work: Properties.VisibilityTimeout: visibility timeout 59 s is less than 6 times the 10 s timeout of its consumer Worker, so a message still being handled is delivered again: set it to at least 60"},
		{nil, 10, "visibility timeout 30 s is less than 6 times the 10 s timeout"}, // SQS's default 30 s
		{nil, nil, ""}, // 30 s against Lambda's 3 s
		{720, cloudformation.Ref("TimeoutSeconds"), ""},
		{700, cloudformation.Ref("TimeoutSeconds"), "visibility timeout 700 s is less than 6 times the 120 s timeout of its consumer Worker"}, // MaxValue counts
		{cloudformation.Ref("Visibility"), 50, ""},
		{cloudformation.Ref("Visibility"), 51, "visibility timeout 300 s is less than 6 times the 51 s timeout"}, // MinValue counts
		{cloudformation.Ref("Unbounded"), 900, ""},                                                               // cannot be bounded: not checked
	}
	for _, c := range cases {
		err := templatestest.RenderError(rules.All(), handWiredQueue(c.visibility, c.timeout, week, fortnight))
		if c.want == "" {
			if err != nil {
				t.Errorf("visibility %v, timeout %v: unexpected %v", c.visibility, c.timeout, err)
			}
			continue
		}
		templatestest.WantFinding(t, err, c.want)
	}
}

func TestDeadLetterRetentionCheck(t *testing.T) {
	err := templatestest.RenderError(rules.All(), handWiredQueue(600, 10, 14*86400, 14*86400))
	templatestest.WantFinding(t, err, "test: Parked: Properties.MessageRetentionPeriod: dead-letter queue keeps messages 1209600 s, no longer than Work (1209600 s), and SQS counts from a message's first enqueue, so failed messages expire soon after they land: keep them longer, e.g. 1209600 (14 days)")
	if err := templatestest.RenderError(rules.All(), handWiredQueue(600, 10, 4*86400, 14*86400)); err != nil {
		t.Fatalf("4 days then 14 days is fine: %v", err)
	}
}

func TestSendToGrantsOneQueue(t *testing.T) {
	s := SendTo("Jobs")
	if s.Sid != "SendToJobs" || len(s.Action) != 1 || s.Action[0] != "sqs:SendMessage" || len(s.Resource) != 1 || s.Resource[0] != Arn("Jobs") {
		t.Fatalf("SendTo = %+v, want sqs:SendMessage on Jobs only", s)
	}
}

func TestQueueConsumerRetention(t *testing.T) {
	out := renderConsumer(t, QueueConsumer{Consumer: Function{Timeout: 20}, Retention: Retain, Comment: "jobs to run"})
	wantAll(t, out,
		"  # jobs to run; retained when the stack deletes it\n  Jobs:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n",
		"retained when the stack deletes it\n  JobsDeadLetters:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n")
}
