package rules

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

var update = flag.Bool("update", false, "rewrite the README's rule tables from the rule set (make generate)")

const readme = "../../commands/help/security-rules.md" // formwork help security-rules

// readmeTables are the README's generated tables, each between the markers
// <!-- rules:begin NAME --> and <!-- rules:end NAME -->.
var readmeTables = []struct {
	name  string
	rules func() templates.Rules
}{
	{"wiring", Wiring},
	{"security", Security},
}

// TestREADMERuleTables fails when a rule table of the README is not the one
// the rule set makes; -update (make generate) rewrites it.
func TestREADMERuleTables(t *testing.T) {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, table := range readmeTables {
		text, err = replaceTable(text, table.name, ruleTable(table.rules()))
		if err != nil {
			t.Fatal(err)
		}
	}
	switch {
	case text == string(data):
	case *update:
		if err := os.WriteFile(readme, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Errorf("formwork help security-rules' rule tables are stale: run make generate (go test ./stacks/rules -run '^TestREADMERuleTables$' -update) and commit commands/help/security-rules.md")
	}
}

// ruleTable is a Markdown table of the rules: id, what each requires, why.
func ruleTable(rs templates.Rules) string {
	var b strings.Builder
	b.WriteString("| rule | requires | why |\n|---|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, markdownCell(r.Summary), markdownCell(r.Why))
	}
	return b.String()
}

// markdownCell escapes what would end a table cell or start emphasis.
var markdownCell = strings.NewReplacer("|", `\|`, "*", `\*`).Replace

// replaceTable puts table between the markers of name in text.
func replaceTable(text, name, table string) (string, error) {
	begin, end := "<!-- rules:begin "+name+" -->\n", "<!-- rules:end "+name+" -->"
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("%s has no %q ... %q: put them where the %s rules' table goes", readme, strings.TrimSpace(begin), end, name)
	}
	return text[:i+len(begin)] + table + text[j:], nil
}
