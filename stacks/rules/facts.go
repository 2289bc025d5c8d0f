package rules

// AWS facts the rules hold templates to. The blocks declare resources with
// the same values (stacks/blocks refers to these), so a block's default and
// the rule that checks it cannot disagree.
const (
	// CertificateRegion is the only region whose ACM certificates
	// CloudFront accepts.
	CertificateRegion = "us-east-1"
	// CodeBuildImage is the current curated Amazon Linux image.
	CodeBuildImage = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
	// InlineCodeLimit is the most characters Lambda accepts as inline code
	// (Code.ZipFile), counted after CloudFormation substituted parameters.
	InlineCodeLimit = 4096
	// LogRetentionDays is how long every log group keeps its events: long
	// enough to investigate a monthly incident, short enough not to keep
	// logs forever.
	LogRetentionDays = 30
	// VisibilityTimeoutFactor is how many function timeouts a message stays
	// hidden: Lambda's guidance, so that a retried, throttled batch is not
	// delivered twice.
	VisibilityTimeoutFactor = 6
	// DefaultFunctionTimeout is the timeout, in seconds, of a Lambda
	// function that sets none.
	DefaultFunctionTimeout = 3
)
