package importer

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// resource writes one resource: its goformation type when goformation has
// one that holds it, templates.Untyped otherwise.
func (g *generator) resource(id string, v any) {
	body := templates.AsMap(v)
	typ, _ := body.Value("Type").(string)
	g.resourceComment(id)
	t, known := goformation().resource(typ)
	if typ == "AWS::CloudFormation::CustomResource" { // its properties are the handler's, not a schema's
		known = false
	}
	var e expr
	var overrides []override
	if known && !g.asWritten[entryKey("Resources", id)] {
		e, overrides = g.typedResource(id, body, t, typ)
	} else {
		why := "goformation v7 has no type " + typ + ": it is declared untyped, exactly as the template has it"
		switch {
		case strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource":
			why = "a custom resource: its properties are the handler's, written as the template has them"
		case known:
			why = "goformation's " + typ + " cannot hold this resource exactly, so it is declared untyped"
		}
		g.comment(why)
		e, overrides = g.untypedResource(body)
	}
	comment := g.resourceCommentLine(id)
	g.callWith("t.Resource("+strconv.Quote(id)+", ", e.code, ", "+strconv.Quote(comment)+")")
	g.tmpl.Resource(id, asResource(e.val, t, typ), comment)
	for _, o := range overrides {
		p := strings.Join(o.path, ".")
		g.comment(o.reason)
		g.callWith("t.Override("+strconv.Quote(id)+", "+strconv.Quote(p)+", ", o.code, ")")
		g.tmpl.Override(id, p, o.val)
	}
	g.blank()
}

// typedResource fits a resource body into its goformation struct: the
// properties into its fields, the attributes into its AWSCloudFormation*
// fields, and what does not fit into overrides. A key no override can name
// (it has a dot) marks the resource to be written untyped on the retry.
func (g *generator) typedResource(id string, body *templates.Map, t *goType, typ string) (expr, []override) {
	f := &fitter{g: g}
	r := &typedBody{fitter: f, t: t, value: reflect.New(t.reflectType()), typ: typ}
	for _, k := range body.Keys() {
		escaped := true
		switch k {
		case "Type":
		case "Properties":
			escaped = r.properties(body.Value(k))
		default:
			escaped = r.attribute(k, body.Value(k))
		}
		if !escaped {
			g.asWritten[entryKey("Resources", id)] = true
		}
	}
	return expr{"&" + compositeStruct(g.typeName(t), r.items), r.value}, f.overrides
}

// typedBody is a resource struct being filled.
type typedBody struct {
	*fitter
	t     *goType
	value reflect.Value // *struct
	typ   string
	items []string // field: value lines
}

// bodyRoot is the place of a resource body: Override paths start there.
var bodyRoot = place{addressable: true}

// properties fits the Properties mapping; false if it could not be written
// at all.
func (r *typedBody) properties(v any) bool {
	props, ok := v.(*templates.Map)
	if !ok {
		return r.escape(bodyRoot.child("Properties"), v, "the properties are "+describe(v)+", which no struct holds")
	}
	e, ok := r.fit(props, r.t, bodyRoot.child("Properties"))
	if !ok { // only when a required field is missing: the template's own value, untouched
		return r.escape(bodyRoot.child("Properties"), v, "goformation's "+r.typ+" cannot hold these properties exactly")
	}
	r.items = append(r.items, propertyItems(e.code)...)
	copyProperties(r.value.Elem(), e.val, r.t)
	return true
}

// attribute fits a resource attribute (DependsOn, Condition, ...) into its
// AWSCloudFormation field; false if it could not be written at all.
func (r *typedBody) attribute(k string, v any) bool {
	field, ok := r.t.field("AWSCloudFormation" + k)
	if !ok {
		return r.escape(bodyRoot.child(k), v, "goformation's "+r.typ+" has no field for the "+k+" attribute")
	}
	fv, at := v, bodyRoot.child(k)
	if s, isString := v.(string); isString && k == "DependsOn" {
		fv, at = []any{s}, at.inList() // written as the list it means
	}
	e, ok := r.fit(fv, field.typ, at)
	if !ok || isEmpty(e.val) {
		return r.escape(bodyRoot.child(k), v, "goformation types the "+k+" attribute as "+r.g.typeName(field.typ)+", which cannot hold "+describe(v))
	}
	r.value.Elem().Field(field.index).Set(e.val)
	r.items = append(r.items, field.goName+": "+e.code)
	return true
}

