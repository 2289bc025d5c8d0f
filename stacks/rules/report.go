package rules

import (
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

// ruleReport records the findings of one rule in one stack; the rule set
// names the rule in each (templates.Rules.Check).
type ruleReport struct {
	stack string
	out   *[]templates.Finding
}

func (r ruleReport) add(id, path, format string, args ...any) {
	*r.out = append(*r.out, templates.Finding{Stack: r.stack, LogicalID: id, Path: path, Message: fmt.Sprintf(format, args...)})
}

// reported turns a check that reports through a ruleReport into a
// templates.Checker.
func reported(check func(r ruleReport, tree *templates.Map)) templates.Checker {
	return func(stack string, tree *templates.Map) []templates.Finding {
		var out []templates.Finding
		check(ruleReport{stack: stack, out: &out}, tree)
		return out
	}
}
