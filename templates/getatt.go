package templates

import (
	"fmt"
	"strings"
)

var getAttAttributes = Rule{ID: "getatt_attributes", Summary: "every GetAtt names an attribute the resource type has (CloudFormation's registry)",
	Why: "an unknown attribute fails the deploy after the resources before it were created", Check: checkGetAttAttributes}

// checkGetAttAttributes reports !GetAtt Res.Attr and ${Res.Attr} in !Sub
// whose attribute the resource's type does not have, according to
// CloudFormation's registry data (ResourceAttributes). Types the registry
// does not know, such as Custom::*, are not checked; nor are attribute
// names computed by another function.
func checkGetAttAttributes(stack string, tree *Map) []Finding {
	types := resourceTypes(tree)
	var out []Finding
	var id string
	w := newWalker(func(path []byte, fn Fn) {
		for _, ref := range attributeRefs(fn) {
			if msg := unknownAttribute(types, ref); msg != "" {
				out = append(out, Finding{Stack: stack, LogicalID: id, Path: string(path), Message: msg})
			}
		}
	})
	for _, section := range []string{"Resources", "Outputs"} {
		s := Section(tree, section)
		for i, key := range s.keys {
			id = key
			w.walk(s.vals[i], "")
		}
	}
	return out
}

// attributeRef is one use of a resource attribute.
type attributeRef struct {
	resource, attr string
	form           string // how the template wrote it, for the message
}

// attributeRefs lists the attributes fn reads: one for !GetAtt, one per
// ${Res.Attr} variable of !Sub that its own variable map does not define.
func attributeRefs(fn Fn) []attributeRef {
	switch fn.Name {
	case FnGetAtt:
		res, attr, ok := getAttParts(fn.Arg)
		if !ok {
			return nil
		}
		return []attributeRef{{res, attr, "!GetAtt " + res + "." + attr}}
	case FnSub:
		text, local := SubParts(fn.Arg)
		vars, _ := SubVariables(text)
		var refs []attributeRef
		for _, v := range vars {
			res, attr, isAttr := strings.Cut(v, ".")
			if _, shadowed := local.Get(v); isAttr && !shadowed {
				refs = append(refs, attributeRef{res, attr, "!Sub variable ${" + v + "}"})
			}
		}
		return refs
	}
	return nil
}

// getAttParts reads [Res, Attr] or "Res.Attr"; ok is false when the
// attribute is computed by another function.
func getAttParts(arg any) (res, attr string, ok bool) {
	switch a := arg.(type) {
	case string:
		return strings.Cut(a, ".")
	case []any:
		if len(a) != 2 {
			return "", "", false
		}
		res, ok1 := a[0].(string)
		attr, ok2 := a[1].(string)
		return res, attr, ok1 && ok2
	}
	return "", "", false
}

// unknownAttribute explains why ref names an attribute its resource lacks,
// or returns "" when it is fine or cannot be checked. A resource that does
// not exist is checkReferences' finding, not this one.
func unknownAttribute(types map[string]string, ref attributeRef) string {
	typ, ok := types[ref.resource]
	if !ok || HasAttribute(typ, ref.attr) {
		return ""
	}
	attrs, _ := ResourceAttributes(typ)
	if len(attrs) == 0 {
		return fmt.Sprintf("%s: %s %s has no attributes for Fn::GetAtt: use !Ref %s", ref.form, typ, ref.resource, ref.resource)
	}
	return fmt.Sprintf("%s: %s has no attribute %q; it has %s", ref.form, typ, ref.attr, listAttributes(attrs))
}

func listAttributes(attrs []string) string {
	const most = 12
	if len(attrs) > most {
		return strings.Join(attrs[:most], ", ") + fmt.Sprintf(" and %d more", len(attrs)-most)
	}
	return strings.Join(attrs, ", ")
}

// resourceTypes maps each logical id to its Type.
func resourceTypes(tree *Map) map[string]string {
	out := map[string]string{}
	for _, r := range Resources(tree) {
		if _, isString := r.Body.Value("Type").(string); isString {
			out[r.ID] = r.Type
		}
	}
	return out
}
