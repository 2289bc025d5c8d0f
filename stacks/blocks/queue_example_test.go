package blocks_test

import (
	"fmt"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// A queue of orders worked off by a Python function, ten at a time.
func ExampleQueueConsumer() {
	t := templates.New("orders", "Fulfils orders")
	t.Parameter("NotificationEmail", blocks.EmailParameter("Who hears about stuck orders."))
	blocks.AlertTopic(t, "Alerts", "Orders", "NotificationEmail")
	blocks.QueueConsumer{
		ID:      "Orders",
		Comment: "orders waiting to be fulfilled",
		Consumer: blocks.Function{
			ID:          "Fulfil",
			Description: "Fulfils one batch of orders",
			Runtime:     "python3.13",
			Handler:     "index.handler",
			Arm64:       true,
			Code: blocks.InlineCode(`def handler(event, context):
    failed = []
    for record in event["Records"]:
        try:
            print(record["body"])
        except Exception:
            failed.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failed}
`),
			Timeout: 30,
		},
		AlertTopic: "Alerts",
	}.Add(t)
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Fulfils orders
	//
	// Parameters:
	//   NotificationEmail:
	//     Type: String
	//     Description: Who hears about stuck orders. SNS asks it to confirm the subscription first.
	//     AllowedPattern: ^[^@\s]+@[^@\s]+\.[^@\s]+$
	//     ConstraintDescription: must be one e-mail address, like ops@example.org
	//     MaxLength: 254
	//
	// Resources:
	//   # where alarms and failures are announced
	//   Alerts:
	//     Type: AWS::SNS::Topic
	//     Properties:
	//       DisplayName: Orders
	//
	//   # mails every announcement to NotificationEmail
	//   AlertsEmail:
	//     Type: AWS::SNS::Subscription
	//     Properties:
	//       Endpoint: !Ref NotificationEmail
	//       Protocol: email
	//       TopicArn: !Ref Alerts
	//
	//   # messages Orders gave up on after 5 deliveries, kept 14 days for inspection and redrive; transient: deleted with the stack, messages in flight with it
	//   OrdersDeadLetters:
	//     Type: AWS::SQS::Queue
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       MessageRetentionPeriod: 1209600
	//       SqsManagedSseEnabled: true
	//
	//   # orders waiting to be fulfilled; transient: deleted with the stack, messages in flight with it
	//   Orders:
	//     Type: AWS::SQS::Queue
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       MessageRetentionPeriod: 345600
	//       RedrivePolicy:
	//         deadLetterTargetArn: !GetAtt OrdersDeadLetters.Arn
	//         maxReceiveCount: 5
	//       SqsManagedSseEnabled: true
	//       VisibilityTimeout: 180
	//
	//   # refuses every request to both queues that is not made over TLS
	//   OrdersPolicy:
	//     Type: AWS::SQS::QueuePolicy
	//     Properties:
	//       PolicyDocument:
	//         Version: "2012-10-17"
	//         Statement:
	//           - Sid: DenyInsecureTransport
	//             Effect: Deny
	//             Principal:
	//               AWS: "*"
	//             Action:
	//               - sqs:*
	//             Resource:
	//               - !GetAtt Orders.Arn
	//               - !GetAtt OrdersDeadLetters.Arn
	//             Condition:
	//               Bool:
	//                 aws:SecureTransport: "false"
	//       Queues:
	//         - !Ref Orders
	//         - !Ref OrdersDeadLetters
	//
	//   # what Fulfil prints, kept 30 days; transient, deleted with the stack
	//   FulfilLogs:
	//     Type: AWS::Logs::LogGroup
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       LogGroupName: !Sub /aws/lambda/${AWS::StackName}/Fulfil
	//       RetentionInDays: 30
	//
	//   # what Fulfil may do
	//   FulfilRole:
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
	//                   - !GetAtt FulfilLogs.Arn
	//               - Sid: ConsumeOrders
	//                 Effect: Allow
	//                 Action:
	//                   - sqs:ReceiveMessage
	//                   - sqs:DeleteMessage
	//                   - sqs:ChangeMessageVisibility
	//                   - sqs:GetQueueAttributes
	//                 Resource:
	//                   - !GetAtt Orders.Arn
	//           PolicyName: Fulfil
	//
	//   # Fulfils one batch of orders
	//   Fulfil:
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Architectures:
	//         - arm64
	//       Code:
	//         ZipFile: |
	//           def handler(event, context):
	//               failed = []
	//               for record in event["Records"]:
	//                   try:
	//                       print(record["body"])
	//                   except Exception:
	//                       failed.append({"itemIdentifier": record["messageId"]})
	//               return {"batchItemFailures": failed}
	//       Description: Fulfils one batch of orders
	//       Handler: index.handler
	//       LoggingConfig:
	//         LogGroup: !Ref FulfilLogs
	//       Role: !GetAtt FulfilRole.Arn
	//       Runtime: python3.13
	//       Timeout: 30
	//
	//   # hands Orders to Fulfil in batches; only the messages it reports failed come back
	//   OrdersMapping:
	//     Type: AWS::Lambda::EventSourceMapping
	//     Properties:
	//       BatchSize: 10
	//       EventSourceArn: !GetAtt Orders.Arn
	//       FunctionName: !Ref Fulfil
	//       FunctionResponseTypes:
	//         - ReportBatchItemFailures
	//
	//   # tells the topic when messages in Orders wait too long
	//   OrdersAgeAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref Alerts
	//       AlarmDescription: "The oldest message in Orders has waited more than 900 seconds: Fulfil is failing, throttled or too slow. Its log group says which."
	//       ComparisonOperator: GreaterThanThreshold
	//       Dimensions:
	//         - Name: QueueName
	//           Value: !GetAtt Orders.QueueName
	//       EvaluationPeriods: 1
	//       MetricName: ApproximateAgeOfOldestMessage
	//       Namespace: AWS/SQS
	//       OKActions:
	//         - !Ref Alerts
	//       Period: 300
	//       Statistic: Maximum
	//       Threshold: 900
	//       TreatMissingData: notBreaching
	//
	//   # tells the topic when a message lands in OrdersDeadLetters
	//   OrdersDeadLettersAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref Alerts
	//       AlarmDescription: A message in Orders failed 5 deliveries to Fulfil; it waits in OrdersDeadLetters for inspection and redrive.
	//       ComparisonOperator: GreaterThanOrEqualToThreshold
	//       Dimensions:
	//         - Name: QueueName
	//           Value: !GetAtt OrdersDeadLetters.QueueName
	//       EvaluationPeriods: 1
	//       MetricName: ApproximateNumberOfMessagesVisible
	//       Namespace: AWS/SQS
	//       OKActions:
	//         - !Ref Alerts
	//       Period: 300
	//       Statistic: Maximum
	//       Threshold: 1
	//       TreatMissingData: notBreaching
}
