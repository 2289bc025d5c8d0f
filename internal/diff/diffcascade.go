package diff

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// cascadeReplacements marks resources whose create-only properties refer to
// a replaced resource: its Ref or GetAtt values change, so they are replaced
// too, even when their own text did not change. A reference to a resource
// that may be replaced, or from a conditionally create-only property, may
// replace.
func cascadeReplacements(out []ResourceDiff, base, head *templates.Map) []ResourceDiff {
	for changed := true; changed; {
		changed = false
		replaced := map[string]Replacement{}
		index := map[string]int{}
		for i, d := range out {
			index[d.LogicalID] = i
			if d.Change == Modify && (d.Replacement == ReplaceYes || d.Replacement == ReplaceMaybe) {
				replaced[d.LogicalID] = d.Replacement
			}
		}
		if len(replaced) == 0 {
			break
		}
		for _, id := range head.Keys() {
			if _, inBase := base.Get(id); !inBase || replaced[id] == ReplaceYes {
				continue
			}
			p, ok := indirectReplacement(resourceOf(head, id), replaced, "")
			if !ok || p.Replaces == replaced[id] {
				continue
			}
			if i, listed := index[id]; listed {
				if out[i].Replacement.Worse(p.Replaces) == out[i].Replacement && hasPath(out[i], p.Path) {
					continue
				}
				out[i].Properties = append(out[i].Properties, p)
				out[i].Replacement = out[i].Replacement.Worse(p.Replaces)
			} else {
				d := addedResource(resourceOf(head, id))
				d.Change, d.Replacement, d.Properties = Modify, p.Replaces, []PropertyDiff{p}
				out = insertInOrder(out, d, head)
			}
			changed = true
			break // indices moved: start over
		}
	}
	return out
}

func hasPath(d ResourceDiff, path string) bool {
	for _, p := range d.Properties {
		if p.Path == path {
			return true
		}
	}
	return false
}

// indirectReplacement finds the create-only property of r that refers to
// one of the given resources or parameters, the one with the worst
// verdict: replaced ("yes") when a create-only property refers to a
// replaced resource, "maybe" otherwise. why explains the reference (by
// default: the resource is, or may be, replaced).
func indirectReplacement(r resourceSide, replaced map[string]Replacement, why string) (PropertyDiff, bool) {
	paths := createOnlyPaths(r.typ)
	var best PropertyDiff
	for _, group := range []struct {
		paths       [][]string
		conditional bool
	}{{paths.always, false}, {paths.maybe, true}} {
		for _, c := range group.paths {
			v, ok := valueAtPath(r.props, c)
			if !ok {
				continue
			}
			for _, ref := range references(v) {
				verdict := replaced[ref]
				if verdict == "" {
					continue
				}
				if group.conditional {
					verdict = ReplaceMaybe
				}
				how := why
				if how == "" && replaced[ref] == ReplaceMaybe {
					how = ", which may be replaced"
				} else if how == "" {
					how = ", which is replaced"
				}
				verdict, reason := decideProperty(r.typ, c[0], verdict, fmt.Sprintf("refers to %s%s", ref, how), r, r)
				if best.Replaces != "" && best.Replaces.Worse(verdict) == best.Replaces {
					continue
				}
				best = PropertyDiff{Path: "Properties." + strings.Join(c, "."), Change: Indirect,
					Old: Summarize(v), New: Summarize(v), Replaces: verdict, Why: reason}
			}
		}
	}
	return best, best.Replaces != ""
}

// parameterReplacements marks resources whose create-only properties refer
// to a parameter whose Default changed: they are replaced when a deployment
// takes the default, which the template alone cannot tell.
func parameterReplacements(out []ResourceDiff, base, head *templates.Map, changed map[string]Replacement) []ResourceDiff {
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
		p, ok := indirectReplacement(resourceOf(head, id), changed, ", "+defaultChangedWhy+": what happens depends on whether the deployment uses the default")
		if !ok {
			continue
		}
		if p.Replaces != ReplaceNo {
			p.Replaces = ReplaceUnknown
		}
		if listed {
			out[i].Properties = append(out[i].Properties, p)
			out[i].Replacement = out[i].Replacement.Worse(p.Replaces)
			continue
		}
		d := addedResource(resourceOf(head, id))
		d.Change, d.Replacement, d.Properties = Modify, p.Replaces, []PropertyDiff{p}
		out = insertInOrder(out, d, head)
		index = map[string]int{}
		for i, d := range out {
			index[d.LogicalID] = i
		}
	}
	return out
}

// defaultChangedWhy marks a property whose value depends on a parameter
// whose Default changed.
const defaultChangedWhy = "a parameter whose Default changed"

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
