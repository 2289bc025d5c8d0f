package diff

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// CloudFormation accepts a policy document as a JSON text as well as a
// mapping: a string, a !Sub of JSON text, or Fn::ToJsonString of a mapping.
// Before comparing, every such text in resource properties is read as the
// document it holds, so that its statements reach the IAM section and a
// change of whitespace or key order inside the text is no change.

// policyTexts reads the policy texts of the two sides of a diff. A text
// is read once: both sides mostly hold the same texts, and a document read
// from one is shared by both (nothing modifies a tree), which also lets
// identical see the two as one. The documents are kept by text, of a
// string and of a !Sub apart (nil: not a document).
type policyTexts struct{ plain, sub map[string]*templates.Map }

func newPolicyTexts() policyTexts {
	return policyTexts{map[string]*templates.Map{}, map[string]*templates.Map{}}
}

// readPolicyTexts returns the template with the policy texts in its
// resources' properties replaced by the documents they hold, except the
// resources in known, already read: they are replaced by their reading.
// Nothing is copied when nothing is replaced; the input is never modified.
func (texts policyTexts) readPolicyTexts(tree *templates.Map, known map[string]*templates.Map) *templates.Map {
	if tree == nil {
		return nil
	}
	resources, changed := rewriteMap(templates.Section(tree, "Resources"), func(id string, body any) (any, bool) {
		m, ok := body.(*templates.Map)
		if !ok {
			return body, false
		}
		if read, ok := known[id]; ok {
			return read, read != m
		}
		return rewriteMap(m, func(k string, v any) (any, bool) {
			if k != "Properties" {
				return v, false
			}
			return texts.readPolicies(v)
		})
	})
	if !changed {
		return tree
	}
	out, _ := rewriteMap(tree, func(k string, v any) (any, bool) {
		if k == "Resources" {
			return resources, true
		}
		return v, false
	})
	return out
}

// rewriteMap applies f to every entry and returns a copy holding the
// changed values, or m itself (changed false) when f changes none.
func rewriteMap(m *templates.Map, f func(k string, v any) (any, bool)) (*templates.Map, bool) {
	var out *templates.Map
	for i, k := range m.Keys() {
		v, changed := f(k, m.Value(k))
		if changed && out == nil {
			out = templates.NewMap()
			for _, prev := range m.Keys()[:i] {
				out.Set(prev, m.Value(prev))
			}
		}
		if out != nil {
			out.Set(k, v)
		}
	}
	if out == nil {
		return m, false
	}
	return out, true
}

// rewriteList is rewriteMap for a list: the items f changes, in a copy made
// only when one does.
func rewriteList(list []any, f func(v any) (any, bool)) ([]any, bool) {
	var out []any
	for i, item := range list {
		child, changed := f(item)
		if changed && out == nil {
			out = append(make([]any, 0, len(list)), list[:i]...)
		}
		if out != nil {
			out = append(out, child)
		}
	}
	if out == nil {
		return list, false
	}
	return out, true
}

// readPolicies replaces policy texts inside v, copying only what changes.
func (texts policyTexts) readPolicies(v any) (any, bool) {
	if doc, ok := texts.policyText(v); ok {
		return doc, true
	}
	switch t := v.(type) {
	case *templates.Map:
		return rewriteMap(t, func(_ string, child any) (any, bool) { return texts.readPolicies(child) })
	case []any:
		if list, changed := rewriteList(t, texts.readPolicies); changed {
			return list, true
		}
		return v, false // v itself: a list made an interface again would be copied to the heap
	case templates.Fn:
		if t.Name == templates.FnSub {
			return v, false // a !Sub that is not a policy text
		}
		arg, changed := texts.readPolicies(t.Arg)
		if !changed {
			return v, false
		}
		return templates.Fn{Name: t.Name, Arg: arg}, true
	}
	return v, false
}

// policyText reads a JSON policy text: a string, a !Sub whose text is JSON
// (its ${} variables become !Sub strings in the document), or
// Fn::ToJsonString of a document.
func (texts policyTexts) policyText(v any) (*templates.Map, bool) {
	switch t := v.(type) {
	case string:
		return texts.read(t, nil, false)
	case templates.Fn:
		switch t.Name {
		case templates.FnToJSON:
			if m, ok := t.Arg.(*templates.Map); ok && isDocument(m) {
				return m, true
			}
		case templates.FnSub:
			if text, ok := t.Arg.(string); ok { // without SubParts' empty variable map
				return texts.read(text, nil, true)
			}
			text, vars := templates.SubParts(t.Arg)
			return texts.read(text, vars, true)
		}
	}
	return nil, false
}

// read is the document a JSON text holds, its ${} variables made !Sub
// strings when it is a !Sub's (with vars, its variable map). A text is
// parsed once; only a !Sub with a variable map is read every time.
func (texts policyTexts) read(text string, vars *templates.Map, sub bool) (*templates.Map, bool) {
	if !mayBePolicyJSON(text) {
		return nil, false
	}
	cacheable := vars == nil || vars.Len() == 0
	read := texts.plain
	if sub {
		read = texts.sub
	}
	if doc, seen := read[text]; seen && cacheable {
		return doc, doc != nil
	}
	doc, ok := parsePolicyJSON(text)
	if ok && sub {
		doc = substituted(doc, vars).(*templates.Map)
	}
	if cacheable {
		read[text] = doc
	}
	return doc, ok
}

// parsePolicyJSON reads text as a policy document if it is a JSON object
// with a Statement.
func parsePolicyJSON(text string) (*templates.Map, bool) {
	doc, err := templates.Parse([]byte(strings.TrimSpace(text)))
	if err != nil || !isDocument(doc) {
		return nil, false
	}
	return doc, true
}

// mayBePolicyJSON is a cheap first look: a JSON object that names a
// Statement.
func mayBePolicyJSON(text string) bool {
	trimmed := strings.TrimSpace(text)
	return strings.HasPrefix(trimmed, "{") && strings.Contains(trimmed, `"Statement"`)
}

func isDocument(m *templates.Map) bool {
	_, ok := m.Get("Statement")
	return ok
}

// substituted turns every string holding a ${} variable back into the !Sub
// it is part of, so that it reads (and compares) like the same document
// written as YAML with !Sub values.
func substituted(v any, vars *templates.Map) any {
	switch t := v.(type) {
	case string:
		if names, _ := templates.SubVariables(t); len(names) == 0 {
			return strings.ReplaceAll(t, "${!", "${") // ${!Literal} is the text ${Literal}
		}
		if vars != nil && vars.Len() > 0 {
			return templates.Fn{Name: templates.FnSub, Arg: []any{t, vars}}
		}
		return templates.Fn{Name: templates.FnSub, Arg: t}
	case *templates.Map:
		out := templates.NewMap()
		for _, k := range t.Keys() {
			out.Set(k, substituted(t.Value(k), vars))
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, item := range t {
			out[i] = substituted(item, vars)
		}
		return out
	}
	return v
}
