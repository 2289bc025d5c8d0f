package rules

import "github.com/formwork-dev/formwork/templates"

var bucketACLsDisabled = templates.Rule{
	ID:      "bucket_acls_disabled",
	Summary: "buckets disable ACLs (ObjectOwnership BucketOwnerEnforced)",
	Why:     "with ACLs on, an object written by another account stays that account's, and ACL grants bypass the bucket policy",
	Check:   reported(checkBucketACLsDisabled),
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
