package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var inlineCodeSubstitution = templates.Rule{
	ID:      "inline_code_substitution",
	Summary: "inline code written as is holds no ${...} meant for !Sub",
	Why:     "CloudFormation substitutes nothing there, so the code would read the text ${Name}",
	Check:   checkInlineCodeNotSubstituted,
}

// checkInlineCodeNotSubstituted refuses plain inline code (InlineCode) that
// holds ${Name} for a parameter of the template or a pseudo parameter: the
// function would see the text ${Name}, not its value. Other ${...} (a
// JavaScript template literal, a shell variable) are the code's own.
func checkInlineCodeNotSubstituted(stack string, tree *templates.Map) []templates.Finding {
	params := templates.Section(tree, "Parameters")
	var out []templates.Finding
	for _, fn := range templates.ResourcesOfType(tree, "AWS::Lambda::Function") {
		text, ok := templates.ValueAt(fn.Properties, "Code", "ZipFile").(string)
		if !ok {
			continue
		}
		for _, v := range plainVariables(text) {
			if _, declared := params.Get(v); !declared && pseudoParameterLengths[v] == 0 {
				continue
			}
			out = append(out, templates.Finding{Stack: stack, LogicalID: fn.ID, Path: "Properties.Code.ZipFile",
				Message: fmt.Sprintf("inline code holds ${%s} but is not run through !Sub, so the function sees the text ${%s}: "+
					"deploy it with blocks.InlineCodeSub, or pass %s in Environment", v, v, v)})
		}
	}
	return out
}

// plainVariables are the names written ${Name} in text, each once, in order.
func plainVariables(text string) []string {
	var out []string
	seen := map[string]bool{}
	for {
		start := strings.Index(text, "${")
		if start < 0 {
			return out
		}
		text = text[start+2:]
		end := strings.IndexByte(text, '}')
		if end < 0 {
			return out
		}
		name := text[:end]
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
}
