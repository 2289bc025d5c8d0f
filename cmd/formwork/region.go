package main

import "github.com/formwork-dev/formwork/templates"

// pinnedRegion returns the region a template's Rules insist on
// (an assertion !Equals [!Ref AWS::Region, REGION]), so the deploy command can
// name it instead of failing in whatever region the shell is configured for.
func pinnedRegion(tree *templates.Map) string {
	rules := templates.Section(tree, "Rules")
	for _, name := range rules.Keys() {
		rule, _ := rules.Get(name)
		body, _ := rule.(*templates.Map)
		if body == nil {
			continue
		}
		assertions, _ := body.Get("Assertions")
		list, _ := assertions.([]any)
		for _, a := range list {
			assertion, _ := a.(*templates.Map)
			if assertion == nil {
				continue
			}
			expr, _ := assertion.Get("Assert")
			if region := regionEquals(expr); region != "" {
				return region
			}
		}
	}
	return ""
}

// regionEquals reads !Equals [!Ref AWS::Region, "us-east-1"] in either order.
func regionEquals(expr any) string {
	fn, ok := expr.(templates.Fn)
	if !ok || fn.Name != templates.FnEquals {
		return ""
	}
	args, _ := fn.Arg.([]any)
	if len(args) != 2 {
		return ""
	}
	for i, arg := range args {
		ref, ok := arg.(templates.Fn)
		if ok && ref.Name == templates.FnRef && ref.Arg == "AWS::Region" {
			region, _ := args[1-i].(string)
			return region
		}
	}
	return ""
}
