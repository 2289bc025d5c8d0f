package blocks

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

func init() { templates.AddCheck(checkAlarmActions) }

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
func FunctionErrorsAlarm(t *templates.Template, id, function, topic string) {
	t.Resource(id, Alarm(topic, "The scheduled function failed. Its log group says why.", cloudwatch.Alarm{
		Namespace:          cloudformation.String("AWS/Lambda"),
		MetricName:         cloudformation.String("Errors"),
		Dimensions:         []cloudwatch.Alarm_Dimension{{Name: "FunctionName", Value: cloudformation.Ref(function)}},
		Statistic:          cloudformation.String("Sum"),
		Period:             cloudformation.Int(300),
		EvaluationPeriods:  1,
		Threshold:          cloudformation.Float64(1),
		ComparisonOperator: "GreaterThanOrEqualToThreshold",
		TreatMissingData:   cloudformation.String("notBreaching"),
	}), "tells the topic when "+function+" fails")
}

// QueueNotEmptyAlarm fires while a dead-letter queue holds a message.
func QueueNotEmptyAlarm(t *templates.Template, id, queue, topic string) {
	t.Resource(id, Alarm(topic, "A scheduled run could not be delivered or failed every retry; it waits in the dead-letter queue.", cloudwatch.Alarm{
		Namespace:          cloudformation.String("AWS/SQS"),
		MetricName:         cloudformation.String("ApproximateNumberOfMessagesVisible"),
		Dimensions:         []cloudwatch.Alarm_Dimension{{Name: "QueueName", Value: cloudformation.GetAtt(queue, "QueueName")}},
		Statistic:          cloudformation.String("Maximum"),
		Period:             cloudformation.Int(300),
		EvaluationPeriods:  1,
		Threshold:          cloudformation.Float64(1),
		ComparisonOperator: "GreaterThanOrEqualToThreshold",
		TreatMissingData:   cloudformation.String("notBreaching"),
	}), "tells the topic when a run lands in "+queue)
}

// checkAlarmActions refuses alarms that would fire without telling anyone.
func checkAlarmActions(stack string, tree *templates.Map) []templates.Finding {
	var out []templates.Finding
	for _, alarm := range templates.ResourcesOfType(tree, "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm") {
		if len(templates.ListAt(alarm.Properties, "AlarmActions")) == 0 {
			out = append(out, templates.Finding{Stack: stack, LogicalID: alarm.ID, Path: "Properties.AlarmActions",
				Message: fmt.Sprintf("alarm %s has no AlarmActions, so nobody hears when it fires: add the SNS topic (stacks.Alarm does)", alarm.ID)})
		}
	}
	return out
}
