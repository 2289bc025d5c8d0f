package stacks

import (
	_ "embed"

	"github.com/formwork-dev/formwork/stacks/blocks"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/formwork-dev/formwork/templates"
)

// AccessPointMonitor is the access-point-monitor stack. It has no options:
// everything that differs per deployment is a parameter.
type AccessPointMonitor struct{}

// Stack is the access-point-monitor stack.
func (AccessPointMonitor) Stack() templates.Stack {
	return templates.Stack{
		Name:        "access-point-monitor",
		Description: "Checks on a schedule whether a community mesh access point is online and mails an alert when it is not",
		Build:       buildAccessPointMonitor,
	}
}

// accessPointMonitorSource is the checker, deployed inline through !Sub.
//
//go:embed assets/access_point_monitor.py
var accessPointMonitorSource string

func buildAccessPointMonitor(t *templates.Template) {
	accessPointMonitorParameters(t)
	blocks.Topic{ID: "AlertTopic", DisplayName: "Access point monitor", EmailParameter: "NotificationEmail"}.Add(t)
	blocks.Function{
		ID:          "CheckProgram",
		Description: "Polls the mesh nodes API and publishes whether the access point is online",
		Runtime:     "python3.13",
		Handler:     "index.handler",
		Arm64:       true,
		Code:        blocks.InlineCodeSub(accessPointMonitorSource),
		MemorySize:  128,
		Timeout:     30,
		Permissions: []blocks.Statement{publishOnlineMetric()},
	}.Add(t)
	blocks.Schedule{
		ID:          "CheckSchedule",
		Expression:  cloudformation.Sub("rate(${CheckRateMinutes} minutes)"),
		Description: "Runs the access point check",
		AlertTopic:  "AlertTopic",
		Function:    "CheckProgram",
	}.Add(t)
	t.Resource("OfflineAlarm", blocks.Alarm("AlertTopic",
		cloudformation.Sub("${AccessPointName} is offline, or its checks stopped arriving."), cloudwatch.Alarm{
			Namespace:          cloudformation.String(cloudformation.Ref("MetricNamespace")),
			MetricName:         cloudformation.String("Online"),
			Dimensions:         []cloudwatch.Alarm_Dimension{{Name: "AccessPoint", Value: cloudformation.Ref("AccessPointName")}},
			Statistic:          cloudformation.String("Minimum"),
			Period:             cloudformation.Int(60),
			EvaluationPeriods:  2,
			DatapointsToAlarm:  cloudformation.Int(2),
			Threshold:          cloudformation.Float64(1),
			ComparisonOperator: "LessThanThreshold",
			TreatMissingData:   cloudformation.String("breaching"),
		}), "fires when the access point is offline for two minutes, or when readings stop")
	blocks.OutputRef{ID: "CheckFunction", Resource: "CheckProgram", Description: "The checker; invoke it to test the set-up"}.Add(t)
	blocks.OutputRef{ID: "AlertTopicArn", Resource: "AlertTopic", Description: "Topic the alerts go to; subscribe more endpoints here"}.Add(t)
	blocks.BoundRoles(t) // templates-pipeline deploys it
}

func accessPointMonitorParameters(t *templates.Template) {
	t.Parameter("NodesApiUrl", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("HTTPS URL of the mesh network's nodes list (meshviewer.json or nodes.json)"),
		AllowedPattern:        cloudformation.String(`^https://[^"'\\\s\x00-\x1f` + "`" + `]+$`),
		ConstraintDescription: cloudformation.String("must be an https:// URL without quotes, backslashes, spaces or control characters"),
		MaxLength:             cloudformation.Int(512),
	})
	t.Parameter("AccessPointName", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("Node name (hostname) of the access point, exactly as the nodes list shows it"),
		AllowedPattern:        cloudformation.String(blocks.SafeTextPattern),
		ConstraintDescription: cloudformation.String("must be 1 to 64 characters on one line, without quotes or backslashes"),
		MinLength:             cloudformation.Int(1),
		MaxLength:             cloudformation.Int(64),
	})
	t.Parameter("CheckRateMinutes", cloudformation.Parameter{
		Type:                  "Number",
		Description:           cloudformation.String("Minutes between two checks"),
		Default:               5,
		MinValue:              cloudformation.Float64(2),
		MaxValue:              cloudformation.Float64(60),
		ConstraintDescription: cloudformation.String("must be 2 to 60 minutes (EventBridge spells one minute rate(1 minute), which this stack does not generate)"),
	})
	t.Parameter("MetricNamespace", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("CloudWatch namespace of the Online metric"),
		Default:               "CommunityMesh",
		AllowedPattern:        cloudformation.String(`^[A-Za-z0-9._/#:-]+$`),
		ConstraintDescription: cloudformation.String("must be letters, digits and . _ / # : -"),
		MaxLength:             cloudformation.Int(255),
	})
	t.Parameter("NotificationEmail", blocks.EmailParameter("Address that is told when the access point goes offline."))
	t.ParameterGroup("Access point", "NodesApiUrl", "AccessPointName")
	t.ParameterGroup("Checking", "CheckRateMinutes", "MetricNamespace")
	t.ParameterGroup("Notification", "NotificationEmail")
}

// publishOnlineMetric lets the checker publish metrics in MetricNamespace
// only. PutMetricData has no resource ARN, so the namespace condition is
// what scopes it.
func publishOnlineMetric() blocks.Statement {
	s := blocks.Allow([]string{"cloudwatch:PutMetricData"}, "*").
		When("StringEquals", "cloudwatch:namespace", cloudformation.Ref("MetricNamespace"))
	s.Sid = "PublishToOwnNamespace"
	return s
}