// propertyItems takes the field lines out of a struct literal.
func propertyItems(code string) []string {
	open := strings.IndexByte(code, '{')
	inner := strings.TrimSpace(code[open+1 : len(code)-1])
	if inner == "" {
		return nil
	}
	if !strings.HasPrefix(code[open+1:], "\n") { // one field, on one line
		return []string{inner}
	}
	return []string{strings.TrimSuffix(inner, ",")}
}

// copyProperties sets the property fields of dst from src (both of t),
// leaving the attribute fields alone.
func copyProperties(dst, src reflect.Value, t *goType) {
	for _, f := range t.loaded().fields {
		if !strings.HasPrefix(f.goName, "AWSCloudFormation") {
			dst.Field(f.index).Set(src.Field(f.index))
		}
	}
}

// asResource is a fitted resource (a pointer to its struct) as templates
// reads it. A struct built from the description has none of the real
// type's methods: it is declared as templates.Untyped with the same type,
// properties and attributes, which renders the tree the real type would.
func asResource(v reflect.Value, t *goType, typ string) cloudformation.Resource {
	if r, ok := v.Interface().(cloudformation.Resource); ok {
		return r
	}
	r := &templates.Untyped{Type: typ, Properties: v.Elem().Interface()}
	for _, attr := range resourceAttributes {
		if f, ok := t.field(attr[0]); ok && !isEmpty(v.Elem().Field(f.index)) {
			if r.Attributes == nil {
				r.Attributes = map[string]any{}
			}
			r.Attributes[attr[1]] = v.Elem().Field(f.index).Interface()
		}
	}
	return r
}

// resourceAttributes are the fields a goformation resource keeps its
// attributes in, and the keys it writes them under.
var resourceAttributes = [...][2]string{
	{"AWSCloudFormationDependsOn", "DependsOn"},
	{"AWSCloudFormationMetadata", "Metadata"},
	{"AWSCloudFormationDeletionPolicy", "DeletionPolicy"},
	{"AWSCloudFormationUpdateReplacePolicy", "UpdateReplacePolicy"},
	{"AWSCloudFormationCondition", "Condition"},
	{"AWSCloudFormationUpdatePolicy", "UpdatePolicy"},
	{"AWSCloudFormationCreationPolicy", "CreationPolicy"},
}

var untypedType = &goType{kind: reflect.Struct, pkg: templatesPkg, name: "Untyped"}

// untypedResource writes a resource as templates.Untyped, every attribute
// and property exactly as the template has it.
func (g *generator) untypedResource(body *templates.Map) (expr, []override) {
	r := &templates.Untyped{}
	items := []string{}
	attrs := templates.NewMap()
	for _, k := range body.Keys() {
		switch k {
		case "Type":
			r.Type, _ = body.Value(k).(string)
			items = append(items, "Type: "+strconv.Quote(r.Type))
		case "Properties":
		default:
			attrs.Set(k, body.Value(k))
		}
	}
	if attrs.Len() > 0 {
		code, val := g.generic(attrs)
		r.Attributes = val.(map[string]any)
		items = append(items, "Attributes: "+code)
	}
	var overrides []override
	if props, ok := body.Get("Properties"); ok && props == nil {
		overrides = append(overrides, override{[]string{"Properties"}, "nil", nil, "Properties: null, which Untyped leaves out"})
	} else if ok {
		code, val := g.generic(props)
		r.Properties = val
		items = append(items, "Properties: "+code)
	}
	return expr{"&" + compositeStruct(g.typeName(untypedType), items), reflect.ValueOf(r)}, overrides
}
