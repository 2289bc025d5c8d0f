package blocks

import (
	"fmt"

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
	// Retention is what happens to the bucket when the stack deletes or
	// replaces it; say why in Comment. It must be set (rule
	// deletion_policy_explicit).
	Retention Retention
	// AccessLogs, if set, is the logical id of the log bucket (LogBucket)
	// that S3 writes this bucket's server access logs to, under ID/.
	AccessLogs string
}

// IncompleteUploadDays is how long a multipart upload that never finished
// may hold storage before S3 discards its parts.
const IncompleteUploadDays = 7

// Add declares the bucket and its policy in t.
func (b PrivateBucket) Add(t *templates.Template) {
	t.Resource(b.ID, b.bucket(), b.Comment)
	b.addPolicy(t)
}

func (b PrivateBucket) addPolicy(t *templates.Template) {
	t.Resource(b.ID+"Policy", &s3.BucketPolicy{
		Bucket:         cloudformation.Ref(b.ID),
		PolicyDocument: Policy(append([]Statement{DenyInsecureTransport(b.ID)}, b.Statements...)...),
	}, "")
}

func (b PrivateBucket) bucket() *s3.Bucket {
	deletion, replace := b.Retention.Policies()
	bucket := &s3.Bucket{
		AWSCloudFormationDeletionPolicy:      deletion,
		AWSCloudFormationUpdateReplacePolicy: replace,
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
	if b.AccessLogs != "" {
		bucket.LoggingConfiguration = &s3.Bucket_LoggingConfiguration{
			DestinationBucketName: cloudformation.String(cloudformation.Ref(b.AccessLogs)),
			LogFilePrefix:         cloudformation.String(b.ID + "/"),
		}
	}
	return bucket
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

// LogExpiryDays is how long access logs are kept: a year of evidence for an
// investigation or an audit.
const LogExpiryDays = 365

// LogBucket is the bucket a stack's access logs go to: S3 server access
// logs of its buckets (PrivateBucket.AccessLogs) and, with CloudFront, the
// distribution's standard logs. It is retained when the stack goes, since
// logs cannot be recreated, and expires them after LogExpiryDays.
type LogBucket struct {
	// ID is the bucket's logical id; its policy is ID+"Policy".
	ID string
	// CloudFront enables the ACLs CloudFront standard logging writes
	// through (ObjectOwnership BucketOwnerPreferred), and waives the rule
	// bucket_acls_disabled for this bucket with that reason.
	CloudFront bool
}

// Add declares the log bucket and its policy: TLS only, and S3 may write
// server access logs of this account's buckets.
func (l LogBucket) Add(t *templates.Template) {
	comment := fmt.Sprintf("Access logs, kept %d days; retained with the stack, since logs cannot be recreated", LogExpiryDays)
	b := PrivateBucket{ID: l.ID, Comment: comment, ExpireAfterDays: LogExpiryDays, Retention: Retain,
		Statements: []Statement{l.serverAccessLogs()}}
	bucket := b.bucket()
	if l.CloudFront {
		bucket.OwnershipControls.Rules[0].ObjectOwnership = cloudformation.String("BucketOwnerPreferred")
		t.Waive(l.ID, "bucket_acls_disabled", "CloudFront standard logging writes log files through an ACL grant to its log delivery account; "+
			"public access stays blocked, and no other writer has an ACL grant")
	}
	t.Resource(l.ID, bucket, comment)
	b.addPolicy(t)
}

// serverAccessLogs lets S3's logging service write logs of this account's
// buckets into the log bucket.
func (l LogBucket) serverAccessLogs() Statement {
	s := Statement{
		Sid:       "S3ServerAccessLogs",
		Effect:    "Allow",
		Principal: ServicePrincipal("logging.s3.amazonaws.com"),
		Action:    []string{"s3:PutObject"},
		Resource:  []string{Objects(l.ID)},
	}
	return s.When("StringEquals", "aws:SourceAccount", cloudformation.Ref("AWS::AccountId"))
}
