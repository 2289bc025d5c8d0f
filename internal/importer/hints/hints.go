// Package hints recognises, in an imported template, resources that a
// formwork block expresses, so formwork import can say so in a comment. The
// resources are imported as they are: rewriting them with the block would
// change the template.
package hints

import (
	"strconv"

	"github.com/formwork-dev/formwork/internal/importer"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// Blocks is every pattern of stacks/blocks that the importer notes.
func Blocks() []importer.Pattern {
	return []importer.Pattern{privateBuckets, functionErrorsAlarms}
}

// privateBuckets recognises, in an imported template, a bucket that blocks
// public access together with a bucket policy denying requests without TLS:
// what PrivateBucket declares. The import keeps both resources as they are
// and says so in a comment.
func privateBuckets(tree *templates.Map) map[string]string {
	notes := map[string]string{}
	for _, policy := range templates.ResourcesOfType(tree, "AWS::S3::BucketPolicy") {
		bucket := templates.RefTarget(policy.Properties.Value("Bucket"))
		if bucket == "" || !rules.DeniesInsecureTransport(policy.Properties.Value("PolicyDocument")) {
			continue
		}
		for _, b := range templates.ResourcesOfType(tree, "AWS::S3::Bucket") {
			if b.ID == bucket && blocksPublicAccess(b.Properties) {
				notes[b.ID] = "blocks.PrivateBucket{ID: \"" + b.ID + "\"} expresses this pattern (public access blocked, " +
					policy.ID + " denies requests without TLS): consider it for new buckets; this one is kept as deployed."
			}
		}
	}
	return notes
}

func blocksPublicAccess(props *templates.Map) bool {
	block := templates.AsMap(props.Value("PublicAccessBlockConfiguration"))
	for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
		if !isBool(block.Value(k), true) {
			return false
		}
	}
	return true
}

// isBool reports whether v is the boolean b, written as a boolean or as text.
func isBool(v any, b bool) bool {
	switch t := v.(type) {
	case bool:
		return t == b
	case string:
		return t == strconv.FormatBool(b)
	}
	return false
}

// functionErrorsAlarms recognises, in an imported template, an alarm on a
// Lambda function's Errors metric: what FunctionErrorsAlarm declares.
func functionErrorsAlarms(tree *templates.Map) map[string]string {
	notes := map[string]string{}
	for _, a := range templates.ResourcesOfType(tree, "AWS::CloudWatch::Alarm") {
		if templates.StringAt(a.Properties, "Namespace") != "AWS/Lambda" || templates.StringAt(a.Properties, "MetricName") != "Errors" {
			continue
		}
		for _, d := range templates.ListAt(a.Properties, "Dimensions") {
			if templates.StringAt(d, "Name") != "FunctionName" {
				continue
			}
			if function := templates.RefTarget(templates.ValueAt(d, "Value")); function != "" {
				notes[a.ID] = "blocks.FunctionErrorsAlarm(t, \"" + a.ID + "\", \"" + function + "\", topic) expresses this alarm " +
					"(the Errors of " + function + ", notifying a topic): consider it for new functions; this one is kept as deployed."
			}
		}
	}
	return notes
}
