package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// The security rules: checks every stack passes at generation time, run by
// formwork validate and render, for formwork's catalogue and a team's stacks
// alike. Each rule has an id a stack may waive for one resource, with a
// reason (Template.Waive). The ids are those of the cfn-guard rules that
// cross-check the same things in formwork's own CI
// (stacks/testdata/guard/*.guard); the planted violations of both live in
// stacks/testdata/guard/violations/<rule>.yaml.

// securityRule is one rule: what it requires, why, and its check.
type securityRule struct {
	id, summary, why string
	check            func(r ruleReport, tree *templates.Map)
}

// ruleReport records findings of one rule in one stack.
type ruleReport struct {
	stack, rule string
	out         *[]templates.Finding
}

func (r ruleReport) add(id, path, format string, args ...any) {
	*r.out = append(*r.out, templates.Finding{Stack: r.stack, LogicalID: id, Path: path, Message: fmt.Sprintf(format, args...), Rule: r.rule})
}

// securityRules lists every rule in the order the README explains them.
var securityRules = []securityRule{
	{"no_administrator_access", "no AWS managed AdministratorAccess or *FullAccess policy is attached",
		"those policies grant every action of a service (or of all of them) on every resource: whoever assumes the role can do anything there", checkNoAdministratorAccess},
	{"no_wildcard_action", `no Allow statement grants Action "*"`,
		`"*" is administrator access written out by hand`, checkNoWildcardAction},
	{"no_service_wildcard", `no Allow statement grants a whole service ("s3:*") or uses NotAction`,
		"a service wildcard grants actions nobody reviewed, including ones the service adds later; NotAction grants everything it does not list", checkNoServiceWildcard},
	{"no_wildcard_action_on_all_resources", `Resource "*" only for actions that have no resource-level permissions, and never with NotAction`,
		`Resource "*" reaches every resource in the account; only actions IAM cannot scope (unscopedActions) may use it`, checkStarResourceActions},
	{"role_trust_scoped", "a role trusts AWS services, this account, or a federated identity under a condition",
		"a role that trusts another account, or everyone, hands its rights outside the account; a boundary cannot limit who assumes a role", checkRoleTrust},
	{"passrole_passed_to_service", "iam:PassRole only with an iam:PassedToService condition",
		"without it the role may be handed to any service, e.g. a Lambda function or EC2 instance that then acts with its rights", checkPassRole},
	{"service_principal_scoped", "a service principal is scoped with aws:SourceArn or aws:SourceAccount",
		"otherwise the service acting for any other account (the confused deputy) may invoke the function or use the resource", checkServicePrincipals},
	{"bucket_public_access_block", "buckets block every kind of public access",
		"one public ACL or policy statement is enough to publish the bucket's objects", checkBucketPublicAccessBlock},
	{"bucket_encryption", "buckets encrypt objects at rest (AES256 or KMS)",
		"encryption at rest is the baseline every audit asks for, and costs nothing with AES256", checkBucketEncryption},
	{"bucket_tls_only_policy", "buckets have a policy that denies requests without TLS",
		"S3 accepts plain HTTP unless the bucket policy refuses it", checkBucketTLSOnly},
	{"bucket_acls_disabled", "buckets disable ACLs (ObjectOwnership BucketOwnerEnforced)",
		"with ACLs on, an object written by another account stays that account's, and ACL grants bypass the bucket policy", checkBucketACLsDisabled},
	{"cloudfront_viewer_https", "CloudFront serves viewers over HTTPS only",
		"a behavior that allows HTTP lets anyone on the path read and rewrite the page", checkViewerHTTPS},
	{"cloudfront_tls_policy", "CloudFront requires TLSv1.2_2021 or newer",
		"older security policies accept TLS 1.0 and 1.1 and weak ciphers", checkCloudFrontTLS},
	{"lambda_runtime_supported", "Lambda functions use a runtime AWS supports",
		"a deprecated runtime gets no security patches, and AWS then blocks creating and updating the function", checkLambdaRuntime},
	{"codebuild_image_current", "CodeBuild projects use a current curated image",
		"older images carry language runtimes that are out of support", checkCodeBuildImage},
	{"log_group_retention", "log groups expire their events",
		"without RetentionInDays logs are kept, and billed, forever, with whatever secrets a program printed", checkLogGroupRetention},
	{"inline_code_parameters", "a parameter substituted into inline code cannot hold quotes, backslashes or line breaks",
		"!Sub pastes the value into the source: a quote or line break breaks the code, or turns the value into code", checkInlineCodeParameters},
	{"deletion_policy_explicit", "data-holding resources state DeletionPolicy and UpdateReplacePolicy",
		"the default deletes the data with the stack or on a replacing update; the choice must be made, not inherited", checkDeletionPolicies},
}

func (rule securityRule) checker() templates.Checker {
	return func(stack string, tree *templates.Map) []templates.Finding {
		var out []templates.Finding
		rule.check(ruleReport{stack: stack, rule: rule.id, out: &out}, tree)
		return out
	}
}

// strs returns the plain strings of a value that is one string or a list;
// intrinsics are skipped.
func strs(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for _, item := range asList(v) {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// asList is v as a list: a list itself, nil for nil, else a list of one.
func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

// hasKey reports whether a condition block uses key under any operator
// (condition keys are case-insensitive).
func hasConditionKey(condition any, keys ...string) bool {
	operators := templates.AsMap(condition)
	for _, op := range operators.Keys() {
		for _, k := range templates.AsMap(operators.Value(op)).Keys() {
			for _, want := range keys {
				if strings.EqualFold(k, want) {
					return true
				}
			}
		}
	}
	return false
}
