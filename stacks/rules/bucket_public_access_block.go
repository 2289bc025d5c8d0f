package rules

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var bucketPublicAccessBlock = templates.Rule{
	ID:      "bucket_public_access_block",
	Summary: "buckets block every kind of public access",
	Why:     "one public ACL or policy statement is enough to publish the bucket's objects",
	Check:   reported(checkBucketPublicAccessBlock),
}

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
