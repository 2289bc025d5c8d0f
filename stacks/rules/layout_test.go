package rules

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

// ruleDeclaration finds the templates.Rule values declared in Go source,
// with their ids.
var ruleDeclaration = regexp.MustCompile(`templates\.Rule\{\s*ID:\s+"([a-z0-9_]+)"`)

// Every rule is declared in the file named after its id, and each rule file
// declares one rule: a reader finds a rule by its id, as in cfn-lint.
func TestEveryRuleIsDeclaredInItsOwnFile(t *testing.T) {
	declaredIn := map[string]string{}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ruleDeclaration.FindAllStringSubmatch(string(src), -1) {
			if want := m[1] + ".go"; f != want {
				t.Errorf("%s declares rule %s: move it to stacks/rules/%s, one file per rule", f, m[1], want)
			}
			declaredIn[m[1]] = f
		}
	}
	for _, r := range append(Wiring(), Security()...) {
		if declaredIn[r.ID] == "" {
			t.Errorf("rule %s is not declared as `var ... = templates.Rule{ID: %q, ...}` in stacks/rules/%s.go", r.ID, r.ID, r.ID)
		}
	}
}

// The compliant fixtures are templates a team could deploy: cfn-lint finds
// no error or warning in them. Locally the test skips without cfn-lint; in
// CI (CI=true) it fails.
func TestCompliantFixturesPassCfnLint(t *testing.T) {
	lint := templatestest.Tool(t, "cfn-lint", "the compliant fixtures were not linted (pip install cfn-lint)")
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "*", "compliant.yaml"))
	if len(files) < len(Wiring())+len(Security()) {
		t.Fatalf("found %d compliant fixtures, want one per rule", len(files))
	}
	out, err := exec.Command(lint, append([]string{"--"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("cfn-lint finds problems in the compliant fixtures (fix the fixture, not the rule):\n%s", out)
	}
}
