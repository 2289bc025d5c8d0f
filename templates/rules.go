package templates

import (
	"fmt"
	"slices"
	"strings"
)

// Rule is one check every template rendered with it must pass: an id a stack
// may waive for one resource (Template.Waive), what it requires, why, and
// the check. Rules are values: a render enforces exactly the set it is
// handed, so a check cannot silently not run.
type Rule struct {
	ID      string // snake_case, unique in a set; what waivers and findings name
	Summary string // what a template must do, one line
	Why     string // what goes wrong otherwise, one line
	Check   Checker
}

// Rules is a rule set, in the order its findings are reported.
type Rules []Rule

// Lookup returns the rule of that id.
func (rs Rules) Lookup(id string) (Rule, bool) {
	for _, r := range rs {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// IDs returns the rules' ids in the set's order.
func (rs Rules) IDs() []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// Sorted returns the rules sorted by id, for listings.
func (rs Rules) Sorted() Rules {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Validate refuses a set a render could not use: a rule with no id or no
// check, or two rules of one id.
func (rs Rules) Validate() error {
	seen := map[string]bool{}
	for _, r := range rs {
		switch {
		case r.ID == "":
			return fmt.Errorf("a rule has no ID (summary %q): give it a snake_case id", r.Summary)
		case r.Check == nil:
			return fmt.Errorf("rule %s has no Check function", r.ID)
		case seen[r.ID]:
			return fmt.Errorf("two rules have the id %q: a waiver must name one rule", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}

// Check runs every rule over a template tree. A finding that names no rule
// is the rule's that reported it.
func (rs Rules) Check(stack string, tree *Map) Findings {
	var out Findings
	for _, r := range rs {
		found := r.Check(stack, tree)
		for i := range found {
			if found[i].Rule == "" {
				found[i].Rule = r.ID
			}
		}
		out = append(out, found...)
	}
	return out
}
