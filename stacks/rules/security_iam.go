package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

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

// policyStatement is one statement of a policy in the template.
type policyStatement struct {
	resource  string // logical id of the resource holding the policy
	path      string // path of the statement inside it
	kind      policyKind
	statement *templates.Map
}

type policyKind int

const (
	identityPolicy policyKind = iota // attached to a role, user or group
	resourcePolicy                   // on a bucket, topic, queue
	keyPolicy                        // on a KMS key: Resource "*" means the key
)

// policyStatements returns every statement of every IAM policy document
// the template declares, trust policies excepted.
func policyStatements(tree *templates.Map) []policyStatement {
	var out []policyStatement
	for _, r := range templates.Resources(tree) {
		for _, doc := range policyDocuments(r) {
			list := templates.ValueAt(doc.doc, "Statement")
			if m, ok := list.(*templates.Map); ok {
				out = append(out, policyStatement{r.ID, doc.path + ".Statement", doc.kind, m})
				continue
			}
			for i, st := range templates.ListAt(doc.doc, "Statement") {
				if m, ok := st.(*templates.Map); ok {
					out = append(out, policyStatement{r.ID, fmt.Sprintf("%s.Statement[%d]", doc.path, i), doc.kind, m})
				}
			}
		}
	}
	return out
}

type policyDocument struct {
	path string
	kind policyKind
	doc  any
}

func policyDocuments(r templates.Resource) []policyDocument {
	switch r.Type {
	case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
		var out []policyDocument
		for i, p := range templates.ListAt(r.Properties, "Policies") {
			out = append(out, policyDocument{fmt.Sprintf("Properties.Policies[%d].PolicyDocument", i), identityPolicy, templates.ValueAt(p, "PolicyDocument")})
		}
		return out
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		return []policyDocument{{"Properties.PolicyDocument", identityPolicy, templates.ValueAt(r.Properties, "PolicyDocument")}}
	case "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy":
		return []policyDocument{{"Properties.PolicyDocument", resourcePolicy, templates.ValueAt(r.Properties, "PolicyDocument")}}
	case "AWS::KMS::Key":
		return []policyDocument{{"Properties.KeyPolicy", keyPolicy, templates.ValueAt(r.Properties, "KeyPolicy")}}
	}
	return nil
}

func (s policyStatement) allows() bool { return templates.StringAt(s.statement, "Effect") == "Allow" }

func (s policyStatement) actions() []string { return strs(templates.ValueAt(s.statement, "Action")) }

var adminPolicy = regexp.MustCompile(`(AdministratorAccess|FullAccess)$`)

func checkNoAdministratorAccess(r ruleReport, tree *templates.Map) {
	for _, id := range templates.ResourcesOfType(tree, "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group") {
		for i, arn := range asList(templates.ValueAt(id.Properties, "ManagedPolicyArns")) {
			for _, text := range arnTexts(arn) {
				if name := adminPolicy.FindString(text); name != "" {
					r.add(id.ID, fmt.Sprintf("Properties.ManagedPolicyArns[%d]", i),
						"attaches the AWS managed policy %s, which grants whole services: write a policy with the actions and resources this identity needs", text[strings.LastIndex(text, "/")+1:])
				}
			}
		}
	}
}

// arnTexts returns the literal text of an ARN: the string, a !Sub text, or
// the parts of a !Join.
func arnTexts(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case templates.Fn:
		switch t.Name {
		case templates.FnSub:
			text, _ := templates.SubParts(t.Arg)
			return []string{text}
		case templates.FnJoin:
			if args, ok := t.Arg.([]any); ok && len(args) == 2 {
				return []string{strings.Join(strs(args[1]), "")}
			}
		}
	}
	return nil
}

func checkNoWildcardAction(r ruleReport, tree *templates.Map) {
	for _, s := range policyStatements(tree) {
		if !s.allows() {
			continue
		}
		for _, a := range s.actions() {
			if a == "*" {
				r.add(s.resource, s.path+".Action", `Allow grants Action "*": list the actions the principal needs`)
			}
		}
	}
}

var serviceWildcard = regexp.MustCompile(`^[A-Za-z0-9-]+:\*$`)

func checkNoServiceWildcard(r ruleReport, tree *templates.Map) {
	for _, s := range policyStatements(tree) {
		if !s.allows() || s.kind == keyPolicy {
			continue
		}
		if _, ok := s.statement.Get("NotAction"); ok && !hasString(templates.ValueAt(s.statement, "Resource"), "*") {
			r.add(s.resource, s.path+".NotAction", "Allow with NotAction grants every action it does not list: list the actions the principal needs in Action")
		}
		for _, a := range s.actions() {
			if serviceWildcard.MatchString(a) {
				r.add(s.resource, s.path+".Action", "Allow grants %s, every action of the service: list the actions the principal needs", a)
			}
		}
	}
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
				`Allow grants %s on Resource "*": name the resources (ARNs of this stack's resources), or, for an action that has no resource-level permissions, add it to unscopedActions in stacks/blocks/security_iam.go (checked %s) after checking the Service Authorization Reference`,
				strings.Join(scopable, ", "), unscopedActionsChecked)
		}
	}
}

