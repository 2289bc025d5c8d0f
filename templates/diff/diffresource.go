package diff

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// resourceSide is a resource as one template declares it.
type resourceSide struct {
	id    string
	typ   string
	body  *templates.Map
	props any
}

func resourceOf(section *templates.Map, id string) resourceSide {
	body := templates.AsMap(section.Value(id))
	props, _ := body.Get("Properties")
	if props == nil {
		props = templates.NewMap()
	}
	return resourceSide{id, templates.StringAt(body, "Type"), body, props}
}

func (r resourceSide) attribute(name string) string {
	return templates.StringAt(r.body, name)
}

// diffResources compares the Resources sections: head order first (added and
// modified), then removed resources in base order.
func diffResources(base, head *templates.Map, defaults map[string]bool) []ResourceDiff {
	out := []ResourceDiff{}
	for _, id := range head.Keys() {
		newRes := resourceOf(head, id)
		if _, inBase := base.Get(id); !inBase {
			out = append(out, addedResource(newRes))
			continue
		}
		if d, isLoop, changed := loopChange(base, head, id); isLoop {
			if changed {
				out = append(out, d)
			}
			continue
		}
		if d, changed := modifiedResource(resourceOf(base, id), newRes); changed {
			out = append(out, d)
		}
	}
	for _, id := range base.Keys() {
		if _, inHead := head.Get(id); !inHead {
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

// loopChange compares an entry of Resources that is no resource, such as
// an Fn::ForEach loop of the AWS::LanguageExtensions transform, as a whole.
func loopChange(base, head *templates.Map, id string) (d ResourceDiff, isLoop, changed bool) {
	ov, nv := base.Value(id), head.Value(id)
	_, oldMap := ov.(*templates.Map)
	_, newMap := nv.(*templates.Map)
	if oldMap && newMap {
		return ResourceDiff{}, false, false
	}
	if sameValue(ov, nv) {
		return ResourceDiff{}, true, false
	}
	d = ResourceDiff{LogicalID: id, Change: Modify, Replacement: ReplaceUnknown,
		Properties: []PropertyDiff{{Path: "(value)", Change: Modify, Old: Summarize(ov), New: Summarize(nv), Replaces: ReplaceUnknown}},
		Notes:      []string{}, Failures: []string{}}
	return d, true, true
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
		ov, inOld := attribute(old.body, k)
		nv, inNew := attribute(new.body, k)
		diffKey([]any{k}, inOld, inNew, ov, nv, &changes)
	}
	if old.typ != new.typ {
		d.Properties = append(d.Properties, PropertyDiff{Path: "Type", Change: Modify, Old: old.typ, New: new.typ,
			Replaces: ReplaceYes, Why: "a resource's type cannot change in place"})
		d.Failures = append(d.Failures, "CloudFormation rejects a type change under the same logical id: give the new resource a new logical id")
		d.Replacement = ReplaceYes
	}
	createOnly, known := createOnlyPaths(new.typ)
	for _, c := range collapsePolicies(changes) {
		p := describeChange(c)
		if c.path[0] == "Properties" {
			p.Replaces, p.Why = replaces(createOnly, known, c.path[1:], old.props, new.props)
			d.Replacement = worse(d.Replacement, p.Replaces)
		}
		d.Properties = append(d.Properties, p)
	}
	return d, len(d.Properties) > 0
}

// attribute reads a key of a resource body as CloudFormation means it:
// DependsOn: X is the list [X], and empty Properties or Metadata are none.
func attribute(body *templates.Map, k string) (any, bool) {
	v, ok := body.Get(k)
	if s, isString := v.(string); isString && k == "DependsOn" {
		return []any{s}, ok
	}
	if m, isMap := v.(*templates.Map); isMap && m.Len() == 0 && (k == "Properties" || k == "Metadata") {
		return nil, false
	}
	return v, ok
}

// policyKeys hold IAM policy documents, whose changes the IAM section lists
// statement by statement.
var policyKeys = map[string]bool{"PolicyDocument": true, "AssumeRolePolicyDocument": true, "KeyPolicy": true}

// collapsePolicies turns the changes inside each policy document into one
// change of the document that points to the IAM section.
func collapsePolicies(changes []change) []change {
	var out []change
	seen := map[string]bool{}
	for _, c := range changes {
		at := -1
		for i, seg := range c.path {
			if k, ok := seg.(string); ok && policyKeys[k] && i < len(c.path)-1 {
				at = i
				break
			}
		}
		if at < 0 {
			out = append(out, c)
			continue
		}
		c.path, c.kind, c.old, c.new = c.path[:at+1], Modify, seeIAM, seeIAM
		if key := formatPath(c.path); !seen[key] {
			seen[key] = true
			out = append(out, c)
		}
	}
	return out
}

// seeIAM stands for a policy document's changes in property lists.
const seeIAM = "(statements changed: see IAM)"

func diffKey(path []any, inOld, inNew bool, ov, nv any, out *[]change) {
	switch {
	case !inOld && !inNew:
	case !inOld:
		*out = append(*out, change{path, Add, nil, nv})
	case !inNew:
		*out = append(*out, change{path, Remove, ov, nil})
	default:
		diffValue(path, ov, nv, out)
	}
}

func unionKeys(a, b *templates.Map) []string {
	keys := append([]string(nil), b.Keys()...)
	for _, k := range a.Keys() {
		if _, ok := b.Get(k); !ok {
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
	props, known := templates.CreateOnlyProperties(typ)
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

// finishResource adds the notes a reviewer needs about a resource change.
func finishResource(d *ResourceDiff, base, head *templates.Map) {
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
