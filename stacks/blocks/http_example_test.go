package blocks_test

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// A function behind an HTTP API under its own domain, two routes, callers
// signing with IAM.
func ExampleHTTPFunction() {
	t := templates.New("greeter", "Says hello")
	t.Parameter("NotificationEmail", blocks.EmailParameter("Who hears about errors."))
	t.Parameter("HostedZoneId", cloudformation.Parameter{Type: "AWS::Route53::HostedZone::Id", Description: cloudformation.String("Public zone of the domain")})
	blocks.AlertTopic(t, "Alerts", "Greeter", "NotificationEmail")
	blocks.HTTPFunction{
		ID:      "Api",
		Comment: "the greeter's HTTP API",
		Handler: blocks.Function{
			ID:          "Greet",
			Description: "Answers with a greeting",
			Runtime:     "python3.13",
			Handler:     "index.handler",
			Code:        blocks.InlineCode("def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"hello\"}\n"),
			Timeout:     5,
		},
		Routes:     []string{"GET /hello", "GET /hello/{name}"},
		Domain:     &blocks.Domain{Name: "greeter.example.com", HostedZoneID: cloudformation.Ref("HostedZoneId")},
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
	// Description: Says hello
	//
	// Parameters:
	//   NotificationEmail:
	//     Type: String
	//     Description: Who hears about errors. SNS asks it to confirm the subscription first.
	//     AllowedPattern: ^[^@\s]+@[^@\s]+\.[^@\s]+$
	//     ConstraintDescription: must be one e-mail address, like ops@example.org
	//     MaxLength: 254
	//
	//   HostedZoneId:
	//     Type: AWS::Route53::HostedZone::Id
	//     Description: Public zone of the domain
	//
	// Resources:
	//   # where alarms and failures are announced
	//   Alerts:
	//     Type: AWS::SNS::Topic
	//     Properties:
	//       DisplayName: Greeter
	//
	//   # mails every announcement to NotificationEmail
	//   AlertsEmail:
	//     Type: AWS::SNS::Subscription
	//     Properties:
	//       Endpoint: !Ref NotificationEmail
	//       Protocol: email
	//       TopicArn: !Ref Alerts
	//
	//   # what Greet prints, kept 30 days; transient, deleted with the stack
	//   GreetLogs:
	//     Type: AWS::Logs::LogGroup
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       LogGroupName: !Sub /aws/lambda/${AWS::StackName}/Greet
	//       RetentionInDays: 30
	//
	//   # what Greet may do
	//   GreetRole:
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
	//                   - !GetAtt GreetLogs.Arn
	//           PolicyName: Greet
	//
	//   # Answers with a greeting
	//   Greet:
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Code:
	//         ZipFile: |
	//           def handler(event, context):
	//               return {"statusCode": 200, "body": "hello"}
	//       Description: Answers with a greeting
	//       Handler: index.handler
	//       LoggingConfig:
	//         LogGroup: !Ref GreetLogs
	//       Role: !GetAtt GreetRole.Arn
	//       Runtime: python3.13
	//       Timeout: 5
	//
	//   # the greeter's HTTP API
	//   Api:
	//     Type: AWS::ApiGatewayV2::Api
	//     Properties:
	//       DisableExecuteApiEndpoint: true
	//       Name: !Sub ${AWS::StackName}-Api
	//       ProtocolType: HTTP
	//
	//   # hands every request to Greet
	//   ApiIntegration:
	//     Type: AWS::ApiGatewayV2::Integration
	//     Properties:
	//       ApiId: !Ref Api
	//       IntegrationType: AWS_PROXY
	//       IntegrationUri: !GetAtt Greet.Arn
	//       PayloadFormatVersion: "2.0"
	//
	//   # GET /hello, from callers signed with IAM
	//   ApiRouteGetHello:
	//     Type: AWS::ApiGatewayV2::Route
	//     Properties:
	//       ApiId: !Ref Api
	//       AuthorizationType: AWS_IAM
	//       RouteKey: GET /hello
	//       Target: !Sub integrations/${ApiIntegration}
	//
	//   # GET /hello/{name}, from callers signed with IAM
	//   ApiRouteGetHelloName:
	//     Type: AWS::ApiGatewayV2::Route
	//     Properties:
	//       ApiId: !Ref Api
	//       AuthorizationType: AWS_IAM
	//       RouteKey: GET /hello/{name}
	//       Target: !Sub integrations/${ApiIntegration}
	//
	//   # one line per request to Api, kept 30 days; transient, deleted with the stack
	//   ApiAccessLogs:
	//     Type: AWS::Logs::LogGroup
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       LogGroupName: !Sub /aws/http-api/${AWS::StackName}/Api
	//       RetentionInDays: 30
	//
	//   # serves the routes, throttled, and logs every request
	//   ApiStage:
	//     Type: AWS::ApiGatewayV2::Stage
	//     Properties:
	//       AccessLogSettings:
	//         DestinationArn: !GetAtt ApiAccessLogs.Arn
	//         Format: "{\"requestId\":\"$context.requestId\",\"time\":\"$context.requestTime\",\"ip\":\"$context.identity.sourceIp\",\"caller\":\"$context.identity.userArn\",\"method\":\"$context.httpMethod\",\"route\":\"$context.routeKey\",\"status\":\"$context.status\",\"latencyMs\":\"$context.responseLatency\",\"bytes\":\"$context.responseLength\",\"integrationError\":\"$context.integrationErrorMessage\"}"
	//       ApiId: !Ref Api
	//       AutoDeploy: true
	//       DefaultRouteSettings:
	//         ThrottlingBurstLimit: 100
	//         ThrottlingRateLimit: 50
	//       StageName: $default
	//
	//   # lets only Api invoke Greet
	//   ApiPermission:
	//     Type: AWS::Lambda::Permission
	//     Properties:
	//       Action: lambda:InvokeFunction
	//       FunctionName: !Ref Greet
	//       Principal: apigateway.amazonaws.com
	//       SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*
	//
	//   # TLS certificate for Api's domain, validated through DNS
	//   ApiCertificate:
	//     Type: AWS::CertificateManager::Certificate
	//     Properties:
	//       DomainName: greeter.example.com
	//       DomainValidationOptions:
	//         - DomainName: greeter.example.com
	//           HostedZoneId: !Ref HostedZoneId
	//       ValidationMethod: DNS
	//
	//   # the name callers use; the execute-api endpoint is off
	//   ApiDomain:
	//     Type: AWS::ApiGatewayV2::DomainName
	//     Properties:
	//       DomainName: greeter.example.com
	//       DomainNameConfigurations:
	//         - CertificateArn: !Ref ApiCertificate
	//           EndpointType: REGIONAL
	//           SecurityPolicy: TLS_1_2
	//
	//   # serves the stage at the domain's root
	//   ApiMapping:
	//     Type: AWS::ApiGatewayV2::ApiMapping
	//     Properties:
	//       ApiId: !Ref Api
	//       DomainName: !Ref ApiDomain
	//       Stage: !Ref ApiStage
	//
	//   # points the domain at Api
	//   ApiRecord:
	//     Type: AWS::Route53::RecordSet
	//     Properties:
	//       AliasTarget:
	//         DNSName: !GetAtt ApiDomain.RegionalDomainName
	//         HostedZoneId: !GetAtt ApiDomain.RegionalHostedZoneId
	//       HostedZoneId: !Ref HostedZoneId
	//       Name: greeter.example.com
	//       Type: A
	//
	//   # tells the topic when Api fails requests
	//   ApiServerErrorsAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref Alerts
	//       AlarmDescription: "Api answered 5 or more requests with a 5xx in five minutes: Greet fails or times out. Its log group says why."
	//       ComparisonOperator: GreaterThanOrEqualToThreshold
	//       Dimensions:
	//         - Name: ApiId
	//           Value: !Ref Api
	//       EvaluationPeriods: 1
	//       MetricName: 5xx
	//       Namespace: AWS/ApiGateway
	//       OKActions:
	//         - !Ref Alerts
	//       Period: 300
	//       Statistic: Sum
	//       Threshold: 5
	//       TreatMissingData: notBreaching
	//
	//   # tells the topic when Api is slow
	//   ApiLatencyAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref Alerts
	//       AlarmDescription: "One request in twenty to Api has taken over 1000 ms for fifteen minutes: Greet is slow, or what it calls is."
	//       ComparisonOperator: GreaterThanThreshold
	//       DatapointsToAlarm: 3
	//       Dimensions:
	//         - Name: ApiId
	//           Value: !Ref Api
	//       EvaluationPeriods: 3
	//       ExtendedStatistic: p95
	//       MetricName: Latency
	//       Namespace: AWS/ApiGateway
	//       OKActions:
	//         - !Ref Alerts
	//       Period: 300
	//       Threshold: 1000
	//       TreatMissingData: notBreaching
	//
	// Outputs:
	//   ApiUrl:
	//     Value: !Sub https://${ApiDomain}
	//     Description: Base URL of Api
}

// The same function behind its own URL, with a cap on how many copies run.
func ExampleHTTPFunction_functionURL() {
	t := templates.New("greeter", "Says hello")
	t.Parameter("NotificationEmail", blocks.EmailParameter("Who hears about errors."))
	blocks.AlertTopic(t, "Alerts", "Greeter", "NotificationEmail")
	blocks.HTTPFunction{
		ID:        "GreetUrl",
		Comment:   "the greeter's URL; callers sign with IAM",
		FrontDoor: blocks.FunctionURL,
		Handler: blocks.Function{
			ID:                  "Greet",
			Description:         "Answers with a greeting",
			Runtime:             "python3.13",
			Handler:             "index.handler",
			Code:                blocks.InlineCode("def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"hello\"}\n"),
			ReservedConcurrency: 5,
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
	// Description: Says hello
	//
	// Parameters:
	//   NotificationEmail:
	//     Type: String
	//     Description: Who hears about errors. SNS asks it to confirm the subscription first.
	//     AllowedPattern: ^[^@\s]+@[^@\s]+\.[^@\s]+$
	//     ConstraintDescription: must be one e-mail address, like ops@example.org
	//     MaxLength: 254
	//
	// Resources:
	//   # where alarms and failures are announced
	//   Alerts:
	//     Type: AWS::SNS::Topic
	//     Properties:
	//       DisplayName: Greeter
	//
	//   # mails every announcement to NotificationEmail
	//   AlertsEmail:
	//     Type: AWS::SNS::Subscription
	//     Properties:
	//       Endpoint: !Ref NotificationEmail
	//       Protocol: email
	//       TopicArn: !Ref Alerts
	//
	//   # what Greet prints, kept 30 days; transient, deleted with the stack
	//   GreetLogs:
	//     Type: AWS::Logs::LogGroup
	//     DeletionPolicy: Delete
	//     UpdateReplacePolicy: Delete
	//     Properties:
	//       LogGroupName: !Sub /aws/lambda/${AWS::StackName}/Greet
	//       RetentionInDays: 30
	//
	//   # what Greet may do
	//   GreetRole:
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
	//                   - !GetAtt GreetLogs.Arn
	//           PolicyName: Greet
	//
	//   # Answers with a greeting
	//   Greet:
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Code:
	//         ZipFile: |
	//           def handler(event, context):
	//               return {"statusCode": 200, "body": "hello"}
	//       Description: Answers with a greeting
	//       Handler: index.handler
	//       LoggingConfig:
	//         LogGroup: !Ref GreetLogs
	//       ReservedConcurrentExecutions: 5
	//       Role: !GetAtt GreetRole.Arn
	//       Runtime: python3.13
	//
	//   # the greeter's URL; callers sign with IAM
	//   GreetUrl:
	//     Type: AWS::Lambda::Url
	//     Properties:
	//       AuthType: AWS_IAM
	//       TargetFunctionArn: !GetAtt Greet.Arn
	//
	//   # tells the topic when GreetUrl fails requests
	//   GreetUrlServerErrorsAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref Alerts
	//       AlarmDescription: "GreetUrl answered 5 or more requests with a 5xx in five minutes: Greet fails or times out. Its log group says why."
	//       ComparisonOperator: GreaterThanOrEqualToThreshold
	//       Dimensions:
	//         - Name: FunctionName
	//           Value: !Ref Greet
	//       EvaluationPeriods: 1
	//       MetricName: Url5xxCount
	//       Namespace: AWS/Lambda
	//       OKActions:
	//         - !Ref Alerts
	//       Period: 300
	//       Statistic: Sum
	//       Threshold: 5
	//       TreatMissingData: notBreaching
	//
	//   # tells the topic when GreetUrl is slow
	//   GreetUrlLatencyAlarm:
	//     Type: AWS::CloudWatch::Alarm
	//     Properties:
	//       AlarmActions:
	//         - !Ref Alerts
	//       AlarmDescription: "One request in twenty to GreetUrl has taken over 1000 ms for fifteen minutes: Greet is slow, or what it calls is."
	//       ComparisonOperator: GreaterThanThreshold
	//       DatapointsToAlarm: 3
	//       Dimensions:
	//         - Name: FunctionName
	//           Value: !Ref Greet
	//       EvaluationPeriods: 3
	//       ExtendedStatistic: p95
	//       MetricName: UrlRequestLatency
	//       Namespace: AWS/Lambda
	//       OKActions:
	//         - !Ref Alerts
	//       Period: 300
	//       Threshold: 1000
	//       TreatMissingData: notBreaching
	//
	// Outputs:
	//   GreetUrlUrl:
	//     Value: !GetAtt GreetUrl.FunctionUrl
	//     Description: URL of Greet
}