func hasString(v any, want string) bool {
	for _, s := range strs(v) {
		if s == want {
			return true
		}
	}
	return false
}

// coversPassRole reports whether an action (possibly with wildcards) grants
// iam:PassRole.
func coversPassRole(action string) bool {
	return globMatch(strings.ToLower(action), "iam:passrole")
}

// globMatch matches s against an IAM action pattern, where * stands for any
// run of characters and ? for one.
func globMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && globMatch(pattern[1:], s[1:])
}

func checkPassRole(r ruleReport, tree *templates.Map) {
	for _, s := range policyStatements(tree) {
		if !s.allows() || s.kind != identityPolicy {
			continue
		}
		for _, a := range s.actions() {
			if coversPassRole(a) && !hasConditionKey(templates.ValueAt(s.statement, "Condition"), "iam:PassedToService") {
				r.add(s.resource, s.path, "%s lets the role be handed to any service: add Condition StringEquals iam:PassedToService with the one service that needs it (blocks.PassRole does)", a)
				break
			}
		}
	}
}

// sourceKeys are the condition keys that tie a service principal to this
// account or to one resource.
var sourceKeys = []string{"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID"}

func checkServicePrincipals(r ruleReport, tree *templates.Map) {
	for _, p := range templates.ResourcesOfType(tree, "AWS::Lambda::Permission") {
		principal := templates.StringAt(p.Properties, "Principal")
		if !strings.HasSuffix(principal, ".amazonaws.com") {
			continue
		}
		_, arn := p.Properties.Get("SourceArn")
		_, account := p.Properties.Get("SourceAccount")
		if !arn && !account {
			r.add(p.ID, "Properties.SourceArn", "lets %s invoke the function for any account: set SourceArn to the resource that invokes it (or SourceAccount to !Ref AWS::AccountId)", principal)
		}
	}
	for _, s := range policyStatements(tree) {
		if !s.allows() || s.kind != resourcePolicy {
			continue
		}
		services := strs(templates.ValueAt(s.statement, "Principal", "Service"))
		if len(services) > 0 && !hasConditionKey(templates.ValueAt(s.statement, "Condition"), sourceKeys...) {
			r.add(s.resource, s.path+".Condition", "lets %s act on the resource for any account: add Condition ArnEquals aws:SourceArn (the resource acting) or StringEquals aws:SourceAccount !Ref AWS::AccountId",
				strings.Join(services, ", "))
		}
	}
}

// checkRoleTrust reads each role's trust policy: every Allow names service
// principals, principals of this account (written with AWS::AccountId), or
// a federated identity provider constrained by a Condition.
func checkRoleTrust(r ruleReport, tree *templates.Map) {
	for _, role := range templates.ResourcesOfType(tree, "AWS::IAM::Role") {
		for i, st := range asList(templates.ValueAt(role.Properties, "AssumeRolePolicyDocument", "Statement")) {
			if templates.StringAt(st, "Effect") != "Allow" {
				continue
			}
			path := fmt.Sprintf("Properties.AssumeRolePolicyDocument.Statement[%d].Principal", i)
			if msg := trustProblem(templates.ValueAt(st, "Principal"), templates.ValueAt(st, "Condition")); msg != "" {
				r.add(role.ID, path, "%s", msg)
			}
		}
	}
}

func trustProblem(principal, condition any) string {
	if principal == "*" {
		return `the role trusts Principal "*", anyone in any account: name the service or the principals of this account`
	}
	p := templates.AsMap(principal)
	for _, kind := range p.Keys() {
		switch kind {
		case "Service":
		case "AWS":
			for _, v := range asList(p.Value(kind)) {
				if !ofThisAccount(v) {
					return fmt.Sprintf("the role trusts %v, which is not written as this account's (${AWS::AccountId}): trust another account only with a waiver that says why", v)
				}
			}
		case "Federated":
			if templates.AsMap(condition).Len() == 0 {
				return "the role trusts a federated identity provider without a Condition, so every identity it issues may assume it: add one (e.g. the token's sub)"
			}
		default:
			return fmt.Sprintf("the role trusts a %s principal: name the service or the principals of this account", kind)
		}
	}
	return ""
}

// ofThisAccount reports whether an AWS principal is written with this
// account's id: !Ref AWS::AccountId, or a !Sub naming ${AWS::AccountId}
// and no other account.
func ofThisAccount(v any) bool {
	fn, ok := v.(templates.Fn)
	if !ok {
		return false
	}
	if fn.Name == templates.FnRef {
		return fn.Arg == "AWS::AccountId"
	}
	text, _ := templates.SubParts(fn.Arg)
	return fn.Name == templates.FnSub && strings.Contains(text, "${AWS::AccountId}") && !literalAccount.MatchString(text)
}

var literalAccount = regexp.MustCompile(`[0-9]{12}`)
