// Package blocks holds the building blocks of formwork stacks: a private
// bucket, a Lambda function with its logs and role, a queue with its
// consumer, an HTTP endpoint, a schedule, a table, a pipeline. Each block
// declares every resource its job needs, with safe defaults (encryption,
// TLS only, least-privilege roles, log retention, alarms that tell
// someone), so that a stack reads as a list of what it runs rather than a
// list of CloudFormation resources.
//
// Every block has one shape: a struct whose ID field is the logical id of
// its main resource, and an Add method that declares it in a template.
// The smallest use:
//
//	t := templates.New("exports", "Keeps exports")
//	blocks.PrivateBucket{ID: "Exports", Comment: "exports; retained: the only copy", Retention: blocks.Retain}.Add(t)
//	out, err := templates.Render(t, templates.YAML, rules.All())
//
// Add returns nothing. The other resources a block declares are named
// after its ID (its doc lists them: a Function's role is ID+"Role"), and
// methods of the block name what another block needs from it
// (Table.Grant, HTTPFunction.Invoke, BuildProject.RoleID).
//
// # Blocks
//
// PrivateBucket, LogBucket, ArtifactBucket, Function, Table, EncryptionKey,
// Topic, FunctionErrorsAlarm, QueueNotEmptyAlarm, BuildProject, Schedule,
// BuildFailureNotice, PrivateZone, ServiceName, ServiceRecord, Setting,
// SearchDomain, OutputRef, PipelineOutputs.
//
// Every block that makes a Lambda function takes its code as a Code value:
// inline source (InlineCode, InlineCodeSub), code formwork builds, zips
// and uploads itself (GoPackage, Directory, ZipFile), declaring the asset
// and its parameters, or an object already in S3 (FromS3).
//
// # Patterns
//
// Patterns are blocks that compose other blocks into a whole feature:
//
//   - HTTPFunction: a Function behind an API Gateway HTTP API or a
//     function URL, with routes, throttling, access logs, a custom domain
//     and alarms.
//   - QueueConsumer: an SQS queue, its dead-letter queue and a Function
//     working it off in batches, with alarms.
//   - Pipeline: a CodePipeline whose stages are built from actions
//     (SourceAction, BuildAction, ChangeSetActions, ...), with a role that
//     may do exactly what its actions need.
//   - StaticSite: the CloudFront distribution of a site served from a
//     PrivateBucket, with the L1 helpers for the rest of the site.
//
// # L1 helpers
//
// Functions that return a goformation value (S3OriginAccessControl,
// SecurityHeadersPolicy, ViewerRequestFunction, DNSValidatedCertificate,
// AliasRecord, Alarm, DeadLetterQueue, LogGroup, ServiceRole) declare
// nothing: they return one resource, with the blocks' defaults, for
// Template.Resource, where a stack needs a resource no block covers. Their
// docs say "L1 helper".
//
// # Stack-wide steps
//
// Two functions act on the whole template rather than declare a block:
// GitHubRepoParameters declares the parameters naming a GitHub source, and
// BoundRoles, called last, gives every role the stack declared a
// permissions boundary.
//
// # Checks
//
// The package's rules (security and wiring) check every template at render
// time, whether or not it was built from blocks; formwork validate lists
// them.
package blocks
