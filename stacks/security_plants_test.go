package stacks

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/formwork-dev/formwork/stacks/rules"
)

// fixturesDir holds, per rule, the resources it must flag
// (violation.yaml) and accept (compliant.yaml): the Go rules' table test
// (stacks/rules) and the cfn-guard test (trust_guard_test.go) read them.
const fixturesDir = "rules/testdata"

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
			t.Errorf("cfn-guard rule %s has no Go rule: add stacks/rules/%s.go (a templates.Rule) and list it in rules.Security()", r, r)
		}
	}
}
