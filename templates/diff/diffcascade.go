package diff

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// cascadeReplacements marks resources whose create-only properties refer to
// a replaced resource: its Ref or GetAtt values change, so they are replaced
// too, even when their own text did not change.
func cascadeReplacements(out []ResourceDiff, base, head *templates.Map) []ResourceDiff {
	for changed := true; changed; {
		changed = false
		replaced := map[string]bool{}
		index := map[string]int{}
		for i, d := range out {
			index[d.LogicalID] = i
			if d.Change == Modify && d.Replacement == ReplaceYes {
				replaced[d.LogicalID] = true
			}
		}
		for _, id := range head.Keys() {
			if _, inBase := base.Get(id); !inBase || replaced[id] {
				continue
			}
			p, ok := indirectReplacement(resourceOf(head, id), replaced)
			if !ok {
				continue
			}
			if i, listed := index[id]; listed {
				out[i].Properties = append(out[i].Properties, p)
				out[i].Replacement = ReplaceYes
			} else {
				d := addedResource(resourceOf(head, id))
				d.Change, d.Replacement, d.Properties = Modify, ReplaceYes, []PropertyDiff{p}
				out = insertInOrder(out, d, head)
			}
			changed = true
		}
	}
	return out
}

// indirectReplacement finds a create-only property of r that refers to one
// of the given resources or parameters.
func indirectReplacement(r resourceSide, replaced map[string]bool) (PropertyDiff, bool) {
	createOnly, _ := createOnlyPaths(r.typ)
	for _, c := range createOnly {
		v, ok := valueAtPath(r.props, c)
		if !ok {
			continue
		}
		for _, ref := range references(v) {
			if replaced[ref] {
				return PropertyDiff{Path: "Properties." + strings.Join(c, "."), Change: Indirect,
					Old: Summarize(v), New: Summarize(v), Replaces: ReplaceYes,
					Why: fmt.Sprintf("refers to %s, which is replaced", ref)}, true
			}
		}
	}
	return PropertyDiff{}, false
}

// parameterReplacements marks resources whose create-only properties refer
// to a parameter whose Default changed: they are replaced when a deployment
// takes the default, which the template alone cannot tell.
func parameterReplacements(out []ResourceDiff, base, head *templates.Map, changed map[string]bool) []ResourceDiff {
	if len(changed) == 0 {
		return out
	}
	index := map[string]int{}
	for i, d := range out {
		index[d.LogicalID] = i
	}
	for _, id := range head.Keys() {
		i, listed := index[id]
		if _, inBase := base.Get(id); !inBase || (listed && out[i].Replacement == ReplaceYes) {
			continue
		}
		p, ok := indirectReplacement(resourceOf(head, id), changed)
		if !ok {
			continue
		}
		p.Replaces = ReplaceUnknown
		p.Why = strings.Replace(p.Why, ", which is replaced", ", a parameter whose Default changed: replaced if the deployment uses the default", 1)
		if listed {
			out[i].Properties = append(out[i].Properties, p)
			out[i].Replacement = worse(out[i].Replacement, ReplaceUnknown)
			continue
		}
		d := addedResource(resourceOf(head, id))
		d.Change, d.Replacement, d.Properties = Modify, ReplaceUnknown, []PropertyDiff{p}
		out = insertInOrder(out, d, head)
		index = map[string]int{}
		for i, d := range out {
			index[d.LogicalID] = i
		}
	}
	return out
}

// valueAtPath returns the value at a registry path; "*" takes the whole list.
func valueAtPath(v any, segs []string) (any, bool) {
	for i, s := range segs {
		if s == "*" {
			return v, i > 0
		}
		m, ok := v.(*templates.Map)
		if !ok {
			return nil, false
		}
		if v, ok = m.Get(s); !ok {
			return nil, false
		}
	}
	return v, true
}

// insertInOrder places d among the resources in head order, before any
// removed resource.
func insertInOrder(out []ResourceDiff, d ResourceDiff, head *templates.Map) []ResourceDiff {
	pos := map[string]int{}
	for i, id := range head.Keys() {
		pos[id] = i
	}
	at := len(out)
	for i, r := range out {
		p, inHead := pos[r.LogicalID]
		if r.Change == Remove || !inHead || p > pos[d.LogicalID] {
			at = i
			break
		}
	}
	return append(out[:at], append([]ResourceDiff{d}, out[at:]...)...)
}
