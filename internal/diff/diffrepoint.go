package diff

import (
	"regexp"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

// A renamed resource takes its grants along: a policy that pointed at the
// old logical id and now points at the new one grants the same. Before the
// access review, the base template's references to a likely renamed
// resource (Ref, GetAtt, ${Name} in Sub) are re-pointed at its new id, so
// that a grant that only followed the rename is no change, and one that
// widened while being re-pointed is compared with what it was.

// repoint returns the base template with every reference to a renamed
// resource re-pointed at its new id. Nothing is copied when nothing is
// renamed; the input is never modified.
func repoint(tree *templates.Map, renamed map[string]string) *templates.Map {
	if tree == nil || len(renamed) == 0 {
		return tree
	}
	resources, changed := rewriteMap(templates.Section(tree, "Resources"), func(_ string, body any) (any, bool) {
		return repointValue(body, renamed)
	})
	if !changed {
		return tree
	}
	out, _ := rewriteMap(tree, func(k string, v any) (any, bool) {
		if k == "Resources" {
			return resources, true
		}
		return v, false
	})
	return out
}

// repointValue rewrites the references inside v, copying only what
// changes.
func repointValue(v any, renamed map[string]string) (any, bool) {
	switch t := v.(type) {
	case *templates.Map:
		return rewriteMap(t, func(_ string, child any) (any, bool) { return repointValue(child, renamed) })
	case []any:
		if list, changed := rewriteList(t, func(item any) (any, bool) { return repointValue(item, renamed) }); changed {
			return list, true
		}
	case templates.Fn:
		if fn, changed := repointFn(t, renamed); changed {
			return fn, true
		}
	}
	return v, false // v itself: a list or Fn made an interface again would be copied to the heap
}

// repointFn returns fn re-pointed, and whether that changed it (if not,
// the value is nil).
func repointFn(fn templates.Fn, renamed map[string]string) (any, bool) {
	switch fn.Name {
	case templates.FnRef:
		if to, ok := renamed[stringArg(fn.Arg)]; ok {
			return templates.Fn{Name: fn.Name, Arg: to}, true
		}
	case templates.FnGetAtt:
		switch a := fn.Arg.(type) {
		case []any:
			if len(a) == 2 {
				if to, ok := renamed[stringArg(a[0])]; ok {
					return templates.Fn{Name: fn.Name, Arg: []any{to, a[1]}}, true
				}
			}
		case string:
			id, attr, _ := strings.Cut(a, ".")
			if to, ok := renamed[id]; ok {
				return templates.Fn{Name: fn.Name, Arg: to + "." + attr}, true
			}
		}
	case templates.FnSub:
		return repointSub(fn, renamed)
	}
	arg, changed := repointValue(fn.Arg, renamed)
	if !changed {
		return nil, false
	}
	return templates.Fn{Name: fn.Name, Arg: arg}, true
}

func stringArg(v any) string {
	s, _ := v.(string)
	return s
}

var subReference = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([A-Za-z0-9:]+)((\.[A-Za-z0-9]+)*)\}`) })

// repointSub rewrites ${Old} and ${Old.Attr} in a Sub text, unless its
// variable map defines the name; ${!Literal} stays as it is.
func repointSub(fn templates.Fn, renamed map[string]string) (any, bool) {
	if text, ok := fn.Arg.(string); ok && !mentionsAny(text, renamed) {
		return nil, false // the common case, without SubParts' empty variable map
	}
	text, vars := templates.SubParts(fn.Arg)
	changed := false
	newText := text
	if mentionsAny(text, renamed) {
		newText = subReference().ReplaceAllStringFunc(text, func(m string) string {
			parts := subReference().FindStringSubmatch(m)
			if _, local := vars.Get(parts[1]); local {
				return m
			}
			if to, ok := renamed[parts[1]]; ok {
				changed = true
				return "${" + to + parts[2] + "}"
			}
			return m
		})
	}
	newVars, varsChanged := repointValue(vars, renamed)
	if !changed && !varsChanged {
		return nil, false
	}
	if list, ok := fn.Arg.([]any); ok && len(list) == 2 {
		return templates.Fn{Name: fn.Name, Arg: []any{newText, newVars}}, true
	}
	return templates.Fn{Name: fn.Name, Arg: newText}, true
}

// mentionsAny reports whether a Sub text has a ${Name} or ${Name.Attr}
// whose Name is in renamed: a cheap look before the regexp rewrites it.
func mentionsAny(text string, renamed map[string]string) bool {
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			return false
		}
		text = text[i+2:]
		end := strings.IndexFunc(text, func(r rune) bool { return !isSubNameRune(r) })
		if end < 0 {
			end = len(text)
		}
		if _, ok := renamed[text[:end]]; end > 0 && ok {
			return true
		}
	}
}

// isSubNameRune is a character of subReference's Name.
func isSubNameRune(r rune) bool {
	return r == ':' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}

// followedRename stands for a policy document whose statements changed only
// by following a renamed resource.
const followedRename = "(re-pointed at a renamed resource: the same grants)"

// markFollowedGrants rewrites the "see IAM" mark of a policy document
// whose resource has no IAM row: its statements only followed a rename.
func markFollowedGrants(resources []ResourceDiff, iam []StatementDiff) {
	holders := map[string]bool{}
	for _, s := range iam {
		holders[s.Resource] = true
	}
	for i := range resources {
		if holders[resources[i].LogicalID] {
			continue
		}
		for j, p := range resources[i].Properties {
			if p.New == seeIAM {
				resources[i].Properties[j].Old, resources[i].Properties[j].New = followedRename, followedRename
			}
		}
	}
}

// goneWithItsResources reports a removed statement whose resources leave
// the stack too: what it allowed or denied no longer exists, so removing a
// Deny with them opens nothing. Its resources are those its holder refers
// to (a bucket policy's bucket, the ARNs of its statements), or the holder
// itself when it refers to none (a key and its key policy).
func goneWithItsResources(row StatementDiff, base, head *templates.Map, renamed map[string]string) bool {
	baseResources, headResources := templates.Section(base, "Resources"), templates.Section(head, "Resources")
	holder := resourceOf(baseResources, row.Resource)
	var targets []string
	for _, ref := range references(holder.props) {
		if _, isResource := baseResources.Get(ref); isResource || headResources.Value(ref) != nil {
			targets = append(targets, ref)
		}
	}
	if len(targets) == 0 {
		targets = []string{row.Resource}
	}
	for _, id := range targets {
		if to, ok := renamed[id]; ok {
			id = to
		}
		if _, kept := headResources.Get(id); kept {
			return false
		}
	}
	return true
}
