package rules

import "github.com/formwork-dev/formwork/templates"

var bucketTLSOnlyPolicy = templates.Rule{
	ID:      "bucket_tls_only_policy",
	Summary: "buckets have a policy that denies requests without TLS",
	Why:     "S3 accepts plain HTTP unless the bucket policy refuses it",
	Check:   reported(checkBucketTLSOnly),
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
