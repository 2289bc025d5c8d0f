package stacks

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/stacks/blocks"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// What StackDeployRole, the role CloudFormation assumes to change the stacks
// templates-pipeline deploys, may do: for each resource type the deployed
// stacks declare, the exact actions CloudFormation calls to create, update
// and delete it, on the ARNs of that stack's own resources. CloudFormation
// names a resource STACK-LogicalId-SUFFIX, so a stack deployed as
// PREFIX-NAME owns PREFIX-NAME-*; when a generated name would pass a
// service's length limit CloudFormation shortens it, and the deploy is then
// refused (it fails closed) until the prefix is shortened. Where a service
// names its resources by id (security groups, DHCP options, hosted zones,
// cache clusters), the ARN is the service's resource type in this account
// and region.

// stackScope is written {stack} in ARN texts: the deployed stack's name.
const stackScope = "{stack}"

// typeRights says what CloudFormation needs to manage one resource type.
type typeRights struct {
	actions []string // on resources
	arns    []string // ARN !Sub texts; {stack} is the deployed stack's name
	// unscoped actions support no resource-level permissions; each must be
	// in blocks' unscopedActions.
	unscoped []string
	// passTo are the services the type hands a role of the stack to.
	passTo []string
	// boundedIAM marks IAM roles: created and changed only with the
	// permissions boundary.
	boundedIAM bool
	// accountCondition scopes ARNs that name no account (S3) to this one.
	accountCondition bool
	extra            []blocks.Statement
}

func regional(service, resource string) string {
	return "arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + resource
}

var (
	stackRoles     = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + stackScope + "-*"
	stackFunctions = regional("lambda", "function:"+stackScope+"-*")
	stackTopics    = regional("sns", stackScope+"-*")
	stackQueues    = regional("sqs", stackScope+"-*")
)

var tagActions = func(service string) []string {
	return []string{service + ":TagResource", service + ":UntagResource", service + ":ListTagsForResource"}
}

