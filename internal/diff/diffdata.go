package diff

import (
	"fmt"
	"strings"
)

// dataTypes are the resource types whose replacement or removal loses data
// that cannot be rebuilt from the template: stored objects, rows, records,
// logs, secrets, keys, images.
var dataTypes = map[string]bool{
	"AWS::S3::Bucket": true, "AWS::S3Express::DirectoryBucket": true, "AWS::S3Tables::TableBucket": true,
	"AWS::DynamoDB::Table": true, "AWS::DynamoDB::GlobalTable": true,
	"AWS::RDS::DBInstance": true, "AWS::RDS::DBCluster": true, "AWS::Neptune::DBCluster": true,
	"AWS::DocDB::DBCluster": true, "AWS::Redshift::Cluster": true, "AWS::DSQL::Cluster": true,
	"AWS::ElastiCache::CacheCluster": true, "AWS::ElastiCache::ReplicationGroup": true,
	"AWS::ElastiCache::ServerlessCache": true, "AWS::MemoryDB::Cluster": true,
	"AWS::Logs::LogGroup": true, "AWS::Route53::HostedZone": true,
	"AWS::SecretsManager::Secret": true, "AWS::SSM::Parameter": true, "AWS::KMS::Key": true,
	"AWS::EFS::FileSystem": true, "AWS::FSx::FileSystem": true, "AWS::EC2::Volume": true,
	"AWS::SQS::Queue": true, "AWS::Kinesis::Stream": true, "AWS::ECR::Repository": true,
	"AWS::Cognito::UserPool": true, "AWS::OpenSearchService::Domain": true,
	"AWS::Elasticsearch::Domain": true, "AWS::Backup::BackupVault": true,
	"AWS::Timestream::Table": true, "AWS::Timestream::Database": true, "AWS::QLDB::Ledger": true,
	"AWS::Cassandra::Table": true, "AWS::CodeCommit::Repository": true, "AWS::Glue::Database": true,
	"AWS::Glue::Table": true,
}

// HoldsData reports whether replacing or removing a resource of the type
// loses data.
func HoldsData(typ string) bool { return dataTypes[typ] }

// dataRisk describes a data-holding resource that the change replaces or
// removes, and whether the data the service uses survives it. A
// replacement never protects it: UpdateReplacePolicy Retain or Snapshot
// keeps the old resource (or a snapshot), but the stack and the service
// move to a new, empty one. Nor does a rename: the new logical id is a new,
// empty resource. A plain removal under DeletionPolicy Retain or Snapshot
// keeps the data, and nothing moves.
func dataRisk(stack string, r ResourceDiff) (DataRisk, bool) {
	if !r.HoldsData {
		return DataRisk{}, false
	}
	risk := DataRisk{Stack: stack, LogicalID: r.LogicalID, Type: r.Type, RenamedTo: r.RenamedTo}
	switch {
	case r.Change == Remove:
		risk.Change = Remove
		policy := orDefault(r.DeletionPolicy)
		risk.Policy = "DeletionPolicy: " + policy
		risk.Protected = r.RenamedTo == "" && (policy == "Retain" || policy == "RetainExceptOnCreate" || policy == "Snapshot")
		risk.Note = removalNote(r, policy)
	case r.Change == Modify && (r.Replacement == ReplaceYes || r.Replacement == ReplaceUnknown || r.Replacement == ReplaceMaybe):
		risk.Change = "replace"
		policy := orDefault(r.UpdateReplacePolicy)
		risk.Policy = "UpdateReplacePolicy: " + policy
		risk.Note = replacementNote(policy)
		switch r.Replacement {
		case ReplaceUnknown:
			risk.Change = "maybe-replace"
			risk.Note = "may be replaced (see its changes); if it is, " + risk.Note
		case ReplaceMaybe:
			risk.Change = "maybe-replace"
			risk.Note = "may be replaced (a conditionally create-only property changed); if it is, " + risk.Note
		}
	case r.Change == Modify && conditionAdded(r) != "":
		risk.Change = "maybe-remove"
		policy := orDefault(r.DeletionPolicy)
		risk.Policy = "DeletionPolicy: " + policy
		risk.Protected = policy == "Retain" || policy == "RetainExceptOnCreate" || policy == "Snapshot"
		risk.Note = fmt.Sprintf("removed from every deployment where %s is false", conditionAdded(r))
		if !risk.Protected {
			risk.Note += ", and deleted with its data: set DeletionPolicy: Retain in a change deployed first to keep it"
		}
	default:
		return DataRisk{}, false
	}
	return risk, true
}

// conditionAdded returns the Condition a resource newly depends on.
func conditionAdded(r ResourceDiff) string {
	for _, p := range r.Properties {
		if p.Path == "Condition" && p.Change != Remove {
			return p.New
		}
	}
	return ""
}

