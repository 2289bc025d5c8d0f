package templates

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// fromGo returns any Go value (goformation resources, structs, maps) as a
// value tree with goformation's encoded intrinsics decoded. It reads the
// value by reflection as encoding/json would write it, without writing and
// reading JSON: that round trip was a third of a render. What it does not
// read itself (a type with its own MarshalJSON or MarshalText, floats, byte
// slices, json.Number, embedded structs, unusual tags) goes through
// encoding/json, so the tree is always the one fromGoJSON builds; the
// equivalence tests hold the two to the same trees for every goformation
// resource type.
func fromGo(v any) (any, error) {
	tree, err := goValue(reflect.ValueOf(v), 0)
	if err != nil {
		return nil, err
	}
	return normalize(tree, false), nil
}

// fromGoJSON is fromGo through encoding/json.
func fromGoJSON(v any) (any, error) {
	tree, err := viaJSON(v)
	if err != nil {
		return nil, err
	}
	return normalize(tree, false), nil
}

func viaJSON(v any) (any, error) {
	data, err := marshalJSON(v)
	if err != nil {
		return nil, err
	}
	return decodeJSON(data)
}

// maxGoDepth is where goValue hands over to encoding/json, which reports a
// cycle rather than recursing forever.
const maxGoDepth = 1000

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	numberType        = reflect.TypeFor[json.Number]()
)

func goValue(v reflect.Value, depth int) (any, error) {
	if !v.IsValid() {
		return nil, nil // a nil interface
	}
	return kindValue(v, kindOf(v.Type()), depth)
}

// kindValue is goValue for a value whose type's kind is known: a struct
// field's, looked up once per struct type rather than once per value.
func kindValue(v reflect.Value, kind typeKind, depth int) (any, error) {
	switch {
	case kind == goformationResourceKind:
		return resourceValue(addressable(v), depth)
	case kind == ownEncodingKind, kind == ownEncodingByAddressKind && v.CanAddr(), depth > maxGoDepth:
		return jsonOf(v)
	}
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); utf8.ValidString(s) {
			return s, nil
		}
		return jsonOf(v) // encoding/json replaces invalid bytes
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return json.Number(strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return goValue(v.Elem(), depth+1)
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return jsonOf(v) // base64
		}
		return listValue(v, depth)
	case reflect.Array:
		return listValue(v, depth)
	case reflect.Map:
		return mapValue(v, depth)
	case reflect.Struct:
		return structValue(v, depth)
	}
	return jsonOf(v) // floats, and what encoding/json refuses
}

// typeKind is how goValue reads the values of a type.
type typeKind int

const (
	plainKind                typeKind = iota
	goformationResourceKind           // resourceValue
	ownEncodingKind                   // a MarshalJSON or MarshalText, or json.Number: encoding/json
	ownEncodingByAddressKind          // the same, by pointer methods: encoding/json when addressable
)

var kinds sync.Map // reflect.Type -> typeKind

// kindOf is the typeKind of t, decided once per type: the reflection it
// takes cost more than reading the value.
func kindOf(t reflect.Type) typeKind {
	if k, ok := kinds.Load(t); ok {
		return k.(typeKind)
	}
	k := readKind(t)
	kinds.Store(t, k)
	return k
}

func readKind(t reflect.Type) typeKind {
	if isGoformationResource(t) || (t.Kind() == reflect.Pointer && isGoformationResource(t.Elem())) {
		return goformationResourceKind
	}
	if t == numberType || t.Implements(marshalerType) || t.Implements(textMarshalerType) {
		return ownEncodingKind
	}
	if pt := reflect.PointerTo(t); pt.Implements(marshalerType) || pt.Implements(textMarshalerType) {
		return ownEncodingByAddressKind
	}
	return plainKind
}

// jsonOf is v through encoding/json, as encoding/json reaches it: by its
// address when it has one, so that pointer methods apply.
func jsonOf(v reflect.Value) (any, error) {
	if v.CanAddr() {
		return viaJSON(v.Addr().Interface())
	}
	return viaJSON(v.Interface())
}

