package templates

import (
	"fmt"
	"strings"
)

// forEachPrefix starts the key of a loop of the AWS::LanguageExtensions
// transform.
const forEachPrefix = "Fn::ForEach::"

// ForEach declares a loop of the AWS::LanguageExtensions transform,
// Fn::ForEach::name, in section "Resources" or "Outputs": the transform
// repeats fragment for each value of collection, with ${identifier} in its
// keys and values replaced by that value. Declare the transform too:
//
//	t.Transform("AWS::LanguageExtensions")
//	t.ForEach("Resources", "Topics", "Name", []any{"Orders", "Refunds"},
//		map[string]any{"${Name}Topic": map[string]any{"Type": "AWS::SNS::Topic"}})
//
// The generation-time checks do not look inside loops: what they declare
// exists only after the transform has run.
func (t *Template) ForEach(section, name, identifier string, collection, fragment any) {
	var target *Map
	switch section {
	case "Resources":
		target = t.resources
	case "Outputs":
		target = t.outputs
	default:
		t.errs = append(t.errs, fmt.Errorf("%s: %s%s: a loop goes in Resources or Outputs, not %s", t.Name, forEachPrefix, name, section))
		return
	}
	t.add(target, "loop", forEachPrefix+name, []any{identifier, collection, fragment})
}

// isLoop reports whether a section key is a Fn::ForEach loop.
func isLoop(key string) bool { return strings.HasPrefix(key, forEachPrefix) }
