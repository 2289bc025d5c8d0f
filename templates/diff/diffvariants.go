package diff

import (
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
	seen := map[string]bool{}
	templates.Walk(v, "", func(_ string, fn templates.Fn) {
		if fn.Name != templates.FnIf {
			return
		}
		if name, _, _, ok := ifParts(fn); ok && !seen[name] && len(out) < maxIfConditions {
			seen[name] = true
			out = append(out, name)
		}
	})
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
// its key or list item; present is false when v itself goes away. Values
// without a resolved Fn::If are returned as they are, not copied.
func resolveIfs(v any, assign map[string]bool) (out any, present bool) {
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
						return nil, false
					}
					return resolveIfs(branch, assign)
				}
			}
		}
		arg, _ := resolveIfs(t.Arg, assign)
		return templates.Fn{Name: t.Name, Arg: arg}, true
	case *templates.Map:
		m := templates.NewMap()
		for _, k := range t.Keys() {
			if child, ok := resolveIfs(t.Value(k), assign); ok {
				m.Set(k, child)
			}
		}
		return m, true
	case []any:
		list := make([]any, 0, len(t))
		for _, item := range t {
			if child, ok := resolveIfs(item, assign); ok {
				list = append(list, child)
			}
		}
		return list, true
	}
	return v, true
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
	resourceCond := r.attribute("Condition")
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
