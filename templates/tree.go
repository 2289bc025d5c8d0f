package templates

import "slices"

// Accessors for reading a decoded template tree (*Map, []any, Fn, scalars)
// in checks and commands. They never panic and treat anything of the wrong
// shape as missing, so callers need no type assertions of their own.

// Resource is one entry of a template's Resources section.
type Resource struct {
	ID, Type   string // Type is "" unless a plain string
	Body       *Map   // the whole entry: Type, Properties, DependsOn, ...
	Properties *Map   // never nil: empty when missing or not a mapping
}

// Resources returns the entries of tree's Resources section in declaration
// order; entries that are not mappings are skipped.
func Resources(tree *Map) []Resource {
	return resourcesWhere(tree, nil)
}

// ResourcesOfType returns the resources whose Type is one of types, in
// declaration order.
func ResourcesOfType(tree *Map, types ...string) []Resource {
	return resourcesWhere(tree, func(typ string) bool { return slices.Contains(types, typ) })
}

// resourcesWhere lists the resources whose type passes keep (all when keep
// is nil). Rules ask for their types on every render, so the entries of
// other types are skipped before anything is built for them.
func resourcesWhere(tree *Map, keep func(typ string) bool) []Resource {
	section := Section(tree, "Resources")
	var out []Resource
	for i, id := range section.keys {
		body, ok := section.vals[i].(*Map)
		if !ok || body == nil {
			continue
		}
		typ := StringAt(body, "Type")
		if keep != nil && !keep(typ) {
			continue
		}
		if out == nil && keep == nil {
			out = make([]Resource, 0, len(section.keys)-i)
		}
		out = append(out, Resource{ID: id, Type: typ, Body: body, Properties: AsMap(ValueAt(body, "Properties"))})
	}
	return out
}

// Lookup follows path through nested mappings starting at v. ok is false
// when a step is missing or not a mapping; an empty path returns v itself.
func Lookup(v any, path ...string) (value any, ok bool) {
	for _, key := range path {
		m, isMap := v.(*Map)
		if !isMap || m == nil {
			return nil, false
		}
		if v, ok = m.Get(key); !ok {
			return nil, false
		}
	}
	return v, true
}

// ValueAt is Lookup's value alone: nil when the path is missing.
func ValueAt(v any, path ...string) any {
	value, _ := Lookup(v, path...)
	return value
}

// StringAt is the value at path if it is a plain string, else "".
func StringAt(v any, path ...string) string {
	s, _ := ValueAt(v, path...).(string)
	return s
}

// ListAt is the value at path if it is a list, else nil.
func ListAt(v any, path ...string) []any {
	list, _ := ValueAt(v, path...).([]any)
	return list
}

// AsMap is v as a mapping, or an empty mapping when v is not one (nil
// included), so that its result can always be read.
func AsMap(v any) *Map {
	if m, ok := v.(*Map); ok && m != nil {
		return m
	}
	return NewMap()
}

// RefTarget is the logical id X that v names as !Ref X or !GetAtt X.Attr
// (held as [X, Attr] once decoded), else "".
func RefTarget(v any) string {
	fn, ok := v.(Fn)
	if !ok {
		return ""
	}
	switch arg := fn.Arg.(type) {
	case string:
		if fn.Name == FnRef {
			return arg
		}
	case []any:
		if fn.Name == FnGetAtt && len(arg) == 2 {
			name, _ := arg[0].(string)
			return name
		}
	}
	return ""
}

// PinnedRegion is the region that a rule without a RuleCondition pins with
// the assertion !Equals [!Ref AWS::Region, REGION] (either argument order):
// deploying anywhere else fails before any resource is created. It returns
// "" when no such rule exists, and the first one's region when several do.
func PinnedRegion(tree *Map) string {
	rules := Section(tree, "Rules")
	for i := range rules.keys {
		rule := AsMap(rules.vals[i])
		if _, conditional := rule.Get("RuleCondition"); conditional {
			continue
		}
		for _, assertion := range ListAt(rule, "Assertions") {
			if region := regionEquals(ValueAt(assertion, "Assert")); region != "" {
				return region
			}
		}
	}
	return ""
}

// regionEquals reads !Equals [!Ref AWS::Region, REGION] in either order.
func regionEquals(expr any) string {
	fn, ok := expr.(Fn)
	if !ok || fn.Name != FnEquals {
		return ""
	}
	args, _ := fn.Arg.([]any)
	if len(args) != 2 {
		return ""
	}
	for i, arg := range args {
		if ref, ok := arg.(Fn); ok && ref.Name == FnRef && ref.Arg == "AWS::Region" {
			region, _ := args[1-i].(string)
			return region
		}
	}
	return ""
}
