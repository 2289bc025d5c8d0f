package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/formwork-dev/formwork/templates"
)

// PrivateBucket describes a bucket nobody reaches without IAM rights: every
// public access path blocked, objects encrypted and owned by the bucket
// owner, and a policy that refuses requests not made over TLS.
type PrivateBucket struct {
	// ID is the bucket's logical id; its policy is ID+"Policy".
	ID string
	// Comment says why the bucket exists (one line, written above it).
	Comment string
	// ExpireAfterDays deletes objects that many days after they were
	// written; 0 keeps them. Pipeline artifacts only matter while a run
	// uses them, so artifact buckets expire them.
	ExpireAfterDays int
	// Statements are added to the bucket policy after the TLS-only deny,
	// e.g. a CloudFront origin access control read grant.
	Statements []Statement
}

// IncompleteUploadDays is how long a multipart upload that never finished
// may hold storage before S3 discards its parts.
const IncompleteUploadDays = 7

// Add declares the bucket and its policy in t.
func (b PrivateBucket) Add(t *templates.Template) {
	t.Resource(b.ID, b.bucket(), b.Comment)
	t.Resource(b.ID+"Policy", &s3.BucketPolicy{
		Bucket:         cloudformation.Ref(b.ID),
		PolicyDocument: Policy(append([]Statement{DenyInsecureTransport(b.ID)}, b.Statements...)...),
	}, "")
}

func (b PrivateBucket) bucket() *s3.Bucket {
	return &s3.Bucket{
		BucketEncryption: &s3.Bucket_BucketEncryption{
			ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
				ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"},
			}},
		},
		PublicAccessBlockConfiguration: &s3.Bucket_PublicAccessBlockConfiguration{
			BlockPublicAcls:       cloudformation.Bool(true),
			BlockPublicPolicy:     cloudformation.Bool(true),
			IgnorePublicAcls:      cloudformation.Bool(true),
			RestrictPublicBuckets: cloudformation.Bool(true),
		},
		OwnershipControls: &s3.Bucket_OwnershipControls{
			Rules: []s3.Bucket_OwnershipControlsRule{{ObjectOwnership: cloudformation.String("BucketOwnerEnforced")}},
		},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{Rules: b.lifecycleRules()},
	}
}

func (b PrivateBucket) lifecycleRules() []s3.Bucket_Rule {
	rules := []s3.Bucket_Rule{{
		Id:     cloudformation.String("AbortIncompleteUploads"),
		Status: "Enabled",
		AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{
			DaysAfterInitiation: IncompleteUploadDays,
		},
	}}
	if b.ExpireAfterDays > 0 {
		rules = append(rules, s3.Bucket_Rule{
			Id:               cloudformation.String("ExpireOldObjects"),
			Status:           "Enabled",
			ExpirationInDays: cloudformation.Int(b.ExpireAfterDays),
		})
	}
	return rules
}

// DenyInsecureTransport refuses every request to the bucket and its objects
// that is not made over TLS.
func DenyInsecureTransport(bucketID string) Statement {
	return Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  BucketAndObjects(bucketID),
	}.When("Bool", "aws:SecureTransport", "false")
}

// BucketAndObjects is the bucket's ARN and the ARN of every object in it.
func BucketAndObjects(bucketID string) []string {
	return []string{Arn(bucketID), Objects(bucketID)}
}

// Objects is the ARN of every object in the bucket.
func Objects(bucketID string) string {
	return cloudformation.Sub("${" + bucketID + ".Arn}/*")
}
