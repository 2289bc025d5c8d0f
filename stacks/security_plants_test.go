package stacks

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// plantsDir holds one template per security rule, shared by the Go rules
// (here, and through the CLI in commands) and the cfn-guard rules
// (trust_guard_test.go): resources named Bad* break the rule, Good* follow it.
const plantsDir = guardDir + "/violations"

// plantFindings checks a planted template with every generation-time check
// and returns, per resource, the rules that found something.
func plantFindings(t *testing.T, rule string) (*templates.Map, map[string]map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(plantsDir, rule+".yaml"))
	if err != nil {
		t.Fatalf("rule %s has no planted violation: add %s/%s.yaml with Bad* resources it must reject (%v)", rule, plantsDir, rule, err)
	}
	tree, err := templates.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]map[string]bool{}
	for _, f := range rules.All().Check("plant", tree) {
		if found[f.LogicalID] == nil {
			found[f.LogicalID] = map[string]bool{}
		}
		found[f.LogicalID][f.Rule] = true
	}
	return tree, found
}

// TestSecurityRulesRefusePlantedViolations: every Go rule rejects each Bad*
// resource of its plant and accepts each Good* one. The plants of rules
// cfn-guard has too are the ones TestGuardPlantedViolations runs, so the
// two agree on them.
func TestSecurityRulesRefusePlantedViolations(t *testing.T) {
	for _, rule := range rules.Security().IDs() {
		t.Run(rule, func(t *testing.T) {
			tree, found := plantFindings(t, rule)
			bad := 0
			for _, r := range templates.Resources(tree) {
				switch {
				case strings.HasPrefix(r.ID, "Bad"):
					bad++
					if !found[r.ID][rule] {
						t.Errorf("rule %s does not reject the planted violation %s", rule, r.ID)
					}
				case strings.HasPrefix(r.ID, "Good") && found[r.ID][rule]:
					t.Errorf("rule %s rejects %s, which follows it", rule, r.ID)
				}
			}
			if bad == 0 {
				t.Errorf("%s/%s.yaml plants no Bad* resource", plantsDir, rule)
			}
		})
	}
}

// Every plant names a rule: a Go rule, a cfn-guard rule, or both.
func TestEveryPlantNamesARule(t *testing.T) {
	known := map[string]bool{}
	for _, r := range rules.Security().IDs() {
		known[r] = true
	}
	for _, r := range guardRuleNames(t) {
		known[r] = true
	}
	plants, _ := filepath.Glob(filepath.Join(plantsDir, "*.yaml"))
	for _, p := range plants {
		if name := strings.TrimSuffix(filepath.Base(p), ".yaml"); !known[name] {
			t.Errorf("%s plants violations of %s, which is neither a Go nor a cfn-guard rule", p, name)
		}
	}
}

// The golden templates pass every Go rule (Render would refuse them
// otherwise), and each cfn-guard exception is a Go waiver of the same rule
// on the same resource: both say the same thing is accepted, and why.
func TestGuardExceptionsAreGoWaivers(t *testing.T) {
	waived := map[[3]string]bool{}
	for _, s := range Catalogue() {
		for _, w := range s.Template().Waivers() {
			waived[[3]string{w.Stack, w.Rule, w.LogicalID}] = true
		}
	}
	for _, e := range readGuardExceptions(t) {
		if _, goRule := rules.All().Lookup(e.Rule); goRule && !waived[[3]string{e.Stack, e.Rule, e.Resource}] {
			t.Errorf("%s:%d: cfn-guard accepts %s %s %s, but no Go waiver does: add t.Waive(%q, %q, reason) to the stack or fix it",
				exceptionsFile, e.Line, e.Stack, e.Rule, e.Resource, e.Resource, e.Rule)
		}
	}
}

// guardList reads the quoted values of the `in [...]` list of a guard file.
func guardList(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(guardDir, file))
	if err != nil {
		t.Fatal(err)
	}
	list := regexp.MustCompile(`(?s) in \[(.*?)\]`).FindSubmatch(data)
	if list == nil {
		t.Fatalf("%s has no `in [...]` list", file)
	}
	var out []string
	for _, m := range regexp.MustCompile(`'([^']+)'`).FindAllSubmatch(list[1], -1) {
		out = append(out, string(m[1]))
	}
	sort.Strings(out)
	return out
}

// cfn-guard's allow-lists are kept by hand; the Go rules read cfn-lint's
// runtime data and one dated image list. They must name the same things,
// so a runtime AWS deprecates fails here on that day until both agree.
func TestGuardListsAgreeWithTheGoRules(t *testing.T) {
	if got, want := guardList(t, "lambda.guard"), rules.SupportedRuntimes(); !slices.Equal(got, want) {
		t.Errorf("lambda.guard accepts %v; the Go rule accepts %v today: make them agree", got, want)
	}
	if got, want := guardList(t, "codebuild.guard"), rules.CurrentCodeBuildImages(); !slices.Equal(got, want) {
		t.Errorf("codebuild.guard accepts %v; the Go rule accepts %v: make them agree", got, want)
	}
}

// Every cfn-guard rule has a Go rule of the same name, so formwork validate,
// which needs no cfn-guard, checks everything CI's cross-check does.
func TestEveryGuardRuleIsAGoRule(t *testing.T) {
	for _, r := range guardRuleNames(t) {
		if _, ok := rules.All().Lookup(r); !ok {
			t.Errorf("cfn-guard rule %s has no Go rule: add it to securityRules in stacks/blocks/security.go", r)
		}
	}
}
