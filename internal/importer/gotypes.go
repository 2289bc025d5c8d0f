package importer

import (
	"reflect"
	"strings"
	"sync"
)

// goType is a Go type as import fits values into it and writes it: its
// kind, its name when it has one, its elements and fields. rt is the type
// of the values import builds: the real type for a type formwork links
// anyway (cloudformation.Parameter, Output), and for goformation's
// resource types an equivalent built with reflect.StructOf from a
// generated description (goformation_types.txt), so that formwork's
// binary links none of goformation's 1,256 resource types for import.
type goType struct {
	kind      reflect.Kind // String, Bool, Int, Float64, Pointer, Slice, Map, Interface, Struct
	pkg, name string       // a named type: github.com/.../s3 and Bucket
	key, elem *goType      // Map; Pointer, Slice, Map
	fields    []goField    // Struct: every field, in order (see loaded)
	members   func()       // sets fields, if they are not yet
	loadOnce  sync.Once
	union     bool         // one of goformation's either-or structs (serverless.Function_CodeUri)
	rt        reflect.Type // see reflectType
	once      sync.Once

	byJSON   map[string]*goField // the fields json writes, by their key
	required []string            // the keys json writes even when zero
}

// goField is a field of a struct type.
type goField struct {
	index     int
	goName    string
	typ       *goType
	tag       string // the json tag: "BucketName,omitempty", "-", or none
	jsonName  string // the key json writes it under; "" when it writes none
	omitEmpty bool
}

// setTag sets the field's json tag and what json makes of it.
func (f *goField) setTag(tag string) {
	f.tag = tag
	if tag == "-" {
		return
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.goName
	}
	f.jsonName, f.omitEmpty = name, strings.Contains(opts, "omitempty")
}

// index lists the fields json writes by key, once all are set.
func (t *goType) index() {
	t.byJSON = map[string]*goField{}
	for i := range t.fields {
		f := &t.fields[i]
		if f.jsonName == "" {
			continue
		}
		t.byJSON[f.jsonName] = f
		if !f.omitEmpty {
			t.required = append(t.required, f.jsonName)
		}
	}
}

// loaded is t with its fields.
func (t *goType) loaded() *goType {
	if t.members != nil {
		t.loadOnce.Do(t.members)
	}
	return t
}

// field is the field of a struct by Go name.
func (t *goType) field(goName string) (*goField, bool) {
	t.loaded()
	for i := range t.fields {
		if t.fields[i].goName == goName {
			return &t.fields[i], true
		}
	}
	return nil, false
}

// described holds the description of each real type, built once.
var described sync.Map // reflect.Type -> *goType

// describeType is the goType of a real Go type, whose values are of that type.
func describeType(t reflect.Type) *goType {
	if gt, ok := described.Load(t); ok {
		return gt.(*goType)
	}
	seen := map[reflect.Type]*goType{}
	gt := describeIn(t, seen)
	described.Store(t, gt)
	return gt
}

func describeIn(t reflect.Type, seen map[reflect.Type]*goType) *goType {
	if gt, ok := seen[t]; ok {
		return gt
	}
	gt := &goType{kind: t.Kind(), rt: t}
	seen[t] = gt
	if t.Name() != "" && t.PkgPath() != "" {
		gt.pkg, gt.name = t.PkgPath(), t.Name()
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		gt.elem = describeIn(t.Elem(), seen)
	case reflect.Map:
		gt.key, gt.elem = describeIn(t.Key(), seen), describeIn(t.Elem(), seen)
	case reflect.Interface:
		if t.NumMethod() > 0 {
			gt.kind = reflect.Invalid // nothing import writes fits it
		}
	case reflect.Struct:
		for i := range t.NumField() {
			sf := t.Field(i)
			f := goField{index: i, goName: sf.Name, typ: describeIn(sf.Type, seen)}
			if sf.IsExported() {
				f.setTag(sf.Tag.Get("json"))
			} else {
				f.tag = "-"
			}
			gt.fields = append(gt.fields, f)
		}
		gt.union = isUnion(t)
		gt.index()
	}
	return gt
}

// isUnion reports whether t is one of goformation's either-or types: a
// struct with its own MarshalJSON and no JSON field names.
func isUnion(t reflect.Type) bool {
	if !t.Implements(marshaler) {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("json") != "" {
			return false
		}
	}
	return true
}
