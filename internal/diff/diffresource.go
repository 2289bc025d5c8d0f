package diff

import (
	"fmt"
	"sort"
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
// modified), then removed resources in base order. The resources in
// unchanged are written identically on both sides.
func diffResources(base, head *templates.Map, defaults map[string]Replacement, unchanged map[string]bool) []ResourceDiff {
	out := cascadeReplacements(directChanges(base, head, unchanged), base, head)
	out = parameterReplacements(out, base, head, defaults)
	for i := range out {
		finishResource(&out[i], base, head)
	}
	return out
}

// directChanges lists the resources added, removed or changed as written,
// the likely renames paired.
func directChanges(base, head *templates.Map, unchanged map[string]bool) []ResourceDiff {
	out := []ResourceDiff{}
	for _, id := range head.Keys() {
		if unchanged[id] {
			continue
		}
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
	if len(changes) == 0 && old.typ == new.typ {
		return d, false
	}
	if old.typ != new.typ {
		d.Properties = append(d.Properties, PropertyDiff{Path: "Type", Change: Modify, Old: old.typ, New: new.typ,
			Replaces: ReplaceYes, Why: "a resource's type cannot change in place"})
		d.Failures = append(d.Failures, "CloudFormation rejects a type change under the same logical id: give the new resource a new logical id")
		d.Replacement = ReplaceYes
	}
	paths := createOnlyPaths(new.typ)
	for _, c := range collapsePolicies(changes, old.body, new.body) {
		p := describeChange(c)
		if c.path[0] == "Properties" {
			registry, why := replaces(paths, c.path[1:], old.props, new.props)
			p.Replaces, p.Why = decideProperty(new.typ, topProperty(c.path[1:]), registry, why, old, new)
		}
		d.Properties = append(d.Properties, p)
	}
	d.Replacement = d.Replacement.Worse(decideResource(d.Properties))
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

// collapsePolicies turns the changes inside each policy document (a
// mapping with a Statement, or an Fn::If choosing between such) into one
// change of the document that points to the IAM section. A document whose
// statements grant the same (actions reordered, a Sid renamed) is no
// change.
func collapsePolicies(changes []change, oldBody, newBody *templates.Map) []change {
	var out []change
	seen := map[string]bool{}
	for _, c := range changes {
		at := documentAlong(c, oldBody, newBody)
		if at < 0 {
			out = append(out, c)
			continue
		}
		path := c.path[:at+1]
		key := formatPath(path)
		if seen[key] {
			continue
		}
		seen[key] = true
		if sameGrants(valueAt(oldBody, path), valueAt(newBody, path)) {
			continue
		}
		c.path, c.kind, c.old, c.new = path, Modify, seeIAM, seeIAM
		out = append(out, c)
	}
	return out
}

func valueAt(v any, path []any) any {
	for _, seg := range path {
		v = child(v, seg)
	}
	return v
}

// sameGrants reports whether two policy documents grant the same: the same
// version and the same statements, whatever their order, Sids or the order
// of their actions and resources.
func sameGrants(a, b any) bool {
	am, okA := a.(*templates.Map)
	bm, okB := b.(*templates.Map)
	if !okA || !okB || len(ifConditions(am))+len(ifConditions(bm)) > 0 {
		return sameValue(a, b) // an Fn::If is compared as written
	}
	return sameValue(am.Value("Version"), bm.Value("Version")) && grantSet(am) == grantSet(bm)
}

func grantSet(doc *templates.Map) string {
	var keys []string
	for _, st := range statements(doc) {
		keys = append(keys, statementGrant(st).key)
	}
	sort.Strings(keys)
	return strings.Join(keys, "\x00")
}

// documentAlong returns the index of the first path segment that holds a
// policy document on both sides (the change is inside it, or replaces one
// document with another), or -1.
func documentAlong(c change, oldBody, newBody *templates.Map) int {
	oldV, newV := any(oldBody), any(newBody)
	for i, seg := range c.path {
		oldV, newV = child(oldV, seg), child(newV, seg)
		if i == 0 {
			continue
		}
		oldDoc, newDoc := isPolicyDocument(oldV), isPolicyDocument(newV)
		if i < len(c.path)-1 && (oldDoc || newDoc) || i == len(c.path)-1 && oldDoc && newDoc {
			return i
		}
	}
	return -1
}

func child(v any, seg any) any {
	switch s := seg.(type) {
	case string:
		if m, ok := v.(*templates.Map); ok {
			return m.Value(s)
		}
	case int:
		if l, ok := v.([]any); ok && s < len(l) {
			return l[s]
		}
	}
	return nil
}

// isPolicyDocument reports a mapping with a Statement, or an Fn::If with
// one as a branch.
func isPolicyDocument(v any) bool {
	switch t := v.(type) {
	case *templates.Map:
		return isDocument(t)
	case templates.Fn:
		if _, then, els, ok := ifParts(t); ok && t.Name == templates.FnIf {
			return isPolicyDocument(then) || isPolicyDocument(els)
		}
	}
	return false
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

// topProperty names the top-level property a path inside Properties is
// in, or "".
func topProperty(path []any) string {
	if len(path) == 0 {
		return ""
	}
	s, _ := path[0].(string)
	return s
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

// replacingPaths are the registry's create-only properties of a type, as
// path segments: those whose change replaces the resource, and those whose
// change may (conditionally create-only). Custom resources (Custom::Name)
// are described by AWS::CloudFormation::CustomResource.
type replacingPaths struct {
	always, maybe [][]string
	known         bool
}

func createOnlyPaths(typ string) replacingPaths {
	typ = registryType(typ)
	always, known := templates.CreateOnlyProperties(typ)
	maybe, _ := templates.ConditionalCreateOnlyProperties(typ)
	return replacingPaths{splitPaths(always), splitPaths(maybe), known}
}

func registryType(typ string) string {
	if strings.HasPrefix(typ, "Custom::") {
		return customResourceType
	}
	return typ
}

const customResourceType = "AWS::CloudFormation::CustomResource"

func splitPaths(props []string) [][]string {
	out := make([][]string, len(props))
	for i, p := range props {
		out[i] = strings.Split(p, ".")
	}
	return out
}

// replaces decides whether a change at path (inside Properties) replaces the
// resource: it does when the path is, or is inside, a create-only property,
// or contains one whose value changed; it may when the same holds for a
// conditionally create-only property.
func replaces(paths replacingPaths, path []any, oldProps, newProps any) (Replacement, string) {
	if !paths.known {
		return ReplaceUnknown, "the CloudFormation registry does not describe this type"
	}
	if c, ok := changedPath(paths.always, path, oldProps, newProps); ok {
		return ReplaceYes, "create-only property " + c
	}
	if c, ok := changedPath(paths.maybe, path, oldProps, newProps); ok {
		return ReplaceMaybe, "conditionally create-only property " + c + ": some changes replace the resource"
	}
	return ReplaceNo, ""
}

func changedPath(patterns [][]string, path []any, oldProps, newProps any) (string, bool) {
	for _, c := range patterns {
		if matchesPrefix(c, path) {
			return strings.Join(c, "."), true
		}
		if pathIsPrefixOf(path, c) && !sameStrings(valuesAt(oldProps, c), valuesAt(newProps, c)) {
			return strings.Join(c, "."), true
		}
	}
	return "", false
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
	if d.Change == Modify && d.Replacement == ReplaceMaybe {
		if name := unchangedCustomName(resourceOf(base, d.LogicalID), resourceOf(head, d.LogicalID)); name != "" {
			d.Notes = append(d.Notes, fmt.Sprintf("if CloudFormation replaces it, the unchanged custom name in %s makes the update fail: change the name too, or keep the property", name))
		}
	}
	if d.Change == Modify && registryType(d.Type) == customResourceType {
		serviceTokenFailure(d)
	}
	conditionNotes(d, base, head)
	switch {
	case d.RenamedFrom != "":
		name := unchangedCustomName(resourceOf(base, d.RenamedFrom), resourceOf(head, d.LogicalID))
		why := fmt.Sprintf("same type, %d%% identical properties", d.Similarity)
		if name != "" && d.Similarity < renameThreshold {
			why = fmt.Sprintf("same type and the same %s, %d%% identical properties", name, d.Similarity)
		}
		d.Notes = append(d.Notes, fmt.Sprintf("likely %s renamed (%s): CloudFormation creates %s as a new resource and deletes %s", d.RenamedFrom, why, d.LogicalID, d.RenamedFrom))
		if name != "" {
			d.Failures = append(d.Failures, fmt.Sprintf("%s keeps the custom name in %s: CloudFormation creates it before deleting %s, so the name is taken and the update fails; keep the old logical id or change the name", d.LogicalID, name, d.RenamedFrom))
		}
	case d.RenamedTo != "":
		d.Notes = append(d.Notes, fmt.Sprintf("likely renamed to %s: a changed logical id deletes this resource and creates a new one", d.RenamedTo))
	}
}

// serviceTokenFailure: CloudFormation refuses to change a custom resource's
// ServiceToken ("Modifying service token is not allowed"), whether its text
// changes or the function it refers to is replaced.
func serviceTokenFailure(d *ResourceDiff) {
	for _, p := range d.Properties {
		if p.Path != "Properties.ServiceToken" {
			continue
		}
		switch {
		case p.Change == Indirect && strings.Contains(p.Why, defaultChangedWhy):
			d.Notes = append(d.Notes, "ServiceToken refers to a parameter whose Default changed: if the deployed value changes, CloudFormation rejects the update (Modifying service token is not allowed)")
		case p.Change == Indirect:
			d.Failures = append(d.Failures, "ServiceToken "+p.Why+": CloudFormation rejects a changed service token (Modifying service token is not allowed); keep the function and update it in place, or give the custom resource a new logical id")
		default:
			d.Failures = append(d.Failures, "ServiceToken changes: CloudFormation rejects a changed service token (Modifying service token is not allowed); keep the token and update the function behind it, or give the custom resource a new logical id")
		}
		return
	}
}

// conditionNotes explains an added, removed or changed Condition: the
// resource is deleted in every deployment where the new condition is false
// (and created where the old one was).
func conditionNotes(d *ResourceDiff, base, head *templates.Map) {
	for _, p := range d.Properties {
		if p.Path != "Condition" {
			continue
		}
		switch p.Change {
		case Add:
			d.Notes = append(d.Notes, fmt.Sprintf("Condition %s added: CloudFormation deletes this resource from every deployment where %s is false", p.New, p.New))
		case Remove:
			d.Notes = append(d.Notes, fmt.Sprintf("Condition %s removed: CloudFormation creates this resource in every deployment where %s was false", p.Old, p.Old))
		default:
			d.Notes = append(d.Notes, fmt.Sprintf("Condition %s → %s: CloudFormation deletes this resource where %s is false and creates it where %s was false", p.Old, p.New, p.New, p.Old))
		}
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

// unchangedCustomName returns the property naming the resource (BucketName
// for AWS::S3::Bucket, Name for AWS::Events::Rule, from the registry) when
// both sides set it to the same value. Hosted zones may share a name, so
// they are exempt.
func unchangedCustomName(old, new resourceSide) string {
	name := customName(new.typ)
	if name == "" || old.typ != new.typ {
		return ""
	}
	path := []string{name} // on the stack: rename candidates ask for every pair
	if strings.Contains(name, ".") {
		path = strings.Split(name, ".")
	}
	ov, inOld := valueAtPath(old.props, path)
	nv, inNew := valueAtPath(new.props, path)
	if inOld && inNew && sameValue(ov, nv) {
		return "Properties." + name
	}
	return ""
}

// customName is the registry's custom-name property of a type, or "".
func customName(typ string) string {
	if typ == "AWS::Route53::HostedZone" {
		return ""
	}
	return templates.CustomNameProperty(registryType(typ))
}
