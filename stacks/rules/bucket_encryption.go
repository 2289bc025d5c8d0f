package rules

import "github.com/formwork-dev/formwork/templates"

var bucketEncryption = templates.Rule{
	ID:      "bucket_encryption",
	Summary: "buckets encrypt objects at rest (AES256 or KMS)",
	Why:     "encryption at rest is the baseline every audit asks for, and costs nothing with AES256",
	Check:   reported(checkBucketEncryption),
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
