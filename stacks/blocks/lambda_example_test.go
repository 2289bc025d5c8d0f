package blocks_test

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// A function from a zip in S3, with its own log group and a role that may
// write those logs and read one parameter.
func ExampleDeclareFunction() {
	t := templates.New("report", "Builds the weekly report")
	blocks.DeclareFunction(t, blocks.Function{
		ID:                  "Report",
		Description:         "Builds the weekly report",
		Runtime:             "provided.al2023",
		Handler:             "bootstrap",
		Arm64:               true,
		Code:                blocks.FromS3("team-artifacts", "report/bootstrap.zip", ""),
		MemorySize:          512,
		Timeout:             120,
		ReservedConcurrency: 1,
		LogRetentionDays:    90,
		Environment:         map[string]string{"REPORT_PARAMETER": "/report/config"},
		Permissions: []blocks.Statement{blocks.Allow([]string{"ssm:GetParameter"},
			cloudformation.Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/report/config"))},
	})
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Builds the weekly report
	//
	// Resources:
	//   # what Report prints, kept 90 days; transient, deleted with the stack
	//   ReportLogs:
	//     Type: AWS::Logs::LogGroup
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       LogGroupName: !Sub /aws/lambda/${AWS::StackName}/Report
	//       RetentionInDays: 90
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
	//               - Effect: Allow
	//                 Action:
	//                   - ssm:GetParameter
	//                 Resource:
	//                   - !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/report/config
	//           PolicyName: Report
	//
	//   # Builds the weekly report
	//   Report:
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Architectures:
	//         - arm64
	//       Code:
	//         S3Bucket: team-artifacts
	//         S3Key: report/bootstrap.zip
	//       Description: Builds the weekly report
	//       Environment:
	//         Variables:
	//           REPORT_PARAMETER: /report/config
	//       Handler: bootstrap
	//       LoggingConfig:
	//         LogGroup: !Ref ReportLogs
	//       MemorySize: 512
	//       ReservedConcurrentExecutions: 1
	//       Role: !GetAtt ReportRole.Arn
	//       Runtime: provided.al2023
	//       Timeout: 120
}
