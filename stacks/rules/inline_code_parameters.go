package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var inlineCodeParameters = templates.Rule{
	ID:      "inline_code_parameters",
	Summary: "a parameter substituted into inline code cannot hold quotes, backslashes or line breaks",
	Why:     "!Sub pastes the value into the source: a quote or line break breaks the code, or turns the value into code",
	Check:   reported(checkInlineCodeParameters),
}

// inlineCodeSources are the properties whose !Sub text becomes source code.
var inlineCodeSources = map[string][]string{
	"AWS::Lambda::Function":     {"Properties", "Code", "ZipFile"},
	"AWS::CloudFront::Function": {"Properties", "FunctionCode"},
}

func checkInlineCodeParameters(r ruleReport, tree *templates.Map) {
	params := templates.Section(tree, "Parameters")
	for _, res := range templates.Resources(tree) {
		path, ok := inlineCodeSources[res.Type]
		if !ok {
			continue
		}
		text, isSub := inlineText(templates.ValueAt(res.Body, path...))
		if !isSub {
			continue
		}
		vars, _ := templates.SubVariables(text)
		seen := map[string]bool{}
		for _, v := range vars {
			p, declared := params.Get(v)
			if !declared || seen[v] {
				continue // pseudo parameters and resource attributes come from AWS
			}
			seen[v] = true
			if msg := CodeParameterProblem(p); msg != "" {
				r.add(res.ID, strings.Join(path, "."), "parameter %s is pasted into the code by !Sub, but %s: give it an AllowedPattern that excludes quotes, backslashes and line breaks, e.g. %s, or pass it in an environment variable", v, msg, SafeTextPattern)
			}
		}
	}
}

// SafeTextPattern accepts one line of text without quotes or backslashes:
// a value that can be pasted between quotes in Python or JavaScript source.
const SafeTextPattern = `^[^\x00-\x1f"'\\` + "`" + `]+$`

// HostileCodeCharacters are what breaks out of a string literal in inline
// code, or breaks the code: quotes, backslash, line breaks, NUL.
var HostileCodeCharacters = []string{`"`, `'`, "`", `\`, "\n", "\r", "\x00"}

// CodeParameterProblem says why a parameter's values are not safe to paste
// into source code, or "" when they are: numbers and AWS-typed ids, listed
// values free of hostile characters, or a pattern that refuses every one.
func CodeParameterProblem(p any) string {
	typ := templates.StringAt(p, "Type")
	if typ == "Number" || typ == "List<Number>" || (strings.HasPrefix(typ, "AWS::") && !strings.HasPrefix(typ, "AWS::SSM::")) {
		return ""
	}
	if values := templates.ListAt(p, "AllowedValues"); len(values) > 0 {
		for _, v := range values {
			if s := fmt.Sprint(v); strings.ContainsAny(s, strings.Join(HostileCodeCharacters, "")) {
				return fmt.Sprintf("its allowed value %q holds a quote, backslash or line break", s)
			}
		}
		return ""
	}
	pattern, ok := templates.ValueAt(p, "AllowedPattern").(string)
	if !ok {
		return "it has no AllowedPattern, so any text is accepted"
	}
	accepted, err := acceptedHostileValues(pattern)
	if err != nil {
		return fmt.Sprintf("its AllowedPattern cannot be checked (%v)", err)
	}
	if len(accepted) > 0 {
		return fmt.Sprintf("its AllowedPattern accepts %s", strings.Join(accepted, ", "))
	}
	return ""
}

// acceptedHostileValues returns, quoted, the values with a hostile
// character that the pattern accepts; each is a value the pattern accepts
// with one hostile character inserted somewhere.
func acceptedHostileValues(pattern string) ([]string, error) {
	re, seeds, err := compileParameterPattern(pattern)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, seed := range seeds {
		if strings.ContainsAny(seed, strings.Join(HostileCodeCharacters, "")) {
			found[fmt.Sprintf("%q", seed)] = true
		}
		for _, h := range HostileCodeCharacters {
			for i := 0; i <= len(seed); i++ {
				if probe := seed[:i] + h + seed[i:]; re.MatchString(probe) {
					found[fmt.Sprintf("%q", probe)] = true
					break
				}
			}
		}
	}
	out := make([]string, 0, len(found))
	for k := range found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}
