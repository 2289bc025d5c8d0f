package rules

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

func buckets(tree *templates.Map) []templates.Resource {
	return templates.ResourcesOfType(tree, "AWS::S3::Bucket")
}

// isTrue accepts true and "true": CloudFormation reads both as true.
func isTrue(v any) bool { return v == true || v == "true" }

func checkBucketPublicAccessBlock(r ruleReport, tree *templates.Map) {
	for _, b := range buckets(tree) {
		block := templates.ValueAt(b.Properties, "PublicAccessBlockConfiguration")
		var open []string
		for _, flag := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if !isTrue(templates.ValueAt(block, flag)) {
				open = append(open, flag)
			}
		}
		if len(open) > 0 {
			r.add(b.ID, "Properties.PublicAccessBlockConfiguration", "%s not true: set all four flags to true (blocks.PrivateBucket does)", strings.Join(open, ", "))
		}
	}
}

var encryptionAlgorithms = map[string]bool{"AES256": true, "aws:kms": true, "aws:kms:dsse": true}

func checkBucketEncryption(r ruleReport, tree *templates.Map) {
	for _, b := range buckets(tree) {
		rules := templates.ListAt(b.Properties, "BucketEncryption", "ServerSideEncryptionConfiguration")
		ok := len(rules) > 0
		for _, rule := range rules {
			ok = ok && encryptionAlgorithms[templates.StringAt(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")]
		}
		if !ok {
			r.add(b.ID, "Properties.BucketEncryption", "the bucket does not encrypt every object with AES256 or aws:kms: add a ServerSideEncryptionConfiguration (blocks.PrivateBucket does)")
		}
	}
}

// checkBucketTLSOnly wants every bucket to have a policy in the template
// (Bucket: !Ref it) that denies every principal when aws:SecureTransport is
// false.
func checkBucketTLSOnly(r ruleReport, tree *templates.Map) {
	policies := map[string]templates.Resource{}
	for _, p := range templates.ResourcesOfType(tree, "AWS::S3::BucketPolicy") {
		if id := templates.RefTarget(templates.ValueAt(p.Properties, "Bucket")); id != "" {
			policies[id] = p
		}
	}
	for _, b := range buckets(tree) {
		p, ok := policies[b.ID]
		switch {
		case !ok:
			r.add(b.ID, "", "the bucket has no AWS::S3::BucketPolicy with Bucket !Ref %s: add one that denies requests without TLS (blocks.DenyInsecureTransport)", b.ID)
		case !DeniesInsecureTransport(templates.ValueAt(p.Properties, "PolicyDocument")):
			r.add(p.ID, "Properties.PolicyDocument", "the policy does not deny requests without TLS: add blocks.DenyInsecureTransport(%q)", b.ID)
		}
	}
}

// DeniesInsecureTransport reports whether a bucket policy document has a
// Deny statement for requests without TLS (aws:SecureTransport false).
func DeniesInsecureTransport(doc any) bool {
	for _, st := range asList(templates.ValueAt(doc, "Statement")) {
		principal := templates.ValueAt(st, "Principal")
		everyone := principal == "*" || templates.ValueAt(principal, "AWS") == "*"
		secure := templates.ValueAt(st, "Condition", "Bool", "aws:SecureTransport")
		if templates.StringAt(st, "Effect") == "Deny" && everyone && (secure == false || secure == "false") {
			return true
		}
	}
	return false
}

func checkBucketACLsDisabled(r ruleReport, tree *templates.Map) {
	for _, b := range buckets(tree) {
		if _, ok := b.Properties.Get("AccessControl"); ok {
			r.add(b.ID, "Properties.AccessControl", "the bucket grants a canned ACL: remove AccessControl and grant access in the bucket policy")
		}
		enforced := false
		for _, rule := range templates.ListAt(b.Properties, "OwnershipControls", "Rules") {
			enforced = enforced || templates.StringAt(rule, "ObjectOwnership") == "BucketOwnerEnforced"
		}
		if !enforced {
			r.add(b.ID, "Properties.OwnershipControls", "ACLs are enabled: set OwnershipControls ObjectOwnership BucketOwnerEnforced (blocks.PrivateBucket does)")
		}
	}
}
