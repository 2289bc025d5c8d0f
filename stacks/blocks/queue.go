package blocks

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// QueueConsumer is an SQS queue worked off by a Lambda function: the queue
// and its dead-letter queue (both encrypted, reachable only over TLS), the
// redrive between them, the consumer with an event source mapping that
// reports partial batch failures, and alarms on a backlog that ages and on
// messages that gave up.
//
// Resources are named after ID: ID (the queue), ID+"DeadLetters",
// ID+"Policy", ID+"Mapping", ID+"AgeAlarm", ID+"DeadLettersAlarm", and the
// function's own (see Function).
type QueueConsumer struct {
	ID string
	// Comment says what the messages are, e.g. "orders waiting to be
	// fulfilled" (written above the queue).
	Comment string
	// Retention is what happens to both queues and the messages in them
	// when the stack deletes or replaces them; "" is Transient: messages
	// are work in flight that a redeploy does not bring back. Retain keeps
	// the queues (and what they hold) out of the stack's reach.
	Retention Retention
	// Consumer is the function handling the messages. It gets the rights to
	// receive and delete them added to its Permissions. Its handler returns
	// {"batchItemFailures": [{"itemIdentifier": messageId}, ...]} for the
	// messages it could not handle: only those are retried.
	Consumer Function
	// BatchSize is how many messages one invocation receives (1 to 10, or
	// up to 10,000 with a BatchWindowSeconds); 0 means 10.
	BatchSize int
	// BatchWindowSeconds is how long Lambda gathers messages before it
	// invokes the consumer with a batch (0 to 300).
	BatchWindowSeconds int
	// MaxConcurrency caps how many consumers the queue keeps busy (2 to
	// 1000); 0 leaves it to Lambda's scaling.
	MaxConcurrency int
	// VisibilityTimeout is how long a received message stays hidden from
	// other consumers, in seconds; 0 means six times the consumer's
	// Timeout, which must then be a number. The wiring check refuses less.
	VisibilityTimeout int
	// MaxReceives is how often a message is delivered before it moves to
	// the dead-letter queue; 0 means 5.
	MaxReceives int
	// AlertTopic is the logical id of the SNS topic the alarms tell.
	AlertTopic string
	// MaxAgeSeconds is the age of the oldest waiting message that raises the
	// age alarm; 0 means 900 (15 minutes).
	MaxAgeSeconds int
	// AgeText and DeadLetterText describe the two alarms, the first line of
	// their mails, in the team's words; empty for a neutral wording.
	AgeText, DeadLetterText string
}

// Defaults of QueueConsumer.
const (
	DefaultBatchSize     = 10
	DefaultMaxReceives   = 5
	DefaultMaxAgeSeconds = 900
	// QueueRetentionSeconds is how long the queue keeps a message: four
	// days, SQS's default, time enough to fix a consumer over a weekend.
	QueueRetentionSeconds = 4 * 24 * 3600
	// DeadLetterRetentionSeconds is how long the dead-letter queue keeps a
	// message: 14 days, the most SQS allows. SQS keeps a message's first
	// enqueue time when it moves it, so this must exceed the queue's.
	DeadLetterRetentionSeconds = 14 * 24 * 3600
	// VisibilityTimeoutFactor is how many function timeouts a message stays
	// hidden: Lambda's guidance, so that a retried, throttled batch is not
	// delivered twice.
	VisibilityTimeoutFactor = rules.VisibilityTimeoutFactor
)