// deployRights maps each resource type the catalogue deploys to its rights,
// built on first use: only templates-pipeline's render reads it.
var deployRights = sync.OnceValue(func() map[string]typeRights {
	return map[string]typeRights{
		"AWS::IAM::Role": {boundedIAM: true, arns: []string{stackRoles}, actions: []string{
			"iam:DeleteRole", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies",
			"iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription",
		}},
		"AWS::Lambda::Function": {arns: []string{stackFunctions}, passTo: []string{"lambda.amazonaws.com"}, actions: append([]string{
			"lambda:CreateFunction", "lambda:DeleteFunction", "lambda:DeleteFunctionConcurrency", "lambda:GetFunction",
			"lambda:GetFunctionConfiguration", "lambda:GetFunctionConcurrency", "lambda:GetRuntimeManagementConfig",
			"lambda:PutFunctionConcurrency", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
		}, "lambda:TagResource", "lambda:UntagResource", "lambda:ListTags")},
		"AWS::Lambda::Permission": {arns: []string{stackFunctions}, actions: []string{"lambda:AddPermission", "lambda:GetPolicy", "lambda:RemovePermission"}},
		"AWS::Lambda::EventInvokeConfig": {arns: []string{stackFunctions}, actions: []string{
			"lambda:DeleteFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig",
			"lambda:PutFunctionEventInvokeConfig", "lambda:UpdateFunctionEventInvokeConfig",
		}},
		"AWS::Logs::LogGroup": {
			arns: []string{
				regional("logs", "log-group:/aws/lambda/"+stackScope+"/*"),
				regional("logs", "log-group:/aws/codebuild/"+stackScope+"/*"),
				regional("logs", "log-group:/aws/http-api/"+stackScope+"/*"),
			},
			actions: append([]string{"logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:PutRetentionPolicy"},
				tagActions("logs")...),
			unscoped: []string{"logs:DescribeLogGroups"},
		},
		"AWS::Events::Rule": {arns: []string{regional("events", "rule/"+stackScope+"-*")}, passTo: []string{"events.amazonaws.com"},
			actions: append([]string{
				"events:DeleteRule", "events:DescribeRule", "events:DisableRule", "events:EnableRule",
				"events:ListTargetsByRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets",
			}, tagActions("events")...)},
		"AWS::CloudWatch::Alarm": {arns: []string{regional("cloudwatch", "alarm:"+stackScope+"-*")},
			actions:  append([]string{"cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm"}, tagActions("cloudwatch")...),
			unscoped: []string{"cloudwatch:DescribeAlarms"}},
		"AWS::SNS::Topic": {arns: []string{stackTopics}, actions: append([]string{
			"sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes",
		}, tagActions("sns")...)},
		"AWS::SNS::Subscription": {arns: []string{stackTopics}, actions: []string{
			"sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:SetSubscriptionAttributes", "sns:Subscribe", "sns:Unsubscribe",
		}},
		"AWS::SNS::TopicPolicy": {arns: []string{stackTopics}, actions: []string{"sns:GetTopicAttributes", "sns:SetTopicAttributes"}},
		"AWS::SQS::Queue": {arns: []string{stackQueues}, actions: []string{
			"sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:ListQueueTags", "sqs:SetQueueAttributes",
			"sqs:TagQueue", "sqs:UntagQueue",
		}},
		"AWS::SQS::QueuePolicy": {arns: []string{stackQueues}, actions: []string{"sqs:GetQueueAttributes", "sqs:SetQueueAttributes"}},
		"AWS::S3::Bucket": {arns: []string{"arn:${AWS::Partition}:s3:::" + stackScope + "-*"}, accountCondition: true, actions: []string{
			"s3:CreateBucket", "s3:DeleteBucket", "s3:GetBucketAcl", "s3:GetBucketLogging", "s3:GetBucketOwnershipControls",
			"s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration",
			"s3:PutBucketAcl", "s3:PutBucketLogging", "s3:PutBucketOwnershipControls", "s3:PutBucketPublicAccessBlock",
			"s3:PutBucketTagging", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration",
		}},
		"AWS::S3::BucketPolicy": {arns: []string{"arn:${AWS::Partition}:s3:::" + stackScope + "-*"}, accountCondition: true,
			actions: []string{"s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"}},
		"AWS::CodeBuild::Project": {arns: []string{regional("codebuild", "project/"+stackScope+"-*")}, passTo: []string{"codebuild.amazonaws.com"},
			actions: []string{"codebuild:BatchGetProjects", "codebuild:CreateProject", "codebuild:DeleteProject", "codebuild:UpdateProject"},
			extra:   []blocks.Statement{passConnection}},
		"AWS::CodePipeline::Pipeline": {arns: []string{regional("codepipeline", stackScope+"-*")}, passTo: []string{"codepipeline.amazonaws.com"},
			actions: append([]string{
				"codepipeline:CreatePipeline", "codepipeline:DeletePipeline", "codepipeline:GetPipeline",
				"codepipeline:GetPipelineState", "codepipeline:UpdatePipeline",
			}, tagActions("codepipeline")...),
			extra: []blocks.Statement{passConnection}},
		"AWS::EC2::SecurityGroup": {arns: []string{regional("ec2", "security-group/*"), regional("ec2", "security-group-rule/*"), regional("ec2", "vpc/*")},
			actions: []string{
				"ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ec2:CreateTags",
				"ec2:DeleteSecurityGroup", "ec2:DeleteTags", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
			},
			unscoped: []string{"ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules", "ec2:DescribeVpcs"}},
		"AWS::EC2::DHCPOptions": {arns: []string{regional("ec2", "dhcp-options/*")},
			actions:  []string{"ec2:CreateDhcpOptions", "ec2:CreateTags", "ec2:DeleteDhcpOptions", "ec2:DeleteTags"},
			unscoped: []string{"ec2:DescribeDhcpOptions"}},
		"AWS::EC2::VPCDHCPOptionsAssociation": {arns: []string{regional("ec2", "dhcp-options/*"), regional("ec2", "vpc/*")},
			actions: []string{"ec2:AssociateDhcpOptions"}, unscoped: []string{"ec2:DescribeVpcs"}},
		"AWS::ElastiCache::CacheCluster": {
			arns: []string{regional("elasticache", "cluster:*"), regional("elasticache", "subnetgroup:*"), regional("elasticache", "parametergroup:*")},
			actions: []string{
				"elasticache:AddTagsToResource", "elasticache:CreateCacheCluster", "elasticache:DeleteCacheCluster",
				"elasticache:ListTagsForResource", "elasticache:ModifyCacheCluster", "elasticache:RemoveTagsFromResource",
			},
			unscoped: []string{"elasticache:DescribeCacheClusters", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"},
			extra:    []blocks.Statement{serviceLinkedRole("elasticache.amazonaws.com")}},
		"AWS::ElastiCache::SubnetGroup": {arns: []string{regional("elasticache", "subnetgroup:*")},
			actions: []string{
				"elasticache:AddTagsToResource", "elasticache:CreateCacheSubnetGroup", "elasticache:DeleteCacheSubnetGroup",
				"elasticache:ListTagsForResource", "elasticache:ModifyCacheSubnetGroup", "elasticache:RemoveTagsFromResource",
			},
			unscoped: []string{"elasticache:DescribeCacheSubnetGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}},
		"AWS::Route53::HostedZone": {arns: []string{"arn:${AWS::Partition}:route53:::hostedzone/*", "arn:${AWS::Partition}:route53:::change/*"},
			actions: []string{
				"route53:AssociateVPCWithHostedZone", "route53:ChangeTagsForResource", "route53:DeleteHostedZone",
				"route53:DisassociateVPCFromHostedZone", "route53:GetChange", "route53:GetHostedZone",
				"route53:ListTagsForResource", "route53:UpdateHostedZoneComment",
			},
			unscoped: []string{"route53:CreateHostedZone", "route53:ListHostedZones", "ec2:DescribeVpcs"}},
		"AWS::Lambda::EventSourceMapping": {arns: []string{regional("lambda", "event-source-mapping:*")},
			actions: []string{"lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping"},
			// created with the function's ARN as its only scope (lambda:FunctionArn)
			unscoped: []string{"lambda:CreateEventSourceMapping", "lambda:GetEventSourceMapping", "lambda:ListEventSourceMappings"}},
		"AWS::DynamoDB::Table": {arns: []string{regional("dynamodb", "table/"+stackScope+"-*")},
			actions: []string{
				"dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable",
				"dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:UntagResource",
				"dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive",
			}},
		// API Gateway names APIs and their parts by generated ids: the rights
		// reach the service's APIs and domain names in this region.
		"AWS::ApiGatewayV2::Api":         apiGatewayRights("/apis", "/apis/*", "/tags/*"),
		"AWS::ApiGatewayV2::Integration": apiGatewayRights("/apis/*/integrations", "/apis/*/integrations/*"),
		"AWS::ApiGatewayV2::Route":       apiGatewayRights("/apis/*/routes", "/apis/*/routes/*"),
		"AWS::ApiGatewayV2::Stage": func() typeRights {
			r := apiGatewayRights("/apis/*/stages", "/apis/*/stages/*", "/tags/*")
			r.unscoped = []string{"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeResourcePolicies",
				"logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery"}
			return r
		}(),
		"AWS::ApiGatewayV2::DomainName": apiGatewayRights("/domainnames", "/domainnames/*", "/tags/*"),
		"AWS::ApiGatewayV2::ApiMapping": apiGatewayRights("/domainnames/*/apimappings", "/domainnames/*/apimappings/*"),
		"AWS::Route53::RecordSet": {arns: []string{"arn:${AWS::Partition}:route53:::hostedzone/*", "arn:${AWS::Partition}:route53:::change/*"},
			actions: []string{"route53:ChangeResourceRecordSets", "route53:GetChange", "route53:GetHostedZone", "route53:ListResourceRecordSets"}},
	}
})

// apiGatewayRights are API Gateway's HTTP-verb actions on the given paths
// of its resource tree in this region.
func apiGatewayRights(paths ...string) typeRights {
	arns := make([]string, len(paths))
	for i, p := range paths {
		arns[i] = "arn:${AWS::Partition}:apigateway:${AWS::Region}::" + p
	}
	return typeRights{arns: arns, actions: []string{
		"apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT",
	}}
}

// passConnection lets CloudFormation give a pipeline or project a
// CodeConnections connection of this account.
var passConnection = blocks.Allow([]string{"codeconnections:PassConnection", "codestar-connections:PassConnection"},
	cloudformation.Sub("arn:${AWS::Partition}:codeconnections:${AWS::Region}:${AWS::AccountId}:connection/*"),
	cloudformation.Sub("arn:${AWS::Partition}:codestar-connections:${AWS::Region}:${AWS::AccountId}:connection/*"))

// serviceLinkedRole lets CloudFormation create the service's linked role,
// which the service needs the first time it is used in the account.
func serviceLinkedRole(service string) blocks.Statement {
	return blocks.Allow([]string{"iam:CreateServiceLinkedRole"},
		cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/"+service+"/*")).
		When("StringEquals", "iam:AWSServiceName", service)
}

// notDeployed are the resource types the deploy role is given no rights
// for, and why: a stack declaring one is deployed with formwork deploy.
var notDeployed = map[string]string{
	"AWS::KMS::Key": "KMS names keys by generated ids, so the rights to create and change a stack's keys (kms:PutKeyPolicy " +
		"among them) would reach every key of the account; deploy a stack with an EncryptionKey with formwork deploy",
}

// deployRightsFor returns the statements CloudFormation needs to manage
// resources of the given type in the stack named by the !Sub text stack.
// boundary is the ARN (an intrinsic) every role it creates must carry.
func deployRightsFor(resourceType, stack, boundary string) ([]blocks.Statement, error) {
	if why, refused := notDeployed[resourceType]; refused {
		return nil, fmt.Errorf("templates-pipeline does not deploy %s: %s", resourceType, why)
	}
	r, ok := deployRights()[resourceType]
	if !ok {
		return nil, fmt.Errorf("no deploy rights are known for %s: add its exact actions to deployRights in stacks/deploy_rights.go", resourceType)
	}
	arns := make([]string, len(r.arns))
	for i, a := range r.arns {
		arns[i] = cloudformation.Sub(strings.ReplaceAll(a, stackScope, stack))
	}
	var out []blocks.Statement
	if r.boundedIAM {
		out = append(out, blocks.Allow([]string{
			"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
			"iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
		}, arns...).When("StringEquals", "iam:PermissionsBoundary", boundary))
	}
	grant := blocks.Allow(slices.Sorted(slices.Values(r.actions)), arns...)
	if r.accountCondition {
		grant = grant.When("StringEquals", "aws:ResourceAccount", cloudformation.Ref("AWS::AccountId"))
	}
	out = append(out, grant)
	if len(r.unscoped) > 0 {
		out = append(out, blocks.Allow(slices.Sorted(slices.Values(r.unscoped)), "*"))
	}
	return append(out, r.extra...), nil
}

// passRoles lets CloudFormation hand the stack's roles to the services its
// resource types give them to, and to no other.
func passRoles(stack string, types []string) []blocks.Statement {
	services := map[string]bool{}
	for _, typ := range types {
		for _, s := range deployRights()[typ].passTo {
			services[s] = true
		}
	}
	if len(services) == 0 {
		return nil
	}
	return []blocks.Statement{blocks.Allow([]string{"iam:PassRole"}, cloudformation.Sub(strings.ReplaceAll(stackRoles, stackScope, stack))).
		When("StringEquals", "iam:PassedToService", slices.Sorted(maps.Keys(services)))}
}
