package rules

import "github.com/formwork-dev/formwork/templates"

// What the inline code rules (inline_code_size, inline_code_substitution,
// inline_code_parameters) share.

// pseudoParameterLengths bounds the values of the pseudo parameters code may
// use.
var pseudoParameterLengths = map[string]int{
	"AWS::AccountId": 12, "AWS::Region": 25, "AWS::Partition": 13, "AWS::URLSuffix": 20,
	"AWS::StackName": 128, "AWS::StackId": 256,
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
