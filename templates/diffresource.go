package templates

import (
	"fmt"
	"strings"
)

// resourceSide is a resource as one template declares it.
type resourceSide struct {
	id    string
	typ   string
	body  *Map
	props any
}

func resourceOf(section *Map, id string) resourceSide {
	body, _ := section.vals[id].(*Map)
	if body == nil {
		body = NewMap()
	}
	typ, _ := body.vals["Type"].(string)
	props, _ := body.Get("Properties")
	if props == nil {
		props = NewMap()
	}
	return resourceSide{id, typ, body, props}
}

func (r resourceSide) attribute(name string) string {
	s, _ := r.body.vals[name].(string)
	return s
}

// diffResources compares the Resources sections: head order first (added and
// modified), then removed resources in base order.
func diffResources(base, head *Map, defaults map[string]bool) []ResourceDiff {
	out := []ResourceDiff{}
	for _, id := range head.keys {
		newRes := resourceOf(head, id)
		if _, inBase := base.vals[id]; !inBase {
			out = append(out, addedResource(newRes))
			continue
		}
		if d, changed := modifiedResource(resourceOf(base, id), newRes); changed {
			out = append(out, d)
		}
	}
	for _, id := range base.keys {
		if _, inHead := head.vals[id]; !inHead {
			out = append(out, removedResource(resourceOf(base, id)))
		}
	}
	pairRenames(out, base, head)
	out = cascadeReplacements(out, base, head)
	out = parameterReplacements(out, base, head, defaults)
	for i := range out {
		finishResource(&out[i], base, head)
	}
	return out
}

func addedResource(r resourceSide) ResourceDiff {
	return ResourceDiff{LogicalID: r.id, Type: r.typ, Change: Add, HoldsData: HoldsData(r.typ),
		DeletionPolicy: r.attribute("DeletionPolicy"), UpdateReplacePolicy: r.attribute("UpdateReplacePolicy")}
}

func removedResource(r resourceSide) ResourceDiff {
	d := addedResource(r)
	d.Change = Remove
	return d
}

// modifiedResource describes every changed path of a resource present on
// both sides, and whether the change replaces it.
func modifiedResource(old, new resourceSide) (ResourceDiff, bool) {
	d := addedResource(new)
	d.Change, d.Replacement = Modify, ReplaceNo
	var changes []change
	for _, k := range unionKeys(old.body, new.body) {
		if k == "Type" {
			continue
		}
		ov, _ := old.body.Get(k)
		nv, _ := new.body.Get(k)
		diffKey([]any{k}, old.body, new.body, k, ov, nv, &changes)
	}
	if old.typ != new.typ {
		d.Properties = append(d.Properties, PropertyDiff{Path: "Type", Change: Modify, Old: old.typ, New: new.typ,
			Replaces: ReplaceYes, Why: "a resource's type cannot change in place"})
		d.Failures = append(d.Failures, "CloudFormation rejects a type change under the same logical id: give the new resource a new logical id")
		d.Replacement = ReplaceYes
	}
	createOnly, known := createOnlyPaths(new.typ)
	for _, c := range changes {
		p := describeChange(c)
		if c.path[0] == "Properties" {
			p.Replaces, p.Why = replaces(createOnly, known, c.path[1:], old.props, new.props)
			d.Replacement = worse(d.Replacement, p.Replaces)
		}
		d.Properties = append(d.Properties, p)
	}
	return d, len(d.Properties) > 0
}

func diffKey(path []any, oldBody, newBody *Map, k string, ov, nv any, out *[]change) {
	_, inOld := oldBody.Get(k)
	_, inNew := newBody.Get(k)
	switch {
	case !inOld:
		*out = append(*out, change{path, Add, nil, nv})
	case !inNew:
		*out = append(*out, change{path, Remove, ov, nil})
	default:
		diffValue(path, ov, nv, out)
	}
}

