package stacks

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/stacks/blocks"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// serviceRights says what CloudFormation needs to manage one service's
// resources in a stack deployed by templates-pipeline.
type serviceRights struct {
	prefix string // IAM action prefix, e.g. "lambda"
	// resources scope prefix:* ("" = this account and region).
	resources []string
	// unscoped are actions that do not support resource-level permissions.
	unscoped []string
	// extra statements, e.g. passing a connection.
	extra []blocks.Statement
}

// deployRights maps the service part of a resource type (AWS::S3::Bucket →
// S3) to the rights CloudFormation needs for it. IAM roles and S3 buckets,
// whose generated names start with the stack name, are limited to the
// StackNamePrefix.
var deployRights = map[string]serviceRights{
	"S3":                 {prefix: "s3", resources: []string{cloudformation.Sub("arn:${AWS::Partition}:s3:::${StackNamePrefix}-*")}},
	"IAM":                {prefix: "iam", resources: []string{cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${StackNamePrefix}-*")}},
	"Logs":               {prefix: "logs", unscoped: []string{"logs:DescribeLogGroups"}},
	"CodeBuild":          {prefix: "codebuild", extra: []blocks.Statement{passConnection}},
	"CodePipeline":       {prefix: "codepipeline", extra: []blocks.Statement{passConnection}},
	"Lambda":             {prefix: "lambda"},
	"Events":             {prefix: "events"},
	"Scheduler":          {prefix: "scheduler"},
	"CloudWatch":         {prefix: "cloudwatch", unscoped: []string{"cloudwatch:DescribeAlarms"}},
	"SNS":                {prefix: "sns"},
	"SQS":                {prefix: "sqs"},
	"SSM":                {prefix: "ssm"},
	"SecretsManager":     {prefix: "secretsmanager", unscoped: []string{"secretsmanager:GetRandomPassword"}},
	"EC2":                {prefix: "ec2", unscoped: []string{"ec2:Describe*"}},
	"ElastiCache":        {prefix: "elasticache", unscoped: []string{"elasticache:Describe*"}},
	"Route53":            {prefix: "route53", resources: []string{cloudformation.Sub("arn:${AWS::Partition}:route53:::*")}, unscoped: []string{"route53:CreateHostedZone", "route53:Get*", "route53:List*"}},
	"CloudFront":         {prefix: "cloudfront", resources: []string{cloudformation.Sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:*")}, unscoped: []string{"cloudfront:CreateOriginAccessControl", "cloudfront:List*"}},
	"CertificateManager": {prefix: "acm", unscoped: []string{"acm:RequestCertificate", "acm:ListCertificates"}},
}

// passConnection lets CloudFormation give a pipeline or project a
// CodeConnections connection of this account.
var passConnection = blocks.Allow([]string{"codeconnections:PassConnection", "codestar-connections:PassConnection"},
	cloudformation.Sub("arn:${AWS::Partition}:codeconnections:${AWS::Region}:${AWS::AccountId}:connection/*"),
	cloudformation.Sub("arn:${AWS::Partition}:codestar-connections:${AWS::Region}:${AWS::AccountId}:connection/*"))

// deployRightsFor returns the statements CloudFormation needs to manage
// resources of the given type.
func deployRightsFor(resourceType string) ([]blocks.Statement, error) {
	parts := strings.Split(resourceType, "::")
	if len(parts) != 3 || parts[0] != "AWS" {
		return nil, fmt.Errorf("resource type %q is not AWS::SERVICE::TYPE", resourceType)
	}
	r, ok := deployRights[parts[1]]
	if !ok {
		return nil, fmt.Errorf("no deploy rights are known for %s: add the service %q to deployRights in stacks/deploy_rights.go", resourceType, parts[1])
	}
	resources := r.resources
	if len(resources) == 0 {
		resources = []string{cloudformation.Sub("arn:${AWS::Partition}:" + r.prefix + ":${AWS::Region}:${AWS::AccountId}:*")}
	}
	out := []blocks.Statement{blocks.Allow([]string{r.prefix + ":*"}, resources...)}
	if len(r.unscoped) > 0 {
		out = append(out, blocks.Allow(r.unscoped, "*"))
	}
	return append(out, r.extra...), nil
}
