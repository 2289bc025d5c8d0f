package blocks

import "github.com/awslabs/goformation/v7/cloudformation/policies"

// Retention is what CloudFormation does with a data-holding resource when
// the stack deletes it or an update replaces it. Every such resource states
// it (rule deletion_policy_explicit); the resource's comment says why.
type Retention string

const (
	// Retain keeps the resource and its data: for what cannot be recreated,
	// such as access logs kept as evidence.
	Retain Retention = "Retain"
	// Transient deletes it: for data the stack recreates or can do without
	// (artifacts, generated sites, caches, logs that expire anyway).
	Transient Retention = "Delete"
)

// Policies returns the DeletionPolicy and UpdateReplacePolicy of r; both
// are empty, and the rule then asks for a choice, when r is "".
func (r Retention) Policies() (policies.DeletionPolicy, policies.UpdateReplacePolicy) {
	return policies.DeletionPolicy(r), policies.UpdateReplacePolicy(r)
}
