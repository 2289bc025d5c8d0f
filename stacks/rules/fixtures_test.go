package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// Every rule of All() but the engine's has two fixtures beside it, the way
// cfn-lint keeps a good and a bad template per rule:
//
//	testdata/<rule>/violation.yaml  resources the rule must flag: every
//	                                resource but the Given* ones, which are
//	                                context a violation needs (the function
//	                                a schedule targets) and which the rule
//	                                must not flag
//	testdata/<rule>/compliant.yaml  resources the rule must accept; no rule
//	                                of All() may flag any of them, so they
//	                                are what a real template would hold
//
// The cfn-guard test (stacks/trust_guard_test.go) reads the same fixtures
// for the rules cfn-guard has too.
const fixturesDir = "testdata"

// givenPrefix names the context resources of a violation fixture.
const givenPrefix = "Given"

func TestEveryRuleFlagsItsViolationsAndAcceptsItsCompliantFixture(t *testing.T) {
	all := All()
	for _, rule := range append(Wiring(), Security()...) {
		t.Run(rule.ID, func(t *testing.T) {
			violation := fixture(t, rule.ID, "violation.yaml")
			found := findingsByResource(all.Check("violation", violation))
			flagged := 0
			for _, r := range templates.Resources(violation) {
				switch {
				case strings.HasPrefix(r.ID, givenPrefix) && found[r.ID][rule.ID] != "":
					t.Errorf("%s flags %s, a Given* resource: %s; rename it if it is a violation", rule.ID, r.ID, found[r.ID][rule.ID])
				case strings.HasPrefix(r.ID, givenPrefix):
				case found[r.ID][rule.ID] == "":
					t.Errorf("%s does not flag %s in %s", rule.ID, r.ID, fixturePath(rule.ID, "violation.yaml"))
				default:
					flagged++
				}
			}
			if flagged == 0 {
				t.Errorf("%s holds no violation: add a resource the rule must flag", fixturePath(rule.ID, "violation.yaml"))
			}
			compliant := fixture(t, rule.ID, "compliant.yaml")
			if len(templates.Resources(compliant)) == 0 {
				t.Errorf("%s holds no resource: add one the rule must accept", fixturePath(rule.ID, "compliant.yaml"))
			}
			for _, f := range all.Check("compliant", compliant) {
				t.Errorf("%s: %s: %s: %s [%s]: a compliant fixture must pass every rule", fixturePath(rule.ID, "compliant.yaml"), f.LogicalID, f.Path, f.Message, f.Rule)
			}
		})
	}
}

// Every fixture directory is a rule's: a renamed rule takes its fixtures
// along.
func TestEveryFixtureNamesARule(t *testing.T) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := All().Lookup(e.Name()); !ok {
			t.Errorf("%s/%s holds the fixtures of %s, which is no rule of All(): rename or delete it", fixturesDir, e.Name(), e.Name())
		}
	}
}

func fixturePath(rule, file string) string {
	return filepath.Join("stacks/rules", fixturesDir, rule, file)
}

// fixture reads one fixture of a rule; a rule without one fails.
func fixture(t *testing.T, rule, file string) *templates.Map {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, rule, file))
	if err != nil {
		t.Fatalf("rule %s has no %s: add %s (%v)", rule, file, fixturePath(rule, file), err)
	}
	tree, err := templates.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", fixturePath(rule, file), err)
	}
	return tree
}

// findingsByResource maps logical id to rule to the first message.
func findingsByResource(findings []templates.Finding) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, f := range findings {
		if out[f.LogicalID] == nil {
			out[f.LogicalID] = map[string]string{}
		}
		if out[f.LogicalID][f.Rule] == "" {
			out[f.LogicalID][f.Rule] = f.Message
		}
	}
	return out
}
