package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// Reading IAM policies in a template: the statements of every policy
// document, and the values in them, for the IAM rules.

// strs returns the plain strings of a value that is one string or a list;
// intrinsics are skipped.
func strs(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for _, item := range asList(v) {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// asList is v as a list: a list itself, nil for nil, else a list of one.
func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

// hasKey reports whether a condition block uses key under any operator
// (condition keys are case-insensitive).
func hasConditionKey(condition any, keys ...string) bool {
	operators := templates.AsMap(condition)
	for _, op := range operators.Keys() {
		for _, k := range templates.AsMap(operators.Value(op)).Keys() {
			for _, want := range keys {
				if strings.EqualFold(k, want) {
					return true
				}
			}
		}
	}
	return false
}

// policyStatement is one statement of a policy in the template.
type policyStatement struct {
	resource  string // logical id of the resource holding the policy
	path      string // path of the statement inside it
	kind      policyKind
	statement *templates.Map
}

type policyKind int

const (
	identityPolicy policyKind = iota // attached to a role, user or group
	resourcePolicy                   // on a bucket, topic, queue
	keyPolicy                        // on a KMS key: Resource "*" means the key
)

// policyStatements returns every statement of every IAM policy document
// the template declares, trust policies excepted.
func policyStatements(tree *templates.Map) []policyStatement {
	var out []policyStatement
	for _, r := range templates.Resources(tree) {
		for _, doc := range policyDocuments(r) {
			list := templates.ValueAt(doc.doc, "Statement")
			if m, ok := list.(*templates.Map); ok {
				out = append(out, policyStatement{r.ID, doc.path + ".Statement", doc.kind, m})
				continue
			}
			for i, st := range templates.ListAt(doc.doc, "Statement") {
				if m, ok := st.(*templates.Map); ok {
					out = append(out, policyStatement{r.ID, fmt.Sprintf("%s.Statement[%d]", doc.path, i), doc.kind, m})
				}
			}
		}
	}
	return out
}

type policyDocument struct {
	path string
	kind policyKind
	doc  any
}

func policyDocuments(r templates.Resource) []policyDocument {
	switch r.Type {
	case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
		var out []policyDocument
		for i, p := range templates.ListAt(r.Properties, "Policies") {
			out = append(out, policyDocument{fmt.Sprintf("Properties.Policies[%d].PolicyDocument", i), identityPolicy, templates.ValueAt(p, "PolicyDocument")})
		}
		return out
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		return []policyDocument{{"Properties.PolicyDocument", identityPolicy, templates.ValueAt(r.Properties, "PolicyDocument")}}
	case "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy":
		return []policyDocument{{"Properties.PolicyDocument", resourcePolicy, templates.ValueAt(r.Properties, "PolicyDocument")}}
	case "AWS::KMS::Key":
		return []policyDocument{{"Properties.KeyPolicy", keyPolicy, templates.ValueAt(r.Properties, "KeyPolicy")}}
	}
	return nil
}

func (s policyStatement) allows() bool { return templates.StringAt(s.statement, "Effect") == "Allow" }

func (s policyStatement) actions() []string { return strs(templates.ValueAt(s.statement, "Action")) }

func hasString(v any, want string) bool {
	for _, s := range strs(v) {
		if s == want {
			return true
		}
	}
	return false
}
