package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// DiffDeployment compares a deployed template with the one about to be
// deployed, as DiffTemplates does, and also marks the resources whose
// properties refer to a parameter whose value the deployment changes
// (changed names those parameters): their text is the same, the value they
// resolve to is not. Such a property replaces the resource when it is
// create-only. This is what a change set shows that a template diff
// cannot: a deployment with new parameter values.
func DiffDeployment(stack string, deployed, head []byte, changed []string) (StackDiff, error) {
	d, err := DiffTemplates(stack, deployed, head)
	if err != nil || deployed == nil || head == nil || len(changed) == 0 {
		return d, err
	}
	base, _ := templates.Parse(deployed)
	tree, err := templates.Parse(head)
	if err != nil {
		return d, err
	}
	baseRes, headRes := templates.Section(base, "Resources"), templates.Section(tree, "Resources")
	params := map[string]bool{}
	for _, p := range changed {
		params[p] = true
	}
	for _, id := range headRes.Keys() {
		if _, inBase := baseRes.Get(id); !inBase {
			continue
		}
		props := parameterProperties(resourceOf(headRes, id), params)
		if len(props) == 0 {
			continue
		}
		d.Resources = markParameterChange(d.Resources, resourceOf(headRes, id), props, tree)
	}
	if d.Status == StackUnchanged && len(d.Resources) > 0 {
		d.Status = StackModified
	}
	return d, nil
}

// parameterProperties lists the top-level properties of r (and the
// create-only ones below them) that refer to one of the parameters.
func parameterProperties(r resourceSide, params map[string]bool) []PropertyDiff {
	var out []PropertyDiff
	paths := createOnlyPaths(r.typ)
	props := templates.AsMap(r.props)
	for _, key := range props.Keys() {
		v := props.Value(key)
		refs := referencedParams(v, params)
		if len(refs) == 0 {
			continue
		}
		p := PropertyDiff{Path: "Properties." + key, Change: Indirect, Old: Summarize(v), New: Summarize(v),
			Replaces: ReplaceNo, Why: fmt.Sprintf("refers to %s, whose value changes", paramList(refs))}
		switch {
		case !paths.known:
			p.Replaces = ReplaceUnknown
		case createOnlyUnder(paths.always, key, v, params):
			p.Replaces = ReplaceYes
			p.Why += ", and it is create-only"
		case createOnlyUnder(paths.maybe, key, v, params):
			p.Replaces = ReplaceMaybe
			p.Why += ", and it may be create-only (conditionally)"
		}
		out = append(out, p)
	}
	return out
}

// createOnlyUnder reports whether a create-only property at or below key
// refers to one of the parameters.
func createOnlyUnder(createOnly [][]string, key string, v any, params map[string]bool) bool {
	for _, c := range createOnly {
		if c[0] != key {
			continue
		}
		if len(c) == 1 {
			return true
		}
		if inner, ok := valueAtPath(v, c[1:]); ok && len(referencedParams(inner, params)) > 0 {
			return true
		}
	}
	return false
}

func referencedParams(v any, params map[string]bool) []string {
	var out []string
	for _, ref := range references(v) {
		if params[ref] && !slices.Contains(out, ref) {
			out = append(out, ref)
		}
	}
	return out
}

func paramList(names []string) string {
	if len(names) == 1 {
		return "parameter " + names[0]
	}
	return "parameters " + strings.Join(names, ", ")
}

// markParameterChange adds the parameter-driven properties to r's entry,
// creating a Modify entry when the template diff had none.
func markParameterChange(out []ResourceDiff, r resourceSide, props []PropertyDiff, head *templates.Map) []ResourceDiff {
	replacement := ReplaceNo
	for _, p := range props {
		replacement = worse(replacement, p.Replaces)
	}
	for i := range out {
		if out[i].LogicalID == r.id {
			out[i].Properties = append(out[i].Properties, props...)
			out[i].Replacement = worse(out[i].Replacement, replacement)
			return out
		}
	}
	d := addedResource(r)
	d.Change, d.Replacement, d.Properties = Modify, replacement, props
	d.Notes, d.Failures = []string{}, []string{}
	return insertInOrder(out, d, templates.Section(head, "Resources"))
}
