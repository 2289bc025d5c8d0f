package blocks_test

import (
	"fmt"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// A function run every night at three, its failures mailed in the team's
// words.
func ExampleScheduleFunction() {
	t := templates.New("nightly", "Exports the day's orders")
	t.Parameter("NotificationEmail", blocks.EmailParameter("Who hears about failed exports."))
	blocks.AlertTopic(t, "Alerts", "Nightly export", "NotificationEmail")
	blocks.DeclareFunction(t, blocks.Function{
		ID:          "Export",
		Description: "Exports the day's orders",
		Runtime:     "python3.13",
		Handler:     "index.handler",
		Code:        blocks.InlineCode("def handler(event, context):\n    print('exported')\n"),
		Timeout:     60,
	})
	blocks.ScheduleFunction(t, blocks.Schedule{
		ID:          "Nightly",
		Expression:  "cron(0 3 * * ? *)",
		Description: "Starts the export at 03:00 UTC",
		AlertTopic:  "Alerts",
		Retry:       blocks.RetryForAnHour,
		FailedText:  "The nightly export failed; yesterday's orders are not in the warehouse. Its log group says why.",
	}, "Export")
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Exports the day's orders
	//
	// Parameters:
	//   NotificationEmail:
	//     Type: String
	//     Description: Who hears about failed exports. SNS asks it to confirm the subscription first.
	//     AllowedPattern: ^[^@\s]+@[^@\s]+\.[^@\s]+$
	//     ConstraintDescription: must be one e-mail address, like ops@example.org
	//     MaxLength: 254
	//
	// Resources:
	//   # where alarms and failures are announced
	//   Alerts:
	//     Type: AWS::SNS::Topic
	//     Properties:
	//       DisplayName: Nightly export
	//
	//   # mails every announcement to NotificationEmail
	//   AlertsEmail:
	//     Type: AWS::SNS::Subscription
	//     Properties:
	//       Endpoint: !Ref NotificationEmail
	//       Protocol: email
	//       TopicArn: !Ref Alerts
	//
	//   # what Export prints, kept 30 days; transient, deleted with the stack
	//   ExportLogs:
	//     Type: AWS::Logs::LogGroup
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       LogGroupName: !Sub /aws/lambda/${AWS::StackName}/Export
	//       RetentionInDays: 30
	//
	//   # what Export may do
	//   ExportRole:
	//     Type: AWS::IAM::Role
	//     Properties:
	//       AssumeRolePolicyDocument:
	//         Version: "2012-10-17"
	//         Statement:
	//           - Effect: Allow
	//             Principal:
	//               Service: lambda.amazonaws.com
	//             Action:
	//               - sts:AssumeRole
	//       Policies:
	//         - PolicyDocument:
	//             Version: "2012-10-17"
	//             Statement:
	//               - Sid: WriteOwnLogs
	//                 Effect: Allow
	//                 Action:
	//                   - logs:CreateLogStream
	//                   - logs:PutLogEvents
	//                 Resource:
	//                   - !GetAtt ExportLogs.Arn
	//           PolicyName: Export
	//
	//   # Exports the day's orders
	//   Export:
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Code:
	//         ZipFile: |
	//           def handler(event, context):
	//               print('exported')
	//       Description: Exports the day's orders
	//       Handler: index.handler
	//       LoggingConfig:
	//         LogGroup: !Ref ExportLogs
	//       Role: !GetAtt ExportRole.Arn
	//       Runtime: python3.13
	//       Timeout: 60
	//
	//   # starts Export on the schedule
	//   Nightly:
	//     Type: AWS::Events::Rule
	//     Properties:
	//       Description: Starts the export at 03:00 UTC
	//       ScheduleExpression: cron(0 3 * * ? *)
	//       State: ENABLED
	//       Targets:
	//         - Arn: !GetAtt Export.Arn
	//           Id: Export
	//           RetryPolicy:
	//             MaximumEventAgeInSeconds: 3600
	//             MaximumRetryAttempts: 3
	//
	//   # lets only Nightly invoke Export
	//   NightlyPermission:
	//     Type: AWS::Lambda::Permission
	//     Properties:
	//       Action: lambda:InvokeFunction
	//       FunctionName: !Ref Export
	//       Principal: events.amazonaws.com
	//       SourceArn: !GetAtt Nightly.Arn
	//
	//   # tells the topic when Export fails
	//   ExportErrorsAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref Alerts
	//       AlarmDescription: The nightly export failed; yesterday's orders are not in the warehouse. Its log group says why.
	//       ComparisonOperator: GreaterThanOrEqualToThreshold
	//       Dimensions:
	//         - Name: FunctionName
	//           Value: !Ref Export
	//       EvaluationPeriods: 1
	//       MetricName: Errors
	//       Namespace: AWS/Lambda
	//       OKActions:
	//         - !Ref Alerts
	//       Period: 300
	//       Statistic: Sum
	//       Threshold: 1
	//       TreatMissingData: notBreaching
}
