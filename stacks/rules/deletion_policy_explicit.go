package rules

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var deletionPolicyExplicit = templates.Rule{
	ID:      "deletion_policy_explicit",
	Summary: "data-holding resources state DeletionPolicy and UpdateReplacePolicy",
	Why:     "the default deletes the data with the stack or on a replacing update; the choice must be made, not inherited",
	Check:   reported(checkDeletionPolicies),
}

func checkDeletionPolicies(r ruleReport, tree *templates.Map) {
	for _, res := range templates.Resources(tree) {
		if !statefulTypes[res.Type] {
			continue
		}
		var missing []string
		for _, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
			if _, ok := res.Body.Get(attr); !ok {
				missing = append(missing, attr)
			}
		}
		if len(missing) > 0 {
			r.add(res.ID, missing[0], "%s holds data but does not say %s: Retain what cannot be recreated, Delete what is transient and say so in the resource's comment (blocks.Retain, blocks.Transient)",
				res.Type, strings.Join(missing, " and "))
		}
	}
}
