package diff

import (
	"sort"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// grant is one policy statement, managed policy attachment or Lambda
// permission found in a template.
type grant = keyed[StatementDiff]

// location is where grants live: a resource and a policy inside it.
type location struct{ resource, policy string }

// diffIAM compares every grant of the two templates, per resource and
// policy. Grants of a likely renamed resource are compared under its new id.
// A removed Deny broadens unless a head Deny still covers it, or what it
// applied to leaves the stack with it. The resources in unchanged, written
// identically on both sides, grant the same on both: their grants are not
// read. Every location of such a resource holds its grants alone (a
// renamed resource's new id is new to the base), so they would cancel out.
func diffIAM(base, head *templates.Map, renamed map[string]string, unchanged map[string]bool) []StatementDiff {
	old, oldOrder := grants(base, renamed, unchanged)
	new, newOrder := grants(head, nil, unchanged)
	renamedPolicies := policyRenames(old, new)
	out := []StatementDiff{}
	for _, loc := range mergeOrder(newOrder, oldOrder) {
		if renamedPolicies[loc] {
			continue
		}
		removed, added := multisetDiff(old[loc], new[loc])
		for _, g := range removed {
			g.row.Change = Remove
			g.row.Broadens = g.row.Effect == "Deny" && !coveredBy(g.row, new[loc]) && !goneWithItsResources(g.row, base, head, renamed)
			out = append(out, g.row)
		}
		for _, g := range added {
			g.row.Change = Add
			g.row.Broadens = g.row.Effect != "Deny" && !coveredBy(g.row, old[loc])
			out = append(out, g.row)
		}
	}
	return out
}

// policyRenames finds policies that only changed their name (an inline
// policy's PolicyName): a location of the base that the head lacks, and one
// of the head that the base lacks, in the same resource with the same
// statements. Neither side's statements are listed.
func policyRenames(old, new map[location][]grant) map[location]bool {
	gone := map[string][]location{} // resource and statements -> base locations
	for loc, gs := range old {
		if _, kept := new[loc]; !kept {
			k := loc.resource + "\x00" + statementSet(gs)
			gone[k] = append(gone[k], loc)
		}
	}
	out := map[location]bool{}
	for loc, gs := range new {
		if _, existed := old[loc]; existed {
			continue
		}
		k := loc.resource + "\x00" + statementSet(gs)
		if candidates := gone[k]; len(candidates) > 0 {
			sort.Slice(candidates, func(i, j int) bool { return candidates[i].policy < candidates[j].policy })
			out[loc], out[candidates[0]] = true, true
			gone[k] = candidates[1:]
		}
	}
	return out
}

// statementSet is the sorted list of a policy's grants, without its label.
func statementSet(gs []grant) string {
	keys := make([]string, len(gs))
	for i, g := range gs {
		_, keys[i], _ = strings.Cut(g.key, "\x00")
	}
	sort.Strings(keys)
	return strings.Join(keys, "\x01")
}

// mergeOrder lists the items of a, then those of b not in a, each once.
func mergeOrder[T comparable](a, b []T) []T {
	seen := map[T]bool{}
	var out []T
	for _, list := range [][]T{a, b} {
		for _, l := range list {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// multisetDiff returns the items only in old and only in new, by key,
// counting repeats.
func multisetDiff[T any](old, new []keyed[T]) (removed, added []keyed[T]) {
	count := map[string]int{}
	for _, g := range new {
		count[g.key]++
	}
	for _, g := range old {
		if count[g.key] > 0 {
			count[g.key]--
			continue
		}
		removed = append(removed, g)
	}
	count = map[string]int{}
	for _, g := range old {
		count[g.key]++
	}
	for _, g := range new {
		if count[g.key] > 0 {
			count[g.key]--
			continue
		}
		added = append(added, g)
	}
	return removed, added
}

// grants collects a template's grants by location, in template order,
// except those of the resources in skip. The location of a renamed
// resource is reported under its new id. Grants behind Fn::If are read from
// every branch and marked with its condition.
func grants(tree *templates.Map, renamed map[string]string, skip map[string]bool) (map[location][]grant, []location) {
	out := map[location][]grant{}
	var order []location
	resources := templates.Section(tree, "Resources")
	for _, id := range resources.Keys() {
		if skip[id] {
			continue
		}
		for _, item := range acrossVariants(resourceOf(resources, id), resourceGrants, setStatementWhen) {
			loc := location{id, item.row.Policy}
			if newID, ok := renamed[id]; ok {
				loc.resource = newID
			}
			if _, seen := out[loc]; !seen {
				order = append(order, loc)
			}
			item.row.Resource = id
			out[loc] = append(out[loc], item)
		}
	}
	return out, order
}

func setStatementWhen(row *StatementDiff, when string) { row.When = when }

// resourceGrants lists the grants of one resource (one variant of it).
func resourceGrants(r resourceSide) []keyed[StatementDiff] {
	var out []keyed[StatementDiff]
	for _, p := range policyDocuments(r.props) {
		for _, st := range statements(p.doc) {
			g := statementGrant(st)
			g.row.Policy = p.label
			g.key = p.label + "\x00" + g.key
			out = append(out, g)
		}
	}
	for _, g := range specialGrants(r) {
		g.key = g.row.Policy + "\x00" + g.key
		out = append(out, g)
	}
	return out
}

type policyDoc struct {
	label string
	doc   *templates.Map
}

// policyDocuments finds every policy document (a mapping with a Statement)
// in a resource's properties, labelled by where it is:
// "Policies[deploy]", "trust policy", "PolicyDocument".
func policyDocuments(props any) []policyDoc {
	var out []policyDoc
	var walk func(label string, v any)
	walk = func(label string, v any) {
		switch t := v.(type) {
		case *templates.Map:
			if _, ok := t.Get("Statement"); ok && label != "" {
				out = append(out, policyDoc{policyLabel(label), t})
				return
			}
			for _, k := range t.Keys() {
				walk(joinLabel(label, k), t.Value(k))
			}
		case []any:
			for i, item := range t {
				walk(label+"["+itemName(item, i)+"]", item)
			}
		}
	}
	walk("", props)
	return out
}

func joinLabel(label, key string) string {
	if label == "" {
		return key
	}
	return label + "." + key
}

// itemName names a list element by its PolicyName, if it has one.
func itemName(item any, i int) string {
	if m, ok := item.(*templates.Map); ok {
		if name, ok := m.Get("PolicyName"); ok {
			return Summarize(name)
		}
	}
	return strconv.Itoa(i)
}

func policyLabel(label string) string {
	switch label {
	case "AssumeRolePolicyDocument":
		return "trust policy"
	case "PolicyDocument", "KeyPolicy":
		return "policy"
	}
	return strings.TrimSuffix(label, ".PolicyDocument")
}

func statements(doc *templates.Map) []*templates.Map {
	var out []*templates.Map
	switch st := doc.Value("Statement").(type) {
	case *templates.Map:
		out = append(out, st)
	case []any:
		for _, item := range st {
			if m, ok := item.(*templates.Map); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// statementGrant describes a statement; two statements are the same grant
// when they differ only in Sid or in the order of actions and resources.
func statementGrant(st *templates.Map) grant {
	row := StatementDiff{Actions: []string{}, Resources: []string{}}
	row.Effect, _ = st.Value("Effect").(string)
	if p, ok := st.Get("Principal"); ok {
		row.Principal = Summarize(p)
	} else if p, ok := st.Get("NotPrincipal"); ok {
		row.Principal = "NOT " + Summarize(p)
	}
	row.Actions = listField(st, "Action", "NotAction")
	row.Resources = listField(st, "Resource", "NotResource")
	if c, ok := st.Get("Condition"); ok {
		row.Condition = Summarize(c)
	}
	row.Flags = statementFlags(row)
	// The key: the statement's fields that grant, in sorted order, with its
	// actions and resources sorted.
	key := append(make([]byte, 0, 128), '{')
	for _, k := range []string{"Action", "Condition", "Effect", "NotPrincipal", "Principal", "Resource"} {
		var v any
		switch k {
		case "Action":
			v = sortedItems(st, "Action", "NotAction")
		case "Resource":
			v = sortedItems(st, "Resource", "NotResource")
		default:
			var ok bool
			if v, ok = st.Get(k); !ok {
				continue
			}
		}
		key = strconv.AppendQuote(key, k)
		key = append(key, ':')
		key = appendCanonical(key, v)
		key = append(key, ',')
	}
	return grant{string(append(key, '}')), row}
}

// sortedItems is a statement's actions or resources in an order that does
// not depend on how they, or the mappings inside them, were written: the
// key of a grant, where listField's one-line texts keep the key order of a
// !Sub's variables.
func sortedItems(st *templates.Map, field, notField string) []any {
	return anyList(fieldItems(st, field, notField, canonical))
}

// listField returns a statement's actions or resources as sorted one-line
// texts; a Not form is prefixed "NOT ".
func listField(st *templates.Map, field, notField string) []string {
	return fieldItems(st, field, notField, func(item any) string { return truncate(inline(item), 2*summaryLimit) })
}

// fieldItems is a statement's field (or its Not form, each item prefixed
// "NOT "), one item or a list, each written by text, sorted.
func fieldItems(st *templates.Map, field, notField string, text func(any) string) []string {
	v, ok := st.Get(field)
	prefix := ""
	if !ok {
		v, ok = st.Get(notField)
		prefix = "NOT "
	}
	if !ok {
		return []string{}
	}
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = prefix + text(item)
	}
	sort.Strings(out)
	return out
}

// specialGrants are rights given outside policy documents: managed policies
// attached to roles, users and groups, and Lambda invoke permissions.
func specialGrants(r resourceSide) []grant {
	props, _ := r.props.(*templates.Map)
	if props == nil {
		return nil
	}
	var out []grant
	if arns, ok := props.Value("ManagedPolicyArns").([]any); ok {
		for _, arn := range arns {
			row := StatementDiff{Policy: "managed policies", Effect: "Allow", Actions: []string{"(managed policy)"},
				Resources: []string{Summarize(arn)}}
			row.Flags = managedPolicyFlags(row.Resources[0])
			out = append(out, grant{"managed:" + canonical(arn), row})
		}
	}
	switch r.typ {
	case "AWS::Lambda::Permission":
		out = append(out, lambdaPermission(props))
	case "AWS::Events::EventBusPolicy":
		out = append(out, eventBusStatement(props))
	}
	return out
}

// eventBusStatement reads an event bus policy: one Statement, or the
// older Principal (an account id or *), Action and Condition properties.
func eventBusStatement(props *templates.Map) grant {
	if st, ok := props.Value("Statement").(*templates.Map); ok {
		g := statementGrant(st)
		g.row.Policy = "policy"
		return g
	}
	st := templates.NewMap()
	st.Set("Effect", "Allow")
	for _, k := range []string{"Principal", "Action", "Condition"} {
		if v, ok := props.Get(k); ok {
			st.Set(k, v)
		}
	}
	g := statementGrant(st)
	g.row.Policy = "policy"
	return g
}

func lambdaPermission(props *templates.Map) grant {
	row := StatementDiff{Policy: "invoke permission", Effect: "Allow", Flags: []string{}}
	row.Principal = Summarize(props.Value("Principal"))
	row.Actions = []string{Summarize(props.Value("Action"))}
	row.Resources = []string{Summarize(props.Value("FunctionName"))}
	var conds []string
	restricted := false
	for _, k := range []string{"SourceArn", "SourceAccount", "PrincipalOrgID", "FunctionUrlAuthType"} {
		if v, ok := props.Get(k); ok {
			conds = append(conds, k+": "+Summarize(v))
			restricted = restricted || k != "FunctionUrlAuthType"
		}
	}
	row.Condition = strings.Join(conds, ", ")
	if anyPrincipal(row.Principal) && !restricted {
		row.Flags = append(row.Flags, anyPrincipalFlag)
	} else if account := otherAccount(row.Principal); account != "" {
		row.Flags = append(row.Flags, "another account: "+account)
	}
	if auth, _ := props.Value("FunctionUrlAuthType").(string); auth == "NONE" {
		row.Flags = append(row.Flags, "FunctionUrlAuthType NONE: the function URL needs no authentication")
	}
	return grant{"lambda:" + canonical(props), row}
}

// anyPrincipalFlag marks a grant to everyone.
const anyPrincipalFlag = "any principal"

// statementFlags marks the wildcards a reviewer must look at twice.
func statementFlags(row StatementDiff) []string {
	flags := []string{}
	allow := row.Effect == "Allow"
	for _, a := range row.Actions {
		switch {
		case !allow:
		case a == "*":
			flags = append(flags, "all actions")
		case strings.HasPrefix(a, "NOT "):
			flags = appendOnce(flags, "NotAction: allows every other action")
		case strings.HasSuffix(a, ":*"):
			flags = append(flags, "all "+strings.TrimSuffix(a, ":*")+" actions")
		case strings.Contains(a, "*"):
			flags = append(flags, "wildcard action "+a)
		}
	}
	for _, r := range row.Resources {
		switch {
		case !allow:
		case r == "*":
			flags = append(flags, "all resources")
		case strings.HasPrefix(r, "NOT "):
			flags = appendOnce(flags, "NotResource: applies to every other resource")
		case wildcardARN(r):
			flags = append(flags, "wildcard resource "+r)
		}
	}
	if allow && anyPrincipal(row.Principal) {
		flags = append(flags, anyPrincipalFlag)
	} else if account := otherAccount(row.Principal); allow && account != "" {
		flags = append(flags, "another account: "+account)
	}
	return flags
}

// wildcardARN reports a "*" in an ARN's service, region, account or
// resource-type field, or a bare "*" as the resource: wider than one
// resource's objects ("arn:aws:s3:::bucket/*" is not flagged).
func wildcardARN(arn string) bool {
	fields := strings.Split(arn, ":")
	if len(fields) < 6 {
		return false
	}
	for _, f := range fields[2:5] {
		if strings.Contains(f, "*") {
			return true
		}
	}
	last := strings.Join(fields[5:], ":")
	return last == "*" || strings.HasPrefix(last, "*")
}

func managedPolicyFlags(arn string) []string {
	name := arn[strings.LastIndex(arn, "/")+1:]
	switch {
	case name == "AdministratorAccess":
		return []string{"AdministratorAccess: all actions on all resources"}
	case name == "PowerUserAccess" || name == "IAMFullAccess":
		return []string{name + ": near-administrator rights"}
	case strings.HasSuffix(name, "FullAccess"):
		return []string{name + ": every action of a service"}
	}
	return []string{}
}

func anyList(items []string) []any {
	out := make([]any, len(items))
	for i, s := range items {
		out[i] = s
	}
	return out
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
