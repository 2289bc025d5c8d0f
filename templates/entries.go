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
	if target := t.macroSection(section, forEachPrefix+name); target != nil {
		t.add(target, "loop", forEachPrefix+name, []any{identifier, collection, fragment})
	}
}

// Include declares a section-level Fn::Transform in section "Resources" or
// "Outputs", such as AWS::Include: the macro replaces it with the entries it
// returns.
//
//	t.Include("Resources", map[string]any{"Name": "AWS::Include",
//		"Parameters": map[string]any{"Location": "s3://bucket/shared.yaml"}})
func (t *Template) Include(section string, transform any) {
	target := t.macroSection(section, FnTransform)
	if target != nil {
		t.add(target, "transform", FnTransform, transform)
	}
}

func (t *Template) macroSection(section, key string) *Map {
	switch section {
	case "Resources":
		return t.resources
	case "Outputs":
		return t.outputs
	}
	t.errs = append(t.errs, fmt.Errorf("%s: %s: a macro entry goes in Resources or Outputs, not %s", t.Name, key, section))
	return nil
}

// isLoop reports whether a section key is a macro's entry, not a resource or
// output: an Fn::ForEach loop or an Fn::Transform.
func isLoop(key string) bool { return strings.HasPrefix(key, forEachPrefix) || key == FnTransform }

// Entry declares a parameter or an output (section "Parameters" or
// "Outputs") exactly as written, for one that cloudformation.Parameter or
// cloudformation.Output cannot hold (a key they lack, a null):
//
//	t.Entry("Parameters", "Env", map[string]any{"Type": "String", "Description": nil})
func (t *Template) Entry(section, name string, v any) {
	switch section {
	case "Parameters":
		t.add(t.parameters, "parameter", name, v)
	case "Outputs":
		t.add(t.outputs, "output", name, v)
	default:
		t.errs = append(t.errs, fmt.Errorf("%s: %s: Entry declares parameters and outputs, not %s", t.Name, name, section))
	}
}
