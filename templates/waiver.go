package templates

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Waivers. A rule's finding names the rule (Finding.Rule); a stack may
// accept it for one resource with Template.Waive and a written reason.
//
// A waiver lives in Go, beside the resource it excuses, not in the rendered
// template: the reason is read in the pull request that adds it, next to
// the code it excuses, `formwork validate --waivers` lists every one, and
// the template CloudFormation receives carries nothing that is not
// template content (a Metadata entry would also be an update to deploy).

// Waiver accepts the findings of one rule on one resource of one stack.
type Waiver struct {
	Stack, LogicalID, Rule, Reason string
}

func (w Waiver) String() string {
	return fmt.Sprintf("%s: %s: %s: %s", w.Stack, w.LogicalID, w.Rule, w.Reason)
}

// Waive accepts rule's findings on the resource id, for reason: say, in
// words a reviewer can check, why the resource is safe as it is. A waiver
// without a reason, of a rule nobody declared, of a resource the template
// does not declare, or that excuses no finding fails the render.
func (t *Template) Waive(id, rule, reason string) {
	if strings.TrimSpace(reason) == "" {
		t.Fail(id, "", fmt.Sprintf("waiver of rule %s has no reason: write why the resource is safe as it is, e.g. t.Waive(%q, %q, \"...because...\")", rule, id, rule))
		return
	}
	t.waivers = append(t.waivers, Waiver{Stack: t.Name, LogicalID: id, Rule: rule, Reason: reason})
}

// Waivers returns the stack's waivers in the order they were written.
func (t *Template) Waivers() []Waiver { return slices.Clone(t.waivers) }

// applyWaivers removes the findings the template's waivers accept, and adds
// a finding for every waiver that is malformed or accepts nothing.
func (t *Template) applyWaivers(tree *Map, findings Findings, rules Rules) Findings {
	used := make([]bool, len(t.waivers))
	var out Findings
	for _, f := range findings {
		waived := false
		for i, w := range t.waivers {
			if f.Rule != "" && f.Rule == w.Rule && f.LogicalID == w.LogicalID {
				waived, used[i] = true, true
			}
		}
		if !waived {
			out = append(out, f)
		}
	}
	for i, w := range t.waivers {
		if problem := waiverProblem(w, tree, rules, used[i]); problem != "" {
			out = append(out, Finding{Stack: t.Name, LogicalID: w.LogicalID, Message: problem})
		}
	}
	return out
}

// CfnLintRule is the prefix of a waiver of a cfn-lint rule, by the id
// cfn-lint prints: t.Waive("Key", "cfn-lint:W3011", "..."). The render
// checks its form and its entry; formwork validate, which runs cfn-lint,
// applies it to cfn-lint's findings and fails one that excuses nothing.
const CfnLintRule = "cfn-lint:"

var cfnLintID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^cfn-lint:[EWI][0-9]{4}$`) })

func waiverProblem(w Waiver, tree *Map, rules Rules, used bool) string {
	if strings.HasPrefix(w.Rule, CfnLintRule) {
		if !cfnLintID().MatchString(w.Rule) {
			return fmt.Sprintf("waiver names cfn-lint rule %q: write the id cfn-lint prints, as in cfn-lint:W3011", w.Rule)
		}
		if !declaresEntry(tree, w.LogicalID) {
			return fmt.Sprintf("waiver of rule %s names %s, which the template does not declare: waive the entry cfn-lint names", w.Rule, w.LogicalID)
		}
		return "" // whether it excuses a finding, formwork validate says after running cfn-lint
	}
	if _, ok := rules.Lookup(w.Rule); !ok {
		if guess := Closest(w.Rule, rules.IDs()); guess != "" {
			return fmt.Sprintf("waiver names rule %q, which is not declared: did you mean %q? (formwork validate --rules lists them)", w.Rule, guess)
		}
		return fmt.Sprintf("waiver names rule %q, which is not declared (formwork validate --rules lists them)", w.Rule)
	}
	if !declaresEntry(tree, w.LogicalID) {
		return fmt.Sprintf("waiver of rule %s names %s, which the template does not declare: waive the resource (or output, parameter, condition) that has the finding", w.Rule, w.LogicalID)
	}
	if !used {
		return fmt.Sprintf("waiver of rule %s excuses no finding on %s: the resource follows the rule now, so delete the waiver", w.Rule, w.LogicalID)
	}
	return ""
}

// declaresEntry reports whether id names a resource, output, parameter,
// condition or mapping of the template: what a finding's LogicalID names.
func declaresEntry(tree *Map, id string) bool {
	for _, section := range []string{"Resources", "Outputs", "Parameters", "Conditions", "Mappings"} {
		if _, ok := Section(tree, section).Get(id); ok {
			return true
		}
	}
	return false
}
