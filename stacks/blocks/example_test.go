package blocks_test

import (
	"fmt"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// A private bucket: public access blocked, encrypted, owner-enforced, its
// objects expired after 90 days, and a policy refusing requests without TLS.
func ExamplePrivateBucket() {
	t := templates.New("exports", "Nightly order exports")
	blocks.PrivateBucket{ID: "Exports", Comment: "nightly order exports", ExpireAfterDays: 90}.Add(t)
	body, err := templates.Render(t, templates.YAML)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(body))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Nightly order exports
	//
	// Resources:
	//   # nightly order exports
	//   Exports:
	//     Type: AWS::S3::Bucket
	//     Properties:
	//       BucketEncryption:
	//         ServerSideEncryptionConfiguration:
	//           - ServerSideEncryptionByDefault:
	//               SSEAlgorithm: AES256
	//       LifecycleConfiguration:
	//         Rules:
	//           - AbortIncompleteMultipartUpload:
	//               DaysAfterInitiation: 7
	//             Id: AbortIncompleteUploads
	//             Status: Enabled
	//           - ExpirationInDays: 90
	//             Id: ExpireOldObjects
	//             Status: Enabled
	//       OwnershipControls:
	//         Rules:
	//           - ObjectOwnership: BucketOwnerEnforced
	//       PublicAccessBlockConfiguration:
	//         BlockPublicAcls: true
	//         BlockPublicPolicy: true
	//         IgnorePublicAcls: true
	//         RestrictPublicBuckets: true
	//
	//   ExportsPolicy:
	//     Type: AWS::S3::BucketPolicy
	//     Properties:
	//       Bucket: !Ref Exports
	//       PolicyDocument:
	//         Version: "2012-10-17"
	//         Statement:
	//           - Sid: DenyInsecureTransport
	//             Effect: Deny
	//             Principal:
	//               AWS: "*"
	//             Action:
	//               - s3:*
	//             Resource:
	//               - !GetAtt Exports.Arn
	//               - !Sub ${Exports.Arn}/*
	//             Condition:
	//               Bool:
	//                 aws:SecureTransport: "false"
}

// A Lambda function run on a schedule: its log group with retention, a role
// that may write only there, the rule, the permission for exactly that rule,
// and an alarm on its errors mailed through an alert topic.
func ExampleScheduleFunction() {
	t := templates.New("nightly-report", "Mails a report every night")
	t.Parameter("NotificationEmail", blocks.EmailParameter("Where failures are mailed."))
	blocks.AlertTopic(t, "AlertTopic", "Nightly report", "NotificationEmail")
	blocks.DeclareFunction(t, blocks.Function{
		ID:          "Report",
		Description: "Builds the nightly report",
		Runtime:     "python3.13",
		Handler:     "index.handler",
		Arm64:       true,
		Code:        blocks.InlineCode("def handler(event, context):\n    return \"${AWS::StackName}\"\n"),
		MemorySize:  128,
		Timeout:     30,
	})
	blocks.ScheduleFunction(t, blocks.Schedule{
		ID:          "Nightly",
		Expression:  "cron(0 2 * * ? *)",
		Description: "Runs Report at 02:00 UTC",
		AlertTopic:  "AlertTopic",
	}, "Report")
	body, err := templates.Render(t, templates.YAML)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(body))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Mails a report every night
	//
	// Parameters:
	//   NotificationEmail:
	//     Type: String
	//     Description: Where failures are mailed. SNS asks it to confirm the subscription first.
	//     AllowedPattern: ^[^@\s]+@[^@\s]+\.[^@\s]+$
	//     ConstraintDescription: must be one e-mail address, like ops@example.org
	//     MaxLength: 254
	//
	// Resources:
	//   # where alarms and failures are announced
	//   AlertTopic:
	//     Type: AWS::SNS::Topic
	//     Properties:
	//       DisplayName: Nightly report
	//
	//   # mails every announcement to NotificationEmail
	//   AlertTopicEmail:
	//     Type: AWS::SNS::Subscription
	//     Properties:
	//       Endpoint: !Ref NotificationEmail
	//       Protocol: email
	//       TopicArn: !Ref AlertTopic
	//
	//   # what Report prints
	//   ReportLogs:
	//     Type: AWS::Logs::LogGroup
	//     Properties:
	//       LogGroupName: !Sub /aws/lambda/${AWS::StackName}/Report
	//       RetentionInDays: 30
	//
	//   # what Report may do
	//   ReportRole:
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
	//                   - !GetAtt ReportLogs.Arn
	//           PolicyName: Report
	//
	//   # Builds the nightly report
	//   Report:
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Architectures:
	//         - arm64
	//       Code:
	//         ZipFile: !Sub |
	//           def handler(event, context):
	//               return "${AWS::StackName}"
	//       Description: Builds the nightly report
	//       Handler: index.handler
	//       LoggingConfig:
	//         LogGroup: !Ref ReportLogs
	//       MemorySize: 128
	//       Role: !GetAtt ReportRole.Arn
	//       Runtime: python3.13
	//       Timeout: 30
	//
	//   # starts Report on the schedule
	//   Nightly:
	//     Type: AWS::Events::Rule
	//     Properties:
	//       Description: Runs Report at 02:00 UTC
	//       ScheduleExpression: cron(0 2 * * ? *)
	//       State: ENABLED
	//       Targets:
	//         - Arn: !GetAtt Report.Arn
	//           Id: Report
	//
	//   # lets only Nightly invoke Report
	//   NightlyPermission:
	//     Type: AWS::Lambda::Permission
	//     Properties:
	//       Action: lambda:InvokeFunction
	//       FunctionName: !Ref Report
	//       Principal: events.amazonaws.com
	//       SourceArn: !GetAtt Nightly.Arn
	//
	//   # tells the topic when Report fails
	//   ReportErrorsAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref AlertTopic
	//       AlarmDescription: The scheduled function failed. Its log group says why.
	//       ComparisonOperator: GreaterThanOrEqualToThreshold
	//       Dimensions:
	//         - Name: FunctionName
	//           Value: !Ref Report
	//       EvaluationPeriods: 1
	//       MetricName: Errors
	//       Namespace: AWS/Lambda
	//       OKActions:
	//         - !Ref AlertTopic
	//       Period: 300
	//       Statistic: Sum
	//       Threshold: 1
	//       TreatMissingData: notBreaching
}
