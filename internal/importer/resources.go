package importer

import (
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// resourceTypes maps each resource type goformation knows to its struct,
// built on first use from a generated table (goformation_types_gen.go) of
// the types goformation's AllResources lists. AllResources itself would
// make every start of the binary register an interface table for each of
// its 1,500 types and fault their descriptors into memory (4 MiB of every
// process's resident memory); the table's types are touched only by import.
var resourceTypes = sync.OnceValue(goformationTypes)

// resource writes one resource: its goformation type when goformation has
// one that holds it, templates.Untyped otherwise.
func (g *generator) resource(id string, v any) {
	body := templates.AsMap(v)
	typ, _ := body.Value("Type").(string)
	g.resourceComment(id)
	t, known := resourceTypes()[typ]
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
	g.tmpl.Resource(id, e.val.Interface().(cloudformation.Resource), comment)
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
func (g *generator) typedResource(id string, body *templates.Map, t reflect.Type, typ string) (expr, []override) {
	f := &fitter{g: g}
	r := &typedBody{fitter: f, value: reflect.New(t), typ: typ}
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
	e, ok := r.fit(props, r.value.Elem().Type(), bodyRoot.child("Properties"))
	if !ok { // only when a required field is missing: the template's own value, untouched
		return r.escape(bodyRoot.child("Properties"), v, "goformation's "+r.typ+" cannot hold these properties exactly")
	}
	r.items = append(r.items, propertyItems(e.code)...)
	copyProperties(r.value.Elem(), e.val)
	return true
}

// attribute fits a resource attribute (DependsOn, Condition, ...) into its
// AWSCloudFormation field; false if it could not be written at all.
func (r *typedBody) attribute(k string, v any) bool {
	field, ok := r.value.Elem().Type().FieldByName("AWSCloudFormation" + k)
	if !ok {
		return r.escape(bodyRoot.child(k), v, "goformation's "+r.typ+" has no field for the "+k+" attribute")
	}
	fv, at := v, bodyRoot.child(k)
	if s, isString := v.(string); isString && k == "DependsOn" {
		fv, at = []any{s}, at.inList() // written as the list it means
	}
	e, ok := r.fit(fv, field.Type, at)
	if !ok || isEmpty(e.val) {
		return r.escape(bodyRoot.child(k), v, "goformation types the "+k+" attribute as "+r.g.typeName(field.Type)+", which cannot hold "+describe(v))
	}
	r.value.Elem().FieldByIndex(field.Index).Set(e.val)
	r.items = append(r.items, field.Name+": "+e.code)
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

// copyProperties sets the property fields of dst from src (same type),
// leaving the attribute fields alone.
func copyProperties(dst, src reflect.Value) {
	for i := 0; i < src.NumField(); i++ {
		if !strings.HasPrefix(src.Type().Field(i).Name, "AWSCloudFormation") {
			dst.Field(i).Set(src.Field(i))
		}
	}
}

var untypedType = reflect.TypeFor[templates.Untyped]()

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
