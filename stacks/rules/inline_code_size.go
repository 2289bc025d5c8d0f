package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var inlineCodeSize = templates.Rule{
	ID:      "inline_code_size",
	Summary: "inline code stays within Lambda's 4,096 characters, parameters at their longest",
	Why:     "Lambda refuses longer inline code at deploy time",
	Check:   checkInlineCodeSize,
}

// checkInlineCodeSize refuses inline code that could exceed InlineCodeLimit
// once deployed. Each ${Parameter} counts as its parameter's MaxLength (or
// the digits of its MaxValue): without one, the size cannot be bounded and
// that is reported too.
func checkInlineCodeSize(stack string, tree *templates.Map) []templates.Finding {
	params := templates.Section(tree, "Parameters")
	var out []templates.Finding
	for _, fn := range templates.ResourcesOfType(tree, "AWS::Lambda::Function") {
		text, isSub := inlineText(templates.ValueAt(fn.Properties, "Code", "ZipFile"))
		if text == "" && !isSub {
			continue
		}
		size, problems := WorstCaseInlineSize(text, isSub, params)
		report := func(msg string) {
			out = append(out, templates.Finding{Stack: stack, LogicalID: fn.ID, Path: "Properties.Code.ZipFile", Message: msg})
		}
		for _, p := range problems {
			report(p)
		}
		if size > InlineCodeLimit {
			report(fmt.Sprintf("inline code can reach %d characters with every parameter at its MaxLength; Lambda accepts %d: shorten it or deploy it from S3", size, InlineCodeLimit))
		}
	}
	return out
}

// WorstCaseInlineSize is the length of inline code once deployed, with every
// ${Parameter} at its longest, and what keeps it from being bounded.
func WorstCaseInlineSize(text string, isSub bool, params *templates.Map) (int, []string) {
	size := len([]rune(text))
	if !isSub {
		return size, nil
	}
	vars, _ := templates.SubVariables(text)
	var problems []string
	for _, v := range vars {
		n, ok := maxValueLength(v, params)
		if !ok {
			problems = append(problems, fmt.Sprintf("inline code uses ${%s}, whose length has no bound: give parameter %s a MaxLength (or MaxValue) so the %d-character limit can be checked", v, v, InlineCodeLimit))
		}
		size += n - len("${"+v+"}")
	}
	return size + strings.Count(text, "${!")*-1, problems
}

func maxValueLength(name string, params *templates.Map) (int, bool) {
	if n, ok := pseudoParameterLengths[name]; ok {
		return n, true
	}
	p, ok := params.Get(name)
	if !ok {
		return 0, false
	}
	if n, ok := templates.Lookup(p, "MaxLength"); ok {
		var length int
		_, err := fmt.Sscan(fmt.Sprint(n), &length)
		return length, err == nil
	}
	if n, ok := templates.Lookup(p, "MaxValue"); ok {
		return len(fmt.Sprint(n)), true
	}
	return 0, false
}