func orDefault(policy string) string {
	if policy == "" {
		return "Delete"
	}
	return policy
}

func removalNote(r ResourceDiff, policy string) string {
	what := "removed from the template"
	if r.RenamedTo != "" {
		what = fmt.Sprintf("renamed to %s: the new logical id is a new, empty resource that the service now uses", r.RenamedTo)
	}
	switch policy {
	case "Retain", "RetainExceptOnCreate":
		if r.RenamedTo != "" {
			return what + "; the old resource keeps its data in the account, no longer managed by the stack: copy the data over, or keep the old logical id"
		}
		return what + "; the old resource and its data stay in the account, no longer managed by the stack"
	case "Snapshot":
		return what + "; a final snapshot is taken, then the resource is deleted"
	}
	return what + "; the resource is deleted with its data: set DeletionPolicy: Retain in a change deployed first to keep it"
}

func replacementNote(policy string) string {
	switch policy {
	case "Retain":
		return "a new, empty resource replaces it and the service moves to it; the old one keeps its data in the account, no longer managed by the stack: copy the data over, or avoid the replacement"
	case "Snapshot":
		return "a new, empty resource replaces it and the service moves to it; the old one is deleted after a final snapshot: restore from the snapshot, or avoid the replacement"
	}
	return "a new, empty resource replaces it and the old one is deleted with its data: set UpdateReplacePolicy: Retain (in a change deployed first, to be safe) to keep it"
}

// CloudFormation's limits on a template body.
const (
	DirectBodyLimit = 51200   // bytes: aws cloudformation deploy without --s3-bucket
	S3BodyLimit     = 1 << 20 // bytes: a template uploaded to S3
)

func sizeDiff(base, head []byte) SizeDiff {
	s := SizeDiff{Base: len(base), Head: len(head), Warnings: []string{}}
	if head == nil {
		return s
	}
	switch {
	case s.Head > S3BodyLimit:
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d bytes is over CloudFormation's 1 MB template limit: split the stack (nested stacks)", s.Head))
	case s.Head > DirectBodyLimit && s.Base <= DirectBodyLimit:
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d bytes is now over 51,200 bytes: deploy with --s3-bucket", s.Head))
	case s.Head > DirectBodyLimit:
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d bytes is over 51,200 bytes: deploy with --s3-bucket", s.Head))
	}
	return s
}

// TextDiff is a compact line diff of two texts (inline code, buildspecs):
// changed lines prefixed - and +, one line of context, "…" between hunks.
// Texts too long to compare line by line are summarised.
func TextDiff(old, new string) string {
	a := strings.Split(strings.TrimSuffix(old, "\n"), "\n")
	b := strings.Split(strings.TrimSuffix(new, "\n"), "\n")
	if len(a)*len(b) > maxAlign {
		return fmt.Sprintf("(%d lines → %d lines; too long to compare line by line)\n", len(a), len(b))
	}
	ops := lineOps(a, b)
	var out strings.Builder
	last := -2
	for i, op := range ops {
		if op.kind == ' ' && !nearChange(ops, i, 1) {
			continue
		}
		if last >= 0 && i > last+1 {
			out.WriteString("…\n")
		}
		out.WriteString(string(op.kind) + " " + op.text + "\n")
		last = i
	}
	return out.String()
}

type lineOp struct {
	kind byte // ' ', '-', '+'
	text string
}

func lineOps(a, b []string) []lineOp {
	keep := commonSubsequence(a, b)
	var ops []lineOp
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		_, keptA := keep.old[i]
		_, keptB := keep.new[j]
		switch {
		case i < len(a) && !keptA:
			ops = append(ops, lineOp{'-', a[i]})
			i++
		case j < len(b) && !keptB:
			ops = append(ops, lineOp{'+', b[j]})
			j++
		default:
			ops = append(ops, lineOp{' ', a[i]})
			i, j = i+1, j+1
		}
	}
	return ops
}

func nearChange(ops []lineOp, i, context int) bool {
	for k := max(0, i-context); k <= min(len(ops)-1, i+context); k++ {
		if ops[k].kind != ' ' {
			return true
		}
	}
	return false
}

// DataRiskOf describes a data-holding resource that a change replaces or
// removes (see dataRisk), or reports false.
func DataRiskOf(stack string, r ResourceDiff) (DataRisk, bool) { return dataRisk(stack, r) }

// CountBroadening counts the rows that widen access, each once: IAM
// statements, and the exposure rows that do not repeat one.
func CountBroadening(iam []StatementDiff, exposure []ExposureDiff) int {
	n := 0
	for _, s := range iam {
		if s.Broadens {
			n++
		}
	}
	for _, e := range exposure {
		if e.Broadens && !fromIAM(e) {
			n++
		}
	}
	return n
}
