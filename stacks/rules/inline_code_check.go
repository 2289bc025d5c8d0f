package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// inlineCodeRules are the wiring rules of inline Lambda code.
var inlineCodeRules = templates.Rules{
	{ID: "inline_code_size", Summary: "inline code stays within Lambda's 4,096 characters, parameters at their longest",
		Why: "Lambda refuses longer inline code at deploy time", Check: checkInlineCodeSize},
	{ID: "inline_code_substitution", Summary: "inline code written as is holds no ${...} meant for !Sub",
		Why: "CloudFormation substitutes nothing there, so the code would read the text ${Name}", Check: checkInlineCodeNotSubstituted},
}

// pseudoParameterLengths bounds the values of the pseudo parameters code may
// use.
var pseudoParameterLengths = map[string]int{
	"AWS::AccountId": 12, "AWS::Region": 25, "AWS::Partition": 13, "AWS::URLSuffix": 20,
	"AWS::StackName": 128, "AWS::StackId": 256,
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

// inlineText returns the code text and whether !Sub will substitute it.
func inlineText(code any) (string, bool) {
	switch c := code.(type) {
	case string:
		return c, false
	case templates.Fn:
		if text, ok := c.Arg.(string); ok && c.Name == templates.FnSub {
			return text, true
		}
	}
	return "", false
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