func listValue(v reflect.Value, depth int) (any, error) {
	out := make([]any, v.Len())
	for i := range out {
		item, err := goValue(v.Index(i), depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = item
	}
	return out, nil
}

func mapValue(v reflect.Value, depth int) (any, error) {
	if v.IsNil() {
		return nil, nil
	}
	if v.Type().Key().Kind() != reflect.String || v.Type().Key().Implements(textMarshalerType) {
		return jsonOf(v)
	}
	type entry struct {
		key   string
		value reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	for iter := v.MapRange(); iter.Next(); {
		entries = append(entries, entry{iter.Key().String(), iter.Value()})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	m := newMapSized(len(entries))
	for _, e := range entries {
		item, err := goValue(e.value, depth+1)
		if err != nil {
			return nil, err
		}
		m.Set(e.key, item)
	}
	return m, nil
}

func structValue(v reflect.Value, depth int) (any, error) {
	fields, ok := structFields(v.Type())
	if !ok {
		return jsonOf(v)
	}
	m := newMapSized(len(fields))
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.omitEmpty && isEmptyValue(fv) {
			continue
		}
		item, err := f.value(fv, depth+1)
		if err != nil {
			return nil, err
		}
		m.Set(f.name, item)
	}
	return m, nil
}

// goField is a struct field encoding/json writes.
type goField struct {
	index     int
	name      string
	omitEmpty bool
	// kind is the typeKind of the field's type; for a pointer of plain
	// kind, elemKind is that of what it points to.
	kind, elemKind typeKind
	plainPointer   bool
}

// value is goValue of the field's value fv.
func (f goField) value(fv reflect.Value, depth int) (any, error) {
	if !f.plainPointer {
		return kindValue(fv, f.kind, depth)
	}
	if fv.IsNil() {
		return nil, nil
	}
	return kindValue(fv.Elem(), f.elemKind, depth+1)
}

type structInfo struct {
	fields []goField
	ok     bool
}

var structCache sync.Map // reflect.Type -> structInfo

// structFields lists the fields encoding/json writes for t, in order. ok
// is false for a struct that needs encoding/json's own rules: an embedded
// field, the string or omitzero option, a name it would not accept, or two
// fields of one name.
func structFields(t reflect.Type) ([]goField, bool) {
	if info, ok := structCache.Load(t); ok {
		return info.(structInfo).fields, info.(structInfo).ok
	}
	fields, ok := readStructFields(t)
	structCache.Store(t, structInfo{fields, ok})
	return fields, ok
}

func readStructFields(t reflect.Type) ([]goField, bool) {
	fields := make([]goField, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return nil, false
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		omitEmpty := false
		for _, opt := range strings.Split(opts, ",") {
			switch opt {
			case "omitempty":
				omitEmpty = true
			case "":
			default:
				return nil, false
			}
		}
		if !isPlainJSONName(name) || slices.ContainsFunc(fields, func(f goField) bool { return f.name == name }) {
			return nil, false
		}
		field := goField{index: i, name: name, omitEmpty: omitEmpty, kind: kindOf(f.Type)}
		if f.Type.Kind() == reflect.Pointer && field.kind == plainKind {
			field.plainPointer, field.elemKind = true, kindOf(f.Type.Elem())
		}
		fields = append(fields, field)
	}
	return fields, true
}

// isPlainJSONName accepts the names encoding/json takes from a tag as they
// are: letters, digits and _ : - . (goformation's and formwork's names).
func isPlainJSONName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_:-.", r) {
			return false
		}
	}
	return s != ""
}

// isEmptyValue is encoding/json's omitempty test.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// goformationPackage is where goformation's generated resource types live.
// Each writes itself with a MarshalJSON of one shape (Type, Properties and
// the resource attributes), which resourceValue reads directly; the Alexa
// skill type and the custom resource of the package root write themselves
// otherwise and are left to their MarshalJSON.
const goformationPackage = "github.com/awslabs/goformation/v7/cloudformation/"

type goformationTyped interface{ AWSCloudFormationType() string }

// isGoformationResource reports a goformation resource struct type, whose
// MarshalJSON resourceValue stands in for.
func isGoformationResource(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || !strings.HasPrefix(t.PkgPath(), goformationPackage) ||
		strings.HasSuffix(t.PkgPath(), "/ask") || !reflect.PointerTo(t).Implements(reflect.TypeFor[goformationTyped]()) ||
		!t.Implements(marshalerType) { // property types have no MarshalJSON: they are plain structs

		return false
	}
	_, ok := t.FieldByName("AWSCloudFormationDeletionPolicy")
	return ok
}

// addressable is the struct of a resource (v or the struct v points to) as
// an addressable value: the type's methods have pointer receivers. A nil
// pointer is returned as it is.
func addressable(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Pointer {
		return v
	}
	if !v.CanAddr() {
		p := reflect.New(v.Type())
		p.Elem().Set(v)
		v = p.Elem()
	}
	return v
}

// resourceAttributeFields are the fields a goformation resource keeps its
// attributes in, and the keys its MarshalJSON writes them under, in order;
// every one is omitted when empty.
var resourceAttributeFields = [...][2]string{
	{"AWSCloudFormationDependsOn", "DependsOn"},
	{"AWSCloudFormationMetadata", "Metadata"},
	{"AWSCloudFormationDeletionPolicy", "DeletionPolicy"},
	{"AWSCloudFormationUpdateReplacePolicy", "UpdateReplacePolicy"},
	{"AWSCloudFormationCondition", "Condition"},
	{"AWSCloudFormationUpdatePolicy", "UpdatePolicy"},
	{"AWSCloudFormationCreationPolicy", "CreationPolicy"},
}

func resourceValue(v reflect.Value, depth int) (any, error) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil // json.Marshal writes null
		}
		v = v.Elem()
	}
	props, err := structValue(v, depth+1)
	if err != nil {
		return nil, err
	}
	m := newMapSized(3)
	m.Set("Type", v.Addr().Interface().(goformationTyped).AWSCloudFormationType())
	m.Set("Properties", props)
	for _, attr := range attributeFields(v.Type()) {
		f := v.Field(attr.index)
		if isEmptyValue(f) {
			continue
		}
		item, err := attr.value(f, depth+1)
		if err != nil {
			return nil, err
		}
		m.Set(attr.name, item)
	}
	return m, nil
}

var attributeCache sync.Map // reflect.Type -> []goField

// attributeFields are the resource attribute fields of a goformation
// resource type, in resourceAttributeFields' order, named by their keys.
func attributeFields(t reflect.Type) []goField {
	if fields, ok := attributeCache.Load(t); ok {
		return fields.([]goField)
	}
	var fields []goField
	for _, attr := range resourceAttributeFields {
		f, ok := t.FieldByName(attr[0])
		if !ok || len(f.Index) != 1 {
			continue
		}
		fields = append(fields, goField{index: f.Index[0], name: attr[1], kind: kindOf(f.Type)})
	}
	attributeCache.Store(t, fields)
	return fields
}
