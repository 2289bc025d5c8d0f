package importer

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// expr is Go source and the value it evaluates to.
type expr struct {
	code string
	val  reflect.Value
}

// override is a value written with Template.Override because its
// goformation field cannot hold it, or there is no field for it.
type override struct {
	path   []string
	code   string
	val    any
	reason string
}

// fitter puts one resource's template values into goformation's types,
// collecting the values that need an override.
type fitter struct {
	g         *generator
	overrides []override
}

// place is where a value sits: its path from the resource body, and
// whether Override can address it (no list on the way, no dot in a key).
type place struct {
	path        []string
	addressable bool
}

func (p place) child(key string) place {
	return place{append(append([]string(nil), p.path...), key), p.addressable && !strings.Contains(key, ".")}
}

func (p place) inList() place { return place{p.path, false} }

// escape records v as an override at p, if p is addressable.
func (f *fitter) escape(p place, v any, reason string) bool {
	if !p.addressable {
		return false
	}
	code, val := f.g.generic(v)
	f.overrides = append(f.overrides, override{p.path, code, val, reason})
	return true
}

// fit writes v as a value of type t. ok is false when t cannot hold v
// exactly; fields of structs on the way that cannot are escaped one by one.
// When v does not fit, the escapes recorded on the way are dropped: the
// caller writes v whole.
func (f *fitter) fit(v any, t *goType, p place) (expr, bool) {
	mark := len(f.overrides)
	e, ok := f.fitKind(v, t, p)
	if !ok {
		f.overrides = f.overrides[:mark]
	}
	return e, ok
}

func (f *fitter) fitKind(v any, t *goType, p place) (expr, bool) {
	switch t.kind {
	case reflect.Interface:
		code, val := f.g.generic(v)
		rv := reflect.New(t.reflectType()).Elem()
		if val != nil {
			rv.Set(reflect.ValueOf(val))
		}
		return expr{code, rv}, true
	case reflect.Pointer:
		return f.pointer(v, t, p)
	case reflect.String:
		code, val, ok := f.g.stringish(v)
		if !ok {
			return expr{}, false
		}
		rv := reflect.New(t.reflectType()).Elem()
		rv.SetString(val)
		if t.name != "" { // policies.DeletionPolicy("Retain")
			code = f.g.typeName(t) + "(" + code + ")"
		}
		return expr{code, rv}, true
	case reflect.Int, reflect.Int64, reflect.Int32:
		return f.integer(v, t)
	case reflect.Float64, reflect.Float32:
		return f.float(v, t)
	case reflect.Bool:
		b, ok := v.(bool)
		if s, isString := v.(string); isString && (s == "true" || s == "false") {
			b, ok = s == "true", true
		}
		if !ok {
			return expr{}, false
		}
		rv := reflect.New(t.reflectType()).Elem()
		rv.SetBool(b)
		return expr{strconv.FormatBool(b), rv}, true
	case reflect.Slice:
		return f.slice(v, t, p)
	case reflect.Map:
		return f.mapping(v, t, p)
	case reflect.Struct:
		if t.union {
			return f.union(v, t, p)
		}
		return f.structure(v, t, p)
	}
	return expr{}, false
}

func (f *fitter) pointer(v any, t *goType, p place) (expr, bool) {
	if v == nil {
		return expr{}, false
	}
	inner, ok := f.fit(v, t.elem, p)
	if !ok {
		return expr{}, false
	}
	if t.elem.union { // a built union is the alternative it holds, as an any
		return expr{"&" + inner.code, inner.val}, true
	}
	rv := reflect.New(t.elem.reflectType())
	rv.Elem().Set(inner.val)
	var code string
	switch t.elem.kind {
	case reflect.String:
		code = f.g.stringPtr(inner.code)
	case reflect.Int:
		code = f.g.cfn("Int") + "(" + inner.code + ")"
	case reflect.Float64:
		code = f.g.cfn("Float64") + "(" + inner.code + ")"
	case reflect.Bool:
		code = f.g.cfn("Bool") + "(" + inner.code + ")"
	case reflect.Struct:
		code = "&" + inner.code
	default:
		return expr{}, false
	}
	return expr{code, rv}, true
}

// stringPtr turns a string expression into a *string one: RefPtr for Ref,
// String for a literal.
func (g *generator) stringPtr(code string) string {
	prefix := g.cfn("")
	if rest, ok := strings.CutPrefix(code, prefix); ok {
		if name, args, found := strings.Cut(rest, "("); found && ptrHelpers[name] {
			return prefix + name + "Ptr(" + args
		}
	}
	return g.cfn("String") + "(" + code + ")"
}

// ptrHelpers are goformation's helpers that have a *string variant.
var ptrHelpers = map[string]bool{
	"Ref": true, "ImportValue": true, "Base64": true, "GetAZs": true, "Sub": true, "SubVars": true,
	"GetAtt": true, "Split": true, "Join": true, "Select": true, "If": true, "FindInMap": true,
}

// numberText is the text of a number, or of a string that may hold one.
func numberText(v any) (string, bool) {
	switch n := v.(type) {
	case json.Number:
		return n.String(), true
	case string:
		return n, true
	}
	return "", false
}

func (f *fitter) integer(v any, t *goType) (expr, bool) {
	text, ok := numberText(v)
	if !ok {
		return expr{}, false
	}
	i, err := strconv.ParseInt(text, 10, 64)
	code := strconv.FormatInt(i, 10)
	if err != nil || code != text { // 30.0 and +30 are numbers json would write as 30: an override keeps them
		return expr{}, false
	}
	rv := reflect.New(t.reflectType()).Elem()
	rv.SetInt(i)
	return expr{code, rv}, true
}