// Add declares the queues, their policy, the consumer, the mapping and the
// alarms in t.
func (q QueueConsumer) Add(t *templates.Template) {
	dlq := q.ID + "DeadLetters"
	q.validate(t)
	deletion, replace := q.retention().Policies()
	t.Resource(dlq, &sqs.Queue{
		MessageRetentionPeriod:               cloudformation.Int(DeadLetterRetentionSeconds),
		SqsManagedSseEnabled:                 cloudformation.Bool(true),
		AWSCloudFormationDeletionPolicy:      deletion,
		AWSCloudFormationUpdateReplacePolicy: replace,
		// No RedriveAllowPolicy naming the queue: it would refer to the
		// queue that refers to this one, a cycle CloudFormation refuses.
	}, fmt.Sprintf("messages %s gave up on after %d deliveries, kept 14 days for inspection and redrive; %s", q.ID, q.maxReceives(), q.retentionNote()))
	queue := &sqs.Queue{
		MessageRetentionPeriod:               cloudformation.Int(QueueRetentionSeconds),
		SqsManagedSseEnabled:                 cloudformation.Bool(true),
		AWSCloudFormationDeletionPolicy:      deletion,
		AWSCloudFormationUpdateReplacePolicy: replace,
		RedrivePolicy: map[string]any{
			"deadLetterTargetArn": Arn(dlq),
			"maxReceiveCount":     q.maxReceives(),
		},
	}
	if v := q.visibilityTimeout(); v > 0 {
		queue.VisibilityTimeout = cloudformation.Int(v)
	}
	t.Resource(q.ID, queue, joinComment(q.Comment, q.retentionNote()))
	t.Resource(q.ID+"Policy", &sqs.QueuePolicy{
		Queues:         []string{cloudformation.Ref(q.ID), cloudformation.Ref(dlq)},
		PolicyDocument: Policy(DenyInsecureQueueTransport(q.ID, dlq)),
	}, "refuses every request to both queues that is not made over TLS")
	consumer := q.Consumer
	consumer.Permissions = append([]Statement{q.consume()}, consumer.Permissions...)
	DeclareFunction(t, consumer)
	t.Resource(q.ID+"Mapping", q.mapping(), "hands "+q.ID+" to "+consumer.ID+" in batches; only the messages it reports failed come back")
	q.alarms(t, dlq)
}

// DenyInsecureQueueTransport refuses every request to the queues that is
// not made over TLS.
func DenyInsecureQueueTransport(queueIDs ...string) Statement {
	arns := make([]string, len(queueIDs))
	for i, id := range queueIDs {
		arns[i] = Arn(id)
	}
	return Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"sqs:*"},
		Resource:  arns,
	}.When("Bool", "aws:SecureTransport", "false")
}

// SendTo lets a function put messages on the queue with logical id queueID,
// and on no other.
func SendTo(queueID string) Statement {
	return sid("SendTo"+queueID, Allow([]string{"sqs:SendMessage"}, Arn(queueID)))
}

// consume is what the event source mapping does with the consumer's role.
func (q QueueConsumer) consume() Statement {
	return sid("Consume"+q.ID, Allow([]string{
		"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
	}, Arn(q.ID)))
}

func (q QueueConsumer) mapping() *lambda.EventSourceMapping {
	m := &lambda.EventSourceMapping{
		EventSourceArn:        cloudformation.String(Arn(q.ID)),
		FunctionName:          cloudformation.Ref(q.Consumer.ID),
		BatchSize:             cloudformation.Int(q.batchSize()),
		FunctionResponseTypes: []string{"ReportBatchItemFailures"},
	}
	if q.BatchWindowSeconds > 0 {
		m.MaximumBatchingWindowInSeconds = cloudformation.Int(q.BatchWindowSeconds)
	}
	if q.MaxConcurrency > 0 {
		m.ScalingConfig = &lambda.EventSourceMapping_ScalingConfig{MaximumConcurrency: cloudformation.Int(q.MaxConcurrency)}
	}
	return m
}

func (q QueueConsumer) alarms(t *templates.Template, dlq string) {
	age := q.maxAgeSeconds()
	t.Resource(q.ID+"AgeAlarm", Alarm(q.AlertTopic,
		orDefault(q.AgeText, fmt.Sprintf("The oldest message in %s has waited more than %d seconds: %s is failing, throttled or too slow. Its log group says which.", q.ID, age, q.Consumer.ID)),
		watch{
			namespace: "AWS/SQS", metric: "ApproximateAgeOfOldestMessage", dimension: "QueueName", of: cloudformation.GetAtt(q.ID, "QueueName"),
			statistic: "Maximum", operator: "GreaterThanThreshold", threshold: float64(age),
		}.alarm()), "tells the topic when messages in "+q.ID+" wait too long")
	queueNotEmptyAlarm(t, dlq+"Alarm", dlq, q.AlertTopic,
		orDefault(q.DeadLetterText, fmt.Sprintf("A message in %s failed %d deliveries to %s; it waits in %s for inspection and redrive.", q.ID, q.maxReceives(), q.Consumer.ID, dlq)),
		"tells the topic when a message lands in "+dlq)
}

