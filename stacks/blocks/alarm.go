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

// AlertTopic declares an SNS topic and subscribes the e-mail address held by
// the emailParameter parameter to it.
func AlertTopic(t *templates.Template, id, displayName, emailParameter string) {
	NotificationTopic(t, id, displayName, emailParameter, "where alarms and failures are announced")
}

// NotificationTopic declares an SNS topic, whose comment says what it
// announces, and subscribes the e-mail address held by emailParameter.
func NotificationTopic(t *templates.Template, id, displayName, emailParameter, announces string) {
	t.Resource(id, &sns.Topic{DisplayName: cloudformation.String(displayName)}, announces)
	t.Resource(id+"Email", &sns.Subscription{
		TopicArn: cloudformation.Ref(id),
		Protocol: "email",
		Endpoint: cloudformation.String(cloudformation.Ref(emailParameter)),
	}, "mails every announcement to "+emailParameter)
}

// Alarm is a metric alarm that notifies topic when it fires and when it
// clears. Callers set the metric, statistic, threshold and periods.
func Alarm(topic, description string, a cloudwatch.Alarm) *cloudwatch.Alarm {
	a.AlarmDescription = cloudformation.String(description)
	a.AlarmActions = []string{cloudformation.Ref(topic)}
	a.OKActions = []string{cloudformation.Ref(topic)}
	return &a
}

// FunctionErrorsAlarm fires when a Lambda function reports an error.
// description is the first thing the people on the topic read: say what
// failed, in the words of the caller's job, and where to look.
func FunctionErrorsAlarm(t *templates.Template, id, function, topic, description string) {
	t.Resource(id, Alarm(topic, description, watch{
		namespace: "AWS/Lambda", metric: "Errors", dimension: "FunctionName", of: cloudformation.Ref(function),
		statistic: "Sum", operator: "GreaterThanOrEqualToThreshold", threshold: 1,
	}.alarm()), "tells the topic when "+function+" fails")
}

// QueueNotEmptyAlarm fires while a dead-letter queue holds a message;
// description says, in the caller's words, what the message is.
func QueueNotEmptyAlarm(t *templates.Template, id, queue, topic, description string) {
	queueNotEmptyAlarm(t, id, queue, topic, description, "tells the topic when a run lands in "+queue)
}

func queueNotEmptyAlarm(t *templates.Template, id, queue, topic, description, comment string) {
	t.Resource(id, Alarm(topic, description, watch{
		namespace: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", dimension: "QueueName", of: cloudformation.GetAtt(queue, "QueueName"),
		statistic: "Maximum", operator: "GreaterThanOrEqualToThreshold", threshold: 1,
	}.alarm()), comment)
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
