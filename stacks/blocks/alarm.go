package blocks

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

// EmailPattern is the AllowedPattern of a notification e-mail parameter: one
// address, no display name.
const EmailPattern = `^[^@\s]+@[^@\s]+\.[^@\s]+$`

// EmailParameter declares the address alarms are mailed to.
func EmailParameter(description string) cloudformation.Parameter {
	return cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String(description + " SNS asks it to confirm the subscription first."),
		AllowedPattern:        cloudformation.String(EmailPattern),
		ConstraintDescription: cloudformation.String("must be one e-mail address, like ops@example.org"),
		MaxLength:             cloudformation.Int(254),
	}
}

// Topic is an SNS topic that mails the address held by a parameter: where
// alarms and failures are announced, or what a pipeline asks people to
// review.
//
// Resources: ID (the topic) and ID+"Email" (the subscription).
type Topic struct {
	ID string
	// DisplayName is the sender name of the mails.
	DisplayName string
	// EmailParameter is the parameter holding the address (see
	// EmailParameter).
	EmailParameter string
	// Announces says what the topic is for (written above it); empty for
	// "where alarms and failures are announced".
	Announces string
	// EncryptionKey is the logical id of the EncryptionKey (Service "sns")
	// the messages are encrypted with at rest; "" for none. Encrypt a topic
	// that principals of this account publish to, such as a pipeline's
	// approvals; leave a topic CloudWatch alarms or EventBridge rules
	// publish to unencrypted, as those services publish only to topics
	// whose key names them, which this key's policy does not.
	EncryptionKey string
}

// Add declares the topic and the e-mail subscription in t.
func (tp Topic) Add(t *templates.Template) {
	topic := &sns.Topic{DisplayName: cloudformation.String(tp.DisplayName)}
	if tp.EncryptionKey != "" {
		topic.KmsMasterKeyId = cloudformation.String(cloudformation.Ref(tp.EncryptionKey))
	}
	t.Resource(tp.ID, topic, orDefault(tp.Announces, "where alarms and failures are announced"))
	t.Resource(tp.ID+"Email", &sns.Subscription{
		TopicArn: cloudformation.Ref(tp.ID),
		Protocol: "email",
		Endpoint: cloudformation.String(cloudformation.Ref(tp.EmailParameter)),
	}, "mails every announcement to "+tp.EmailParameter)
}

// Alarm is an L1 helper: it returns the goformation *cloudwatch.Alarm a
// that notifies topic when it fires and when it clears, for t.Resource.
// Callers set the metric, statistic, threshold and periods.
func Alarm(topic, description string, a cloudwatch.Alarm) *cloudwatch.Alarm {
	a.AlarmDescription = cloudformation.String(description)
	a.AlarmActions = []string{cloudformation.Ref(topic)}
	a.OKActions = []string{cloudformation.Ref(topic)}
	return &a
}

// FunctionErrorsAlarm fires when a Lambda function reports an error.
type FunctionErrorsAlarm struct {
	ID string
	// Function is the logical id of the function watched.
	Function string
	// Topic is the logical id of the SNS topic told.
	Topic string
	// Description is the first thing the people on the topic read: say
	// what failed, in the words of the caller's job, and where to look.
	Description string
}

// Add declares the alarm in t.
func (a FunctionErrorsAlarm) Add(t *templates.Template) {
	t.Resource(a.ID, Alarm(a.Topic, a.Description, watch{
		namespace: "AWS/Lambda", metric: "Errors", dimension: "FunctionName", of: cloudformation.Ref(a.Function),
		statistic: "Sum", operator: "GreaterThanOrEqualToThreshold", threshold: 1,
	}.alarm()), "tells the topic when "+a.Function+" fails")
}

// QueueNotEmptyAlarm fires while a queue, typically a dead-letter queue,
// holds a message.
type QueueNotEmptyAlarm struct {
	ID string
	// Queue is the logical id of the queue watched.
	Queue string
	// Topic is the logical id of the SNS topic told.
	Topic string
	// Description says, in the caller's words, what the message is.
	Description string
	// Comment is written above the alarm; empty for "tells the topic when
	// a run lands in <Queue>".
	Comment string
}

// Add declares the alarm in t.
func (a QueueNotEmptyAlarm) Add(t *templates.Template) {
	t.Resource(a.ID, Alarm(a.Topic, a.Description, watch{
		namespace: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", dimension: "QueueName", of: cloudformation.GetAtt(a.Queue, "QueueName"),
		statistic: "Maximum", operator: "GreaterThanOrEqualToThreshold", threshold: 1,
	}.alarm()), orDefault(a.Comment, "tells the topic when a run lands in "+a.Queue))
}

// watch is the shape of the blocks' alarms: one metric of one resource
// (dimension: of), five-minute periods, missing data counted as fine (a
// quiet function or queue publishes nothing). With periods > 1, that many
// periods in a row must breach.
type watch struct {
	namespace, metric, dimension, of string
	statistic                        string // Sum, Maximum, ... or a percentile such as p95
	operator                         string
	threshold                        float64
	periods                          int
}

func (w watch) alarm() cloudwatch.Alarm {
	a := cloudwatch.Alarm{
		Namespace:          cloudformation.String(w.namespace),
		MetricName:         cloudformation.String(w.metric),
		Dimensions:         []cloudwatch.Alarm_Dimension{{Name: w.dimension, Value: w.of}},
		Period:             cloudformation.Int(300),
		EvaluationPeriods:  max(w.periods, 1),
		Threshold:          cloudformation.Float64(w.threshold),
		ComparisonOperator: w.operator,
		TreatMissingData:   cloudformation.String("notBreaching"),
	}
	if strings.HasPrefix(w.statistic, "p") {
		a.ExtendedStatistic = cloudformation.String(w.statistic)
	} else {
		a.Statistic = cloudformation.String(w.statistic)
	}
	if w.periods > 1 {
		a.DatapointsToAlarm = cloudformation.Int(w.periods)
	}
	return a
}