// validate refuses options SQS or Lambda would reject at deploy time.
func (q QueueConsumer) validate(t *templates.Template) {
	mapping := q.ID + "Mapping"
	switch n := q.batchSize(); {
	case n < 1 || n > 10000:
		t.Fail(mapping, "Properties.BatchSize", fmt.Sprintf("batch size %d is outside 1 to 10000: SQS hands Lambda at most 10 messages at a time, up to 10000 with a batching window", n))
	case n > 10 && q.BatchWindowSeconds < 1:
		t.Fail(mapping, "Properties.BatchSize", fmt.Sprintf("batch size %d is over 10, which Lambda accepts only with a batching window: set BatchWindowSeconds to 1 or more", n))
	}
	if q.BatchWindowSeconds < 0 || q.BatchWindowSeconds > 300 {
		t.Fail(mapping, "Properties.MaximumBatchingWindowInSeconds", fmt.Sprintf("batching window %d s is outside 0 to 300", q.BatchWindowSeconds))
	}
	if q.MaxConcurrency != 0 && (q.MaxConcurrency < 2 || q.MaxConcurrency > 1000) {
		t.Fail(mapping, "Properties.ScalingConfig.MaximumConcurrency", fmt.Sprintf("maximum concurrency %d is outside 2 to 1000 (0 leaves it unset)", q.MaxConcurrency))
	}
	if n := q.maxReceives(); n < 1 || n > 1000 {
		t.Fail(q.ID, "Properties.RedrivePolicy.maxReceiveCount", fmt.Sprintf("max receives %d is outside 1 to 1000", n))
	}
	if q.VisibilityTimeout < 0 || q.VisibilityTimeout > 43200 {
		t.Fail(q.ID, "Properties.VisibilityTimeout", fmt.Sprintf("visibility timeout %d s is outside 0 to 43200 (12 hours)", q.VisibilityTimeout))
	}
	if q.visibilityTimeout() == 0 {
		t.Fail(q.ID, "Properties.VisibilityTimeout", fmt.Sprintf("the consumer's Timeout is not a number, so the visibility timeout cannot default to %d times it: set VisibilityTimeout to %d times the largest Timeout", VisibilityTimeoutFactor, VisibilityTimeoutFactor))
	}
	if q.AlertTopic == "" {
		t.Fail(q.ID+"AgeAlarm", "Properties.AlarmActions", "no AlertTopic: set it to the logical id of the SNS topic the alarms tell (see AlertTopic)")
	}
}

func (q QueueConsumer) batchSize() int   { return orDefaultInt(q.BatchSize, DefaultBatchSize) }
func (q QueueConsumer) maxReceives() int { return orDefaultInt(q.MaxReceives, DefaultMaxReceives) }
func (q QueueConsumer) maxAgeSeconds() int {
	return orDefaultInt(q.MaxAgeSeconds, DefaultMaxAgeSeconds)
}

// visibilityTimeout is the option, or six times the consumer's timeout
// (Lambda's default of 3 s when unset); 0 when that is an intrinsic.
func (q QueueConsumer) visibilityTimeout() int {
	if q.VisibilityTimeout != 0 {
		return q.VisibilityTimeout
	}
	switch timeout := q.Consumer.Timeout.(type) {
	case nil:
		return VisibilityTimeoutFactor * DefaultFunctionTimeout
	case int:
		return VisibilityTimeoutFactor * timeout
	}
	return 0
}

// DefaultFunctionTimeout is the timeout, in seconds, of a Lambda function
// that sets none.
const DefaultFunctionTimeout = rules.DefaultFunctionTimeout

// orDefaultInt is n, or def when n is 0.
func orDefaultInt(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// sid names a statement.
func sid(id string, s Statement) Statement {
	s.Sid = id
	return s
}

func (q QueueConsumer) retention() Retention {
	if q.Retention == "" {
		return Transient
	}
	return q.Retention
}

// retentionNote says in the queues' comments what deleting the stack does.
func (q QueueConsumer) retentionNote() string {
	if q.retention() == Retain {
		return "retained when the stack deletes it"
	}
	return "transient: deleted with the stack, messages in flight with it"
}

// joinComment appends note to a resource comment.
func joinComment(comment, note string) string {
	if comment == "" {
		return note
	}
	return comment + "; " + note
}
