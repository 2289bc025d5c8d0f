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
// cannot: a deployment with new parameter values. unreadable names the
// NoEcho parameters passed again: CloudFormation never returns their
// deployed value, so a property that refers to one may or may not change,
// and is marked so (see OnlyUnreadable).
func DiffDeployment(stack string, deployed, head []byte, changed, unreadable []string) (StackDiff, error) {
	base, tree, err := parsePair(stack, deployed, head)
	if err != nil {
		return StackDiff{}, err
	}
	d := DiffTrees(stack, base, tree)
	d.Size = sizeDiff(deployed, head)
	if deployed == nil || head == nil || len(changed)+len(unreadable) == 0 {
		return d, nil
	}
	baseRes, headRes := templates.Section(base, "Resources"), templates.Section(tree, "Resources")
	params, secret := set(changed), set(unreadable)
	index := make(map[string]int, len(d.Resources))
	for i, r := range d.Resources {
		index[r.LogicalID] = i
	}
	var added []*ResourceDiff
	for _, id := range headRes.Keys() {
		if _, inBase := baseRes.Get(id); !inBase {
			continue
		}
		r := resourceOf(headRes, id)
		props := parameterProperties(r, params, secret)
		if len(props) == 0 {
			continue
		}
		if i, listed := index[id]; listed {
			addParameterChange(&d.Resources[i], props)
		} else {
			added = append(added, parameterChange(r, props))
		}
	}
	d.Resources = mergeInOrder(d.Resources, added, headRes)
	if d.Status == StackUnchanged && len(d.Resources) > 0 {
		d.Status = StackModified
	}
	return d, nil
}

func set(names []string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// unreadableWhy starts the reason of a property that refers only to
// NoEcho parameters passed again.
const unreadableWhy = "refers to NoEcho "

// OnlyUnreadable reports a predicted change that rests only on NoEcho
// parameters whose deployed value cannot be read: formwork cannot know
// whether it happens, so it never disagrees with CloudFormation about it.
func OnlyUnreadable(r ResourceDiff) bool {
	if r.Change != Modify || len(r.Properties) == 0 {
		return false
	}
	for _, p := range r.Properties {
		if p.Change != Indirect || !strings.HasPrefix(p.Why, unreadableWhy) {
			return false
		}
	}
	return true
}

// parameterProperties lists the top-level properties of r (and the
// create-only ones below them) that refer to one of the parameters.
func parameterProperties(r resourceSide, params, secret map[string]bool) []PropertyDiff {
	var out []PropertyDiff
	paths := createOnlyPaths(r.typ)
	props := templates.AsMap(r.props)
	for _, key := range props.Keys() {
		v := props.Value(key)
		refs := referencedParams(v, params)
		if len(refs) == 0 {
			if secrets := referencedParams(v, secret); len(secrets) > 0 {
				out = append(out, unreadableProperty(key, v, secrets, paths, secret))
			}
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
		p.Replaces, p.Why = decideProperty(r.typ, key, p.Replaces, p.Why, r, r)
		out = append(out, p)
	}
	return out
}

// unreadableProperty is a property that refers to NoEcho parameters passed
// again: it changes only if a value differs from the deployed one, which
// nobody can read back.
func unreadableProperty(key string, v any, names []string, paths replacingPaths, secret map[string]bool) PropertyDiff {
	p := PropertyDiff{Path: "Properties." + key, Change: Indirect, Old: Summarize(v), New: Summarize(v), Replaces: ReplaceNo,
		Why: fmt.Sprintf("%s%s: its deployed value cannot be read, so it changes only if the value passed differs", unreadableWhy, paramList(names))}
	if createOnlyUnder(paths.always, key, v, secret) || createOnlyUnder(paths.maybe, key, v, secret) || !paths.known {
		p.Replaces = ReplaceUnknown
	}
	return p
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

// addParameterChange adds the parameter-driven properties to a resource's
// entry.
func addParameterChange(d *ResourceDiff, props []PropertyDiff) {
	d.Properties = append(d.Properties, props...)
	d.Replacement = d.Replacement.Worse(worstOf(props))
}

// parameterChange is the Modify entry of a resource the template diff had
// none for.
func parameterChange(r resourceSide, props []PropertyDiff) *ResourceDiff {
	d := addedResource(r)
	d.Change, d.Replacement, d.Properties = Modify, worstOf(props), props
	d.Notes, d.Failures = []string{}, []string{}
	return &d
}

func worstOf(props []PropertyDiff) Replacement {
	replacement := ReplaceNo
	for _, p := range props {
		replacement = replacement.Worse(p.Replaces)
	}
	return replacement
}
