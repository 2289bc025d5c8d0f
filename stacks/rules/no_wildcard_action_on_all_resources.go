package rules

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var noWildcardActionOnAllResources = templates.Rule{
	ID:      "no_wildcard_action_on_all_resources",
	Summary: `Resource "*" only for actions that have no resource-level permissions, and never with NotAction`,
	Why:     `Resource "*" reaches every resource in the account; only actions IAM cannot scope (unscopedActions) may use it`,
	Check:   reported(checkStarResourceActions),
}

// unscopedActionsChecked is when unscopedActions was last compared with the
// Service Authorization Reference: review it when that is a year ago.
const unscopedActionsChecked = "2026-12-01"

// unscopedActions are the actions that support no resource-level
// permissions (the Service Authorization Reference lists no resource type
// for them), so a statement granting them must say Resource "*". Add an
// action only after checking that reference; each line says what needs it.
var unscopedActions = map[string]bool{
	"cloudwatch:PutMetricData":               true, // publishing metrics; scope with cloudwatch:namespace
	"cloudwatch:DescribeAlarms":              true, // CloudFormation reads the alarms it manages
	"logs:DescribeLogGroups":                 true, // CloudFormation reads the log groups it manages
	"ec2:DescribeNetworkInterfaces":          true, // Lambda and CodeBuild in a VPC
	"ec2:DescribeSecurityGroups":             true, // EC2 Describe* actions name no resource
	"ec2:DescribeSecurityGroupRules":         true,
	"ec2:DescribeSubnets":                    true,
	"ec2:DescribeVpcs":                       true,
	"ec2:DescribeDhcpOptions":                true,
	"ec2:DescribeTags":                       true,
	"elasticache:DescribeCacheClusters":      true, // CloudFormation waits for the cluster
	"elasticache:DescribeCacheSubnetGroups":  true,
	"route53:CreateHostedZone":               true, // a zone's id exists only once it is created
	"route53:ListHostedZones":                true,
	"cloudfront:CreateOriginAccessControl":   true, // as CreateHostedZone: no id before it exists
	"cloudfront:ListOriginAccessControls":    true,
	"cloudfront:CreateResponseHeadersPolicy": true,
	"cloudfront:ListResponseHeadersPolicies": true,
	"acm:RequestCertificate":                 true,
	"acm:ListCertificates":                   true,
	"secretsmanager:GetRandomPassword":       true,
	"sts:GetCallerIdentity":                  true,
	"codeconnections:ListConnections":        true,
	// An event source mapping is named by a UUID Lambda makes; IAM scopes
	// its creation by the lambda:FunctionArn condition, not a resource.
	"lambda:CreateEventSourceMapping": true,
	"lambda:GetEventSourceMapping":    true,
	"lambda:ListEventSourceMappings":  true,
	// Vended logs (API Gateway access logs) name no resource.
	"logs:CreateLogDelivery":        true,
	"logs:DeleteLogDelivery":        true,
	"logs:GetLogDelivery":           true,
	"logs:ListLogDeliveries":        true,
	"logs:UpdateLogDelivery":        true,
	"logs:DescribeResourcePolicies": true,
	"logs:PutResourcePolicy":        true,
}

func checkStarResourceActions(r ruleReport, tree *templates.Map) {
	for _, s := range policyStatements(tree) {
		if !s.allows() || s.kind != identityPolicy {
			continue
		}
		if _, ok := s.statement.Get("NotResource"); ok {
			r.add(s.resource, s.path+".NotResource", "Allow with NotResource grants every resource it does not list: list the resources in Resource")
		}
		if !hasString(templates.ValueAt(s.statement, "Resource"), "*") {
			continue
		}
		if _, ok := s.statement.Get("NotAction"); ok {
			r.add(s.resource, s.path+".NotAction", `Allow with NotAction on Resource "*" grants nearly everything: list the actions in Action`)
		}
		var scopable []string
		for _, a := range s.actions() {
			if !unscopedActions[a] {
				scopable = append(scopable, a)
			}
		}
		if len(scopable) > 0 {
			r.add(s.resource, s.path+".Resource",
				`Allow grants %s on Resource "*": name the resources (ARNs of this stack's resources), or, for an action that has no resource-level permissions, add it to unscopedActions in stacks/rules/no_wildcard_action_on_all_resources.go (checked %s) after checking the Service Authorization Reference`,
				strings.Join(scopable, ", "), unscopedActionsChecked)
		}
	}
}
