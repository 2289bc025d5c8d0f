package blocks_test

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// A table of orders keyed by id, with an index to list a customer's orders
// by date, and a function that may only read it.
func ExampleTable() {
	t := templates.New("orders", "Keeps orders")
	orders := blocks.Table{
		ID:           "Orders",
		Comment:      "one item per order",
		PartitionKey: blocks.Key{Name: "orderId", Type: "S"},
		Indexes: []blocks.Index{{
			Name:         "byCustomer",
			PartitionKey: blocks.Key{Name: "customerId", Type: "S"},
			SortKey:      blocks.Key{Name: "createdAt", Type: "S"},
		}},
	}
	orders.Add(t)
	blocks.DeclareFunction(t, blocks.Function{
		ID:          "Report",
		Description: "Reports on a customer's orders",
		Runtime:     "python3.13",
		Handler:     "index.handler",
		Code:        blocks.InlineCode("def handler(event, context):\n    return {}\n"),
		Environment: map[string]string{"ORDERS_TABLE": cloudformation.Ref("Orders")},
		Permissions: []blocks.Statement{orders.Grant(blocks.ReadOnly)},
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
	// Description: Keeps orders
	//
	// Resources:
	//   # one item per order
	//   Orders:
	//     Type: AWS::DynamoDB::Table
	//     DeletionPolicy: Retain
	//     UpdateReplacePolicy: Retain
	//     Properties:
	//       AttributeDefinitions:
	//         - AttributeName: orderId
	//           AttributeType: S
	//         - AttributeName: customerId
	//           AttributeType: S
	//         - AttributeName: createdAt
	//           AttributeType: S
	//       BillingMode: PAY_PER_REQUEST
	//       DeletionProtectionEnabled: true
	//       GlobalSecondaryIndexes:
	//         - IndexName: byCustomer
	//           KeySchema:
	//             - AttributeName: customerId
	//               KeyType: HASH
	//             - AttributeName: createdAt
	//               KeyType: RANGE
	//           Projection:
	//             ProjectionType: ALL
	//       KeySchema:
	//         - AttributeName: orderId
	//           KeyType: HASH
	//       PointInTimeRecoverySpecification:
	//         PointInTimeRecoveryEnabled: true
	//       SSESpecification:
	//         SSEEnabled: true
	//
	//   # what Report prints, kept 30 days; transient, deleted with the stack
	//   ReportLogs:
	//     Type: AWS::Logs::LogGroup
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
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
	//               - Sid: ReadOrders
	//                 Effect: Allow
	//                 Action:
	//                   - dynamodb:GetItem
	//                   - dynamodb:BatchGetItem
	//                   - dynamodb:Query
	//                   - dynamodb:Scan
	//                   - dynamodb:ConditionCheckItem
	//                   - dynamodb:DescribeTable
	//                 Resource:
	//                   - !GetAtt Orders.Arn
	//                   - !Sub ${Orders.Arn}/index/*
	//           PolicyName: Report
	//
	//   # Reports on a customer's orders
	//   Report:
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Code:
	//         ZipFile: |
	//           def handler(event, context):
	//               return {}
	//       Description: Reports on a customer's orders
	//       Environment:
	//         Variables:
	//           ORDERS_TABLE: !Ref Orders
	//       Handler: index.handler
	//       LoggingConfig:
	//         LogGroup: !Ref ReportLogs
	//       Role: !GetAtt ReportRole.Arn
	//       Runtime: python3.13
}
