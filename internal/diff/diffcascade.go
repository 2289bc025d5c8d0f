package diff

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// cascadeReplacements marks resources whose create-only properties refer to
// a replaced resource: its Ref or GetAtt values change, so they are replaced
// too, even when their own text did not change. A reference to a resource
// that may be replaced, or from a conditionally create-only property, may
// replace.
//
// One change at a time, always at the first resource in head order that a
// change applies to, until none does; after each change only the resource
// and those referring to it are looked at again (the others still have
// nothing to change), so the cost follows the changes, not resources times
// changes.
func cascadeReplacements(out []ResourceDiff, base, head *templates.Map) []ResourceDiff {
	c := cascade{head: head, entries: map[string]*ResourceDiff{}, replaced: map[string]Replacement{}, paths: map[string]replacingPaths{}}
	for i := range out {
		c.entries[out[i].LogicalID] = &out[i]
		c.noteReplaced(&out[i])
	}
	if len(c.replaced) == 0 {
		return out
	}
	c.queueAll(base)
	for c.queue.Len() > 0 {
		id := c.ids[heap.Pop(&c.queue).(int)]
		c.queued[c.position[id]] = false
		if c.step(id) {
			c.requeue(id)
			for _, referrer := range c.referrers[id] {
				c.requeue(referrer)
			}
		}
	}
	return mergeInOrder(out, c.cascaded, head)
}

// cascade is cascadeReplacements' state: every resource diff by id, the
// ones it added, the replaced resources, and the resources to look at in
// head order.
type cascade struct {
	head      *templates.Map
	entries   map[string]*ResourceDiff
	cascaded  []*ResourceDiff // resources whose only change is a cascade
	replaced  map[string]Replacement
	paths     map[string]replacingPaths // create-only paths by type
	ids       []string                  // head order
	position  map[string]int
	referrers map[string][]string // resource -> those whose create-only properties refer to it
	queue     positions
	queued    []bool
}

// queueAll queues every resource of both sides and notes what each refers
// to from its create-only properties.
func (c *cascade) queueAll(base *templates.Map) {
	c.ids = c.head.Keys()
	c.position = make(map[string]int, len(c.ids))
	c.referrers = map[string][]string{}
	c.queued = make([]bool, len(c.ids))
	for i, id := range c.ids {
		c.position[id] = i
		if _, inBase := base.Get(id); !inBase {
			continue
		}
		r := resourceOf(c.head, id)
		for _, ref := range createOnlyReferences(r, c.pathsOf(r.typ)) {
			c.referrers[ref] = append(c.referrers[ref], id)
		}
		c.requeue(id)
	}
}

func (c *cascade) requeue(id string) {
	if i := c.position[id]; !c.queued[i] {
		c.queued[i] = true
		heap.Push(&c.queue, i)
	}
}

func (c *cascade) pathsOf(typ string) replacingPaths {
	paths, ok := c.paths[typ]
	if !ok {
		paths = createOnlyPaths(typ)
		c.paths[typ] = paths
	}
	return paths
}

// step applies the change a replaced reference makes to the resource id,
// if any, and reports whether it did.
func (c *cascade) step(id string) bool {
	if c.replaced[id] == ReplaceYes {
		return false
	}
	r := resourceOf(c.head, id)
	p, ok := indirectReplacementAt(r, c.pathsOf(r.typ), c.replaced, "")
	if !ok || p.Replaces == c.replaced[id] {
		return false
	}
	d, listed := c.entries[id]
	if listed {
		if d.Replacement.Worse(p.Replaces) == d.Replacement && hasPath(*d, p.Path) {
			return false
		}
		d.Properties = append(d.Properties, p)
		d.Replacement = d.Replacement.Worse(p.Replaces)
	} else {
		added := addedResource(r)
		added.Change, added.Replacement, added.Properties = Modify, p.Replaces, []PropertyDiff{p}
		d = &added
		c.entries[id] = d
		c.cascaded = append(c.cascaded, d)
	}
	c.noteReplaced(d)
	return true
}

func (c *cascade) noteReplaced(d *ResourceDiff) {
	if d.Change == Modify && (d.Replacement == ReplaceYes || d.Replacement == ReplaceMaybe) {
		c.replaced[d.LogicalID] = d.Replacement
	}
}

// positions is a min-heap of head positions.
type positions []int

func (h positions) Len() int           { return len(h) }
func (h positions) Less(i, j int) bool { return h[i] < h[j] }
func (h positions) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *positions) Push(x any)        { *h = append(*h, x.(int)) }
func (h *positions) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// createOnlyReferences lists what r's create-only properties refer to.
func createOnlyReferences(r resourceSide, paths replacingPaths) []string {
	var out []string
	for _, group := range [][][]string{paths.always, paths.maybe} {
		for _, c := range group {
			if v, ok := valueAtPath(r.props, c); ok {
				out = append(out, references(v)...)
			}
		}
	}
	return out
}

// mergeInOrder places the added resource diffs among the others in head
// order, before the removed ones (the others are in that order already).
func mergeInOrder(out []ResourceDiff, added []*ResourceDiff, head *templates.Map) []ResourceDiff {
	if len(added) == 0 {
		return out
	}
	for _, d := range added {
		out = append(out, *d)
	}
	position := make(map[string]int, head.Len())
	for i, id := range head.Keys() {
		position[id] = i
	}
	rank := func(d ResourceDiff) (int, bool) { // removed (and anything not in head) last, in their order
		p, inHead := position[d.LogicalID]
		return p, inHead && d.Change != Remove
	}
	slices.SortStableFunc(out, func(a, b ResourceDiff) int {
		pa, headA := rank(a)
		pb, headB := rank(b)
		switch {
		case headA && headB:
			return cmp.Compare(pa, pb)
		case headA:
			return -1
		case headB:
			return 1
		}
		return 0
	})
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
	return indirectReplacementAt(r, createOnlyPaths(r.typ), replaced, why)
}

// indirectReplacementAt is indirectReplacement with the type's
// create-only paths.
func indirectReplacementAt(r resourceSide, paths replacingPaths, replaced map[string]Replacement, why string) (PropertyDiff, bool) {
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
	paths := map[string]replacingPaths{}
	var added []*ResourceDiff
	for _, id := range head.Keys() {
		i, listed := index[id]
		if _, inBase := base.Get(id); !inBase || (listed && out[i].Replacement == ReplaceYes) {
			continue
		}
		r := resourceOf(head, id)
		if _, ok := paths[r.typ]; !ok {
			paths[r.typ] = createOnlyPaths(r.typ)
		}
		p, ok := indirectReplacementAt(r, paths[r.typ], changed, ", "+defaultChangedWhy+": what happens depends on whether the deployment uses the default")
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
		d := addedResource(r)
		d.Change, d.Replacement, d.Properties = Modify, p.Replaces, []PropertyDiff{p}
		added = append(added, &d)
	}
	return mergeInOrder(out, added, head)
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
