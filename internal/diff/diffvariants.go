package diff

import (
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// A resource whose properties hold Fn::If means different things in
// different deployments. Grants and exposures are read from every variant
// (each condition true and false) and marked with the conditions under
// which they hold, so that a statement behind an !If is reviewed like any
// other.

// maxIfConditions bounds the variants read per resource (2^6 = 64); Fn::If
// on further conditions stays unresolved and is shown as written.
const maxIfConditions = 6

// ifConditions lists the distinct conditions of the Fn::If in v, in the
// order they appear, at most maxIfConditions.
func ifConditions(v any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case *templates.Map:
			for _, k := range t.Keys() {
				walk(t.Value(k))
			}
		case []any:
			for _, item := range t {
				walk(item)
			}
		case templates.Fn:
			if name, _, _, ok := ifParts(t); ok && t.Name == templates.FnIf && !slices.Contains(out, name) && len(out) < maxIfConditions {
				out = append(out, name)
			}
			walk(t.Arg)
		}
	}
	walk(v)
	return out
}

// ifParts splits Fn::If [Condition, then, else].
func ifParts(fn templates.Fn) (cond string, then, els any, ok bool) {
	args, isList := fn.Arg.([]any)
	if !isList || len(args) != 3 {
		return "", nil, nil, false
	}
	cond, ok = args[0].(string)
	return cond, args[1], args[2], ok
}

// isNoValue reports whether v is !Ref AWS::NoValue, which removes the key
// or list item holding it.
func isNoValue(v any) bool {
	fn, ok := v.(templates.Fn)
	return ok && fn.Name == templates.FnRef && fn.Arg == "AWS::NoValue"
}

// resolveIfs returns v with every Fn::If on an assigned condition replaced
// by the branch the assignment picks. A branch that is AWS::NoValue removes
// its key or list item; present is false when v itself goes away. Only
// what holds a resolved Fn::If is copied; the input is never modified.
func resolveIfs(v any, assign map[string]bool) (out any, present bool) {
	out, present, _ = resolve(v, assign)
	return out, present
}

func resolve(v any, assign map[string]bool) (out any, present, changed bool) {
	switch t := v.(type) {
	case templates.Fn:
		if t.Name == templates.FnIf {
			if cond, then, els, ok := ifParts(t); ok {
				if value, assigned := assign[cond]; assigned {
					branch := els
					if value {
						branch = then
					}
					if isNoValue(branch) {
						return nil, false, true
					}
					out, present, _ := resolve(branch, assign)
					return out, present, true
				}
			}
		}
		arg, _, changed := resolve(t.Arg, assign)
		if !changed {
			return v, true, false
		}
		return templates.Fn{Name: t.Name, Arg: arg}, true, true
	case *templates.Map:
		var m *templates.Map
		for i, k := range t.Keys() {
			child, present, changed := resolve(t.Value(k), assign)
			if changed && m == nil {
				m = templates.NewMap()
				for _, prev := range t.Keys()[:i] {
					m.Set(prev, t.Value(prev))
				}
			}
			if m != nil && present {
				m.Set(k, child)
			}
		}
		if m == nil {
			return v, true, false
		}
		return m, true, true
	case []any:
		var list []any
		for i, item := range t {
			child, present, changed := resolve(item, assign)
			if changed && list == nil {
				list = append(make([]any, 0, len(t)), t[:i]...)
			}
			if list != nil && present {
				list = append(list, child)
			}
		}
		if list == nil {
			return v, true, false
		}
		return list, true, true
	}
	return v, true, false
}

// variantOf is the resource as one assignment of its conditions sees it.
func variantOf(r resourceSide, conds []string, i int) resourceSide {
	if len(conds) == 0 {
		return r
	}
	assign := make(map[string]bool, len(conds))
	for j, c := range conds {
		assign[c] = i&(1<<j) == 0
	}
	props, ok := resolveIfs(r.props, assign)
	if !ok {
		props = templates.NewMap()
	}
	r.props = props
	return r
}

// keyed is a row found in a resource, with the text that identifies it.
type keyed[R any] struct {
	key string
	row R
}

// acrossVariants collects rows from every variant of a resource and marks
// each with the conditions under which it holds (its resource's Condition
// included). A row found in every variant holds unconditionally.
func acrossVariants[R any](r resourceSide, collect func(resourceSide) []keyed[R], setWhen func(*R, string)) []keyed[R] {
	conds := ifConditions(r.props)
	resourceCond := r.attribute("Condition")
	if len(conds) == 0 { // one variant: no bookkeeping
		items := collect(r)
		if resourceCond != "" {
			for i := range items {
				setWhen(&items[i].row, resourceCond)
				items[i].key += whenKey + resourceCond
			}
		}
		return items
	}
	n := 1 << len(conds)
	type found struct {
		item  keyed[R]
		holds []bool
	}
	byKey := map[string]*found{}
	var order []string
	for i := 0; i < n; i++ {
		seen := map[string]int{}
		for _, item := range collect(variantOf(r, conds, i)) {
			seen[item.key]++
			k := item.key + "\x00" + string(rune('0'+seen[item.key]))
			f := byKey[k]
			if f == nil {
				f = &found{item: item, holds: make([]bool, n)}
				byKey[k] = f
				order = append(order, k)
			}
			f.holds[i] = true
		}
	}
	out := make([]keyed[R], 0, len(order))
	for _, k := range order {
		f := byKey[k]
		when := joinWhen(resourceCond, whenLabel(conds, f.holds))
		setWhen(&f.item.row, when)
		if when != "" {
			f.item.key += whenKey + when
		}
		out = append(out, f.item)
	}
	return out
}

// whenKey separates a row's key from the conditions it holds under.
const whenKey = "\x00when "

// whenLabel names the variants in which something holds: "" for all of
// them, else the conditions they share ("IsProd", "not IsProd and HasVpc"),
// or each variant spelled out when no shorter description is exact.
func whenLabel(conds []string, holds []bool) string {
	all := true
	for _, h := range holds {
		all = all && h
	}
	if all {
		return ""
	}
	var literals []string
	var mask, want int // the condition bits the holding variants agree on
	for j := range conds {
		first, agree := -1, true
		for i, h := range holds {
			if !h {
				continue
			}
			bit := i >> j & 1
			if first >= 0 && bit != first {
				agree = false
			}
			first = bit
		}
		if agree && first >= 0 {
			mask |= 1 << j
			want |= first << j
			literals = append(literals, literal(conds[j], first == 0))
		}
	}
	exact := true
	for i, h := range holds {
		if (i&mask == want) != h {
			exact = false
		}
	}
	if exact {
		return strings.Join(literals, " and ")
	}
	var alternatives []string
	for i, h := range holds {
		if !h {
			continue
		}
		var parts []string
		for j, c := range conds {
			parts = append(parts, literal(c, i&(1<<j) == 0))
		}
		alternatives = append(alternatives, "("+strings.Join(parts, " and ")+")")
	}
	return strings.Join(alternatives, " or ")
}

func literal(cond string, value bool) string {
	if value {
		return cond
	}
	return "not " + cond
}

// joinWhen is "Outer and (inner)": a resource's Condition and the Fn::If
// branches inside it.
func joinWhen(outer, inner string) string {
	switch {
	case outer == "":
		return inner
	case inner == "":
		return outer
	case strings.Contains(inner, " or "):
		return outer + " and (" + inner + ")"
	}
	return outer + " and " + inner
}