func unionKeys(a, b *Map) []string {
	keys := append([]string(nil), b.keys...)
	for _, k := range a.keys {
		if _, ok := b.vals[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// worse returns the more severe of two replacement verdicts.
func worse(a, b string) string {
	rank := map[string]int{"": 0, ReplaceNo: 1, ReplaceUnknown: 2, ReplaceYes: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func describeChange(c change) PropertyDiff {
	p := PropertyDiff{Path: formatPath(c.path), Change: c.kind}
	if c.old != nil || c.kind == Modify {
		p.Old = Summarize(c.old)
	}
	if c.new != nil || c.kind == Modify {
		p.New = Summarize(c.new)
	}
	oldText, oldMulti := multiline(c.old)
	newText, newMulti := multiline(c.new)
	if c.kind == Modify && (oldMulti || newMulti) {
		p.TextDiff = TextDiff(oldText, newText)
	}
	return p
}

// createOnlyPaths returns the registry's create-only properties of a type as
// path segments. Custom resources (Custom::Name) are described by
// AWS::CloudFormation::CustomResource.
func createOnlyPaths(typ string) ([][]string, bool) {
	if strings.HasPrefix(typ, "Custom::") {
		typ = "AWS::CloudFormation::CustomResource"
	}
	props, known := CreateOnlyProperties(typ)
	out := make([][]string, len(props))
	for i, p := range props {
		out[i] = strings.Split(p, ".")
	}
	return out, known
}

// replaces decides whether a change at path (inside Properties) replaces the
// resource: it does when the path is, or is inside, a create-only property,
// or contains one whose value changed.
func replaces(createOnly [][]string, known bool, path []any, oldProps, newProps any) (string, string) {
	if !known {
		return ReplaceUnknown, "the CloudFormation registry does not describe this type"
	}
	for _, c := range createOnly {
		if matchesPrefix(c, path) {
			return ReplaceYes, "create-only property " + strings.Join(c, ".")
		}
		if pathIsPrefixOf(path, c) && !sameStrings(valuesAt(oldProps, c), valuesAt(newProps, c)) {
			return ReplaceYes, "create-only property " + strings.Join(c, ".")
		}
	}
	return ReplaceNo, ""
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// cascadeReplacements marks resources whose create-only properties refer to
// a replaced resource: its Ref or GetAtt values change, so they are replaced
// too, even when their own text did not change.
func cascadeReplacements(out []ResourceDiff, base, head *Map) []ResourceDiff {
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
		for _, id := range head.keys {
			if _, inBase := base.vals[id]; !inBase || replaced[id] {
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
func parameterReplacements(out []ResourceDiff, base, head *Map, changed map[string]bool) []ResourceDiff {
	if len(changed) == 0 {
		return out
	}
	index := map[string]int{}
	for i, d := range out {
		index[d.LogicalID] = i
	}
	for _, id := range head.keys {
		i, listed := index[id]
		if _, inBase := base.vals[id]; !inBase || (listed && out[i].Replacement == ReplaceYes) {
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
		m, ok := v.(*Map)
		if !ok {
			return nil, false
		}
		if v, ok = m.vals[s]; !ok {
			return nil, false
		}
	}
	return v, true
}

// insertInOrder places d among the resources in head order, before any
// removed resource.
func insertInOrder(out []ResourceDiff, d ResourceDiff, head *Map) []ResourceDiff {
	pos := map[string]int{}
	for i, id := range head.keys {
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

// finishResource adds the notes a reviewer needs about a resource change.
func finishResource(d *ResourceDiff, base, head *Map) {
	if d.Notes == nil {
		d.Notes = []string{}
	}
	if d.Failures == nil {
		d.Failures = []string{}
	}
	if d.Properties == nil {
		d.Properties = []PropertyDiff{}
	}
	if d.Change == Modify && d.Replacement == ReplaceYes {
		if name := unchangedCustomName(resourceOf(base, d.LogicalID), resourceOf(head, d.LogicalID)); name != "" && !changesIndirectly(*d, name) {
			d.Failures = append(d.Failures, fmt.Sprintf("replacement keeps the custom name in %s: CloudFormation cannot replace a custom-named resource, so the update fails; change the name too or drop it", name))
		}
	}
	switch {
	case d.RenamedFrom != "":
		d.Notes = append(d.Notes, fmt.Sprintf("likely %s renamed (same type, %d%% identical properties): CloudFormation creates %s as a new resource and deletes %s", d.RenamedFrom, d.Similarity, d.LogicalID, d.RenamedFrom))
		if name := unchangedCustomName(resourceOf(base, d.RenamedFrom), resourceOf(head, d.LogicalID)); name != "" {
			d.Failures = append(d.Failures, fmt.Sprintf("%s keeps the custom name in %s: CloudFormation creates it before deleting %s, so the name is taken and the update fails; keep the old logical id or change the name", d.LogicalID, name, d.RenamedFrom))
		}
	case d.RenamedTo != "":
		d.Notes = append(d.Notes, fmt.Sprintf("likely renamed to %s: a changed logical id deletes this resource and creates a new one", d.RenamedTo))
	}
}

// changesIndirectly reports whether path resolves to a new value because it
// refers to a replaced resource.
func changesIndirectly(d ResourceDiff, path string) bool {
	for _, p := range d.Properties {
		if p.Path == path && p.Change == Indirect {
			return true
		}
	}
	return false
}

// unchangedCustomName returns the create-only property naming the resource
// (BucketName for AWS::S3::Bucket, Name for AWS::Events::Rule) when both sides
// set it to the same value. Hosted zones may share a name, so they are exempt.
func unchangedCustomName(old, new resourceSide) string {
	if new.typ == "AWS::Route53::HostedZone" {
		return ""
	}
	own := new.typ[strings.LastIndex(new.typ, ":")+1:] + "Name"
	createOnly, _ := createOnlyPaths(new.typ)
	for _, c := range createOnly {
		if len(c) != 1 || (c[0] != own && c[0] != "Name") {
			continue
		}
		ov, inOld := valueAtPath(old.props, c)
		nv, inNew := valueAtPath(new.props, c)
		if inOld && inNew && sameValue(ov, nv) {
			return "Properties." + c[0]
		}
	}
	return ""
}