func (f *fitter) float(v any, t *goType) (expr, bool) {
	text, ok := numberText(v)
	if !ok {
		return expr{}, false
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil || strings.ContainsAny(text, "xXpP_") {
		return expr{}, false
	}
	data, err := json.Marshal(x)
	if err != nil || string(data) != text { // 1.50, which json would write as 1.5
		return expr{}, false
	}
	rv := reflect.New(t.reflectType()).Elem()
	rv.SetFloat(x)
	code := text
	if _, isString := v.(string); isString {
		code = string(data)
	}
	return expr{code, rv}, true
}

func (f *fitter) slice(v any, t *goType, p place) (expr, bool) {
	list, ok := v.([]any)
	if !ok {
		return expr{}, false
	}
	rv := reflect.MakeSlice(t.reflectType(), len(list), len(list))
	items := make([]string, len(list))
	for i, item := range list {
		e, ok := f.fit(item, t.elem, p.inList())
		if !ok {
			return expr{}, false
		}
		rv.Index(i).Set(e.val)
		items[i] = elide(e.code, t.elem)
	}
	return expr{composite(f.g.typeName(t), items), rv}, true
}

// elide drops the type of a struct element inside a slice literal, as gofmt -s does.
func elide(code string, elem *goType) string {
	if elem.kind == reflect.Struct {
		if i := strings.IndexByte(code, '{'); i > 0 {
			return code[i:]
		}
	}
	return code
}

func (f *fitter) mapping(v any, t *goType, p place) (expr, bool) {
	m, ok := v.(*templates.Map)
	if !ok || t.key.kind != reflect.String {
		return expr{}, false
	}
	rv := reflect.MakeMapWithSize(t.reflectType(), m.Len())
	items := make([]string, 0, m.Len())
	for _, k := range m.Keys() {
		e, ok := f.fit(m.Value(k), t.elem, p.inList())
		if !ok {
			return expr{}, false
		}
		rv.SetMapIndex(reflect.ValueOf(k).Convert(t.key.reflectType()), e.val)
		items = append(items, strconv.Quote(k)+": "+elide(e.code, t.elem))
	}
	return expr{composite(f.g.typeName(t), items), rv}, true
}

// structure fits a mapping into a goformation struct, field by field in the
// template's order. A key with no field, or a value its field cannot hold,
// is escaped when its place is addressable; otherwise the whole struct does
// not fit.
func (f *fitter) structure(v any, t *goType, p place) (expr, bool) {
	m, ok := v.(*templates.Map)
	if !ok {
		return expr{}, false
	}
	rv := reflect.New(t.reflectType()).Elem()
	var items []string
	set := map[string]bool{}
	for _, k := range m.Keys() {
		val := m.Value(k)
		field, known := t.loaded().byJSON[k]
		if !known {
			if !f.escape(p.child(k), val, f.noField(t, k)) {
				return expr{}, false
			}
			continue
		}
		e, ok := f.fit(val, field.typ, p.child(k))
		dropped := ok && field.omitEmpty && isEmpty(e.val)
		if !ok || dropped {
			reason := f.cannotHold(t, field, val)
			if dropped {
				reason = "goformation would drop " + f.g.typeName(t) + "." + field.goName + ": " + describe(val) + " (omitempty)"
			}
			if !f.escape(p.child(k), val, reason) {
				return expr{}, false
			}
			set[k] = true // the override replaces the zero value json writes
			continue
		}
		rv.Field(field.index).Set(e.val)
		items = append(items, field.goName+": "+e.code)
		set[k] = true
	}
	for _, name := range t.loaded().required {
		if !set[name] {
			return expr{}, false // json would write a zero value the template does not have
		}
	}
	return expr{composite(f.g.typeName(t), items), rv}, true
}

// compositeStruct writes a resource's struct literal, one field a line when
// it has more than one field.
func compositeStruct(typ string, items []string) string {
	if len(items) <= 1 {
		return composite(typ, items)
	}
	return typ + "{\n" + strings.Join(items, ",\n") + ",\n}"
}

// union fits a value into one of goformation's either-or types
// (serverless.Function_CodeUri: a String or an S3Location), trying each
// alternative in turn.
func (f *fitter) union(v any, t *goType, p place) (expr, bool) {
	for _, field := range t.loaded().fields {
		if field.tag == "-" {
			continue
		}
		trial := &fitter{g: f.g}
		e, ok := trial.fit(v, field.typ, p.inList())
		if !ok {
			continue
		}
		rv := reflect.New(t.reflectType()).Elem()
		if t.reflectType().Kind() == reflect.Interface { // built: the alternative it holds
			rv.Set(e.val)
		} else {
			rv.Field(field.index).Set(e.val)
		}
		return expr{f.g.typeName(t) + "{" + field.goName + ": " + e.code + "}", rv}, true
	}
	return expr{}, false
}

func (f *fitter) noField(t *goType, key string) string {
	return "goformation v7 has no field for " + key + " in " + f.g.typeName(t) + " (newer than its April 2024 release)"
}

func (f *fitter) cannotHold(t *goType, field *goField, v any) string {
	return "goformation types " + f.g.typeName(t) + "." + field.goName + " as " + f.g.typeName(field.typ) +
		", which cannot hold " + describe(v)
}

func describe(v any) string {
	switch t := v.(type) {
	case templates.Fn:
		if tag, ok := templates.ShortTag(t.Name); ok {
			return "a " + tag
		}
		return "a " + t.Name
	case nil:
		return "null"
	case []any:
		if len(t) == 0 {
			return "an empty list"
		}
		return "this list"
	case *templates.Map:
		if t.Len() == 0 {
			return "an empty mapping"
		}
		return "this mapping"
	case string:
		return strconv.Quote(t)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return "this value"
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return v.IsZero()
}

var marshaler = reflect.TypeFor[json.Marshaler]()
