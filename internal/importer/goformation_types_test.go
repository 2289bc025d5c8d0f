package importer

import (
	"bytes"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/templates"
)

// typesFile is the generated description of goformation's types.
const typesFile = "goformation_types.txt"

// realResourceTypes are the struct types goformation's AllResources lists
// (SAM's Globals sections aside).
func realResourceTypes() map[string]*goType {
	types := map[string]*goType{}
	for name, r := range cloudformation.AllResources() {
		if strings.Contains(name, "::") { // AllResources also lists SAM's Globals sections (Api, Function)
			types[name] = describeType(reflect.TypeOf(r).Elem())
		}
	}
	return types
}

// The description is what reflection over the real types says: after a
// goformation upgrade, make generate (go test -run TestGoformationTypes
// -update) rewrites it.
func TestGoformationTypes(t *testing.T) {
	want, err := encodeTypes(realResourceTypes())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(typesFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(want) != goformationTypes {
		t.Errorf("%s is not what goformation's types are: run make generate", typesFile)
	}
}

// Parsing the description and building its types gives back the
// description.
func TestGoformationTypesParse(t *testing.T) {
	set := newTypeSet(goformationTypes)
	built := map[string]*goType{}
	for _, line := range strings.Split(strings.TrimSuffix(set.resources, "\n"), "\n") {
		cfn := strings.Fields(line)[1]
		typ, ok := set.resource(cfn)
		if !ok || typ.reflectType() == nil || typ.reflectType().Kind() != reflect.Struct {
			t.Fatalf("%s: no struct built", cfn)
		}
		built[cfn] = typ
	}
	got, err := encodeTypes(built)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != goformationTypes {
		t.Errorf("the parsed description encodes differently from %s", typesFile)
	}
	if len(built) < 1000 {
		t.Errorf("the description has %d resource types", len(built))
	}
}

// For every resource type, a value of the built type holding what a
// filled-in value of the real type holds renders the same template.
func TestBuiltTypesRenderAsTheRealOnes(t *testing.T) {
	set := goformation()
	for cfn, realType := range realResourceTypes() {
		builtType, ok := set.resource(cfn)
		if !ok {
			t.Fatalf("%s is not described", cfn)
		}
		for _, depth := range []int{0, 3} {
			n := 0
			real := reflect.New(realType.reflectType())
			fillReal(real.Elem(), realType, depth, &n)
			built := reflect.New(builtType.reflectType())
			built.Elem().Set(convert(real.Elem(), realType, builtType))
			want := renderResource(t, cfn, real.Interface().(cloudformation.Resource))
			got := renderResource(t, cfn, asResource(built, builtType, cfn))
			if got != want {
				t.Errorf("%s at depth %d renders\n%s\nthe real type\n%s", cfn, depth, got, want)
			}
		}
	}
}

func renderResource(t *testing.T, cfn string, r cloudformation.Resource) string {
	tmpl := templates.New("types", "")
	tmpl.Resource("R", r, "")
	tree, err := tmpl.Tree()
	if err != nil {
		t.Fatalf("%s: %v", cfn, err)
	}
	out, err := templates.Encode(tree, nil, templates.JSON)
	if err != nil {
		t.Fatalf("%s: %v", cfn, err)
	}
	return string(out)
}

// fillReal sets every field of v (of type t) to depth, as
// templates/fromgo_test.go's fill does, and one alternative of a union, as
// import fits one.
func fillReal(v reflect.Value, t *goType, depth int, n *int) {
	*n++
	switch t.kind {
	case reflect.String:
		v.SetString([]string{cloudformation.Ref("Thing"), "value"}[*n%2])
	case reflect.Bool:
		v.SetBool(*n%3 != 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n % 4))
	case reflect.Float64:
		v.SetFloat(float64(*n) / 8)
	case reflect.Pointer:
		if depth > 0 || t.elem.union {
			p := reflect.New(t.elem.reflectType())
			fillReal(p.Elem(), t.elem, depth-1, n)
			v.Set(p)
		}
	case reflect.Slice:
		if depth > 0 {
			s := reflect.MakeSlice(t.reflectType(), 1, 1)
			fillReal(s.Index(0), t.elem, depth-1, n)
			v.Set(s)
		}
	case reflect.Map:
		if depth > 0 {
			m := reflect.MakeMap(t.reflectType())
			for _, k := range []string{"b", "a"} {
				e := reflect.New(t.elem.reflectType()).Elem()
				fillReal(e, t.elem, depth-1, n)
				m.SetMapIndex(reflect.ValueOf(k).Convert(t.key.reflectType()), e)
			}
			v.Set(m)
		}
	case reflect.Interface:
		if depth > 0 {
			v.Set(reflect.ValueOf(map[string]any{"Key": cloudformation.Sub("${AWS::Region}"), "N": 1.5, "List": []any{"x", 2}}))
		}
	case reflect.Struct:
		if t.union {
			f := t.loaded().fields[*n%len(t.loaded().fields)]
			fillReal(v.Field(f.index), f.typ, max(depth, 1), n)
			return
		}
		for _, f := range t.loaded().fields {
			if token.IsExported(f.goName) {
				fillReal(v.Field(f.index), f.typ, depth, n)
			}
		}
	}
}

// convert is the value of a built type that holds what v, of the real
// type t, holds.
func convert(v reflect.Value, t, built *goType) reflect.Value {
	out := reflect.New(built.reflectType()).Elem()
	switch {
	case t.union:
		for _, f := range t.loaded().fields {
			if !v.Field(f.index).IsZero() {
				alt, _ := built.field(f.goName)
				out.Set(convert(v.Field(f.index), f.typ, alt.typ))
			}
		}
	case t.kind == reflect.Pointer && built.reflectType().Kind() == reflect.Interface: // to a union
		if !v.IsNil() {
			out.Set(convert(v.Elem(), t.elem, built.elem))
		}
	case t.kind == reflect.Pointer:
		if !v.IsNil() {
			p := reflect.New(built.elem.reflectType())
			p.Elem().Set(convert(v.Elem(), t.elem, built.elem))
			out.Set(p)
		}
	case t.kind == reflect.Slice:
		if !v.IsNil() {
			out.Set(reflect.MakeSlice(built.reflectType(), v.Len(), v.Len()))
			for i := range v.Len() {
				out.Index(i).Set(convert(v.Index(i), t.elem, built.elem))
			}
		}
	case t.kind == reflect.Map:
		if !v.IsNil() {
			out.Set(reflect.MakeMap(built.reflectType()))
			for iter := v.MapRange(); iter.Next(); {
				out.SetMapIndex(iter.Key().Convert(built.key.reflectType()), convert(iter.Value(), t.elem, built.elem))
			}
		}
	case t.kind == reflect.Struct:
		for _, f := range t.loaded().fields {
			if fv := v.Field(f.index); token.IsExported(f.goName) && !fv.IsZero() { // a zero value in a field built as any would be a non-nil any
				bf, _ := built.field(f.goName)
				out.Field(bf.index).Set(convert(fv, f.typ, bf.typ))
			}
		}
	case t.kind == reflect.Interface:
		if !v.IsNil() {
			out.Set(v.Elem())
		}
	default:
		out.Set(v.Convert(built.reflectType()))
	}
	return out
}

// encodeTypes writes the description of the resource types (CloudFormation
// type -> struct) and of every named type they reach.
func encodeTypes(resources map[string]*goType) ([]byte, error) {
	e := &typeEncoder{decls: map[string]string{}}
	var b bytes.Buffer
	b.WriteString("# goformation's types, described for formwork import (see described.go).\n")
	b.WriteString("# Generated by TestGoformationTypes -update (make generate) from goformation's AllResources. DO NOT EDIT.\n")
	for _, cfn := range slices.Sorted(keys(resources)) {
		name, err := e.expr(resources[cfn])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", cfn, err)
		}
		fmt.Fprintf(&b, "R %s %s\n", cfn, name)
	}
	for _, name := range slices.Sorted(keys(e.decls)) {
		b.WriteString(e.decls[name])
	}
	return b.Bytes(), nil
}

func keys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

type typeEncoder struct{ decls map[string]string }

// expr writes a type expression, declaring the named types it reaches.
func (e *typeEncoder) expr(t *goType) (string, error) {
	if t.name == "" {
		return e.underlying(t)
	}
	rel, ok := strings.CutPrefix(t.pkg, goformationRoot)
	if !ok || strings.Contains(rel, "/") {
		return "", fmt.Errorf("%s.%s is not in a package of goformation's", t.pkg, t.name)
	}
	name := rel + "." + t.name
	if _, done := e.decls[name]; done {
		return name, nil
	}
	e.decls[name] = "" // being declared: a reference back to it is its name
	decl, err := e.declare(name, t)
	e.decls[name] = decl
	return name, err
}

func (e *typeEncoder) declare(name string, t *goType) (string, error) {
	if t.kind != reflect.Struct {
		under, err := e.underlying(t)
		return "N " + name + " " + under + "\n", err
	}
	head := "T "
	if t.union {
		head = "U "
	}
	var b strings.Builder
	b.WriteString(head + name + "\n")
	attrs := []string{}
	for _, f := range t.loaded().fields {
		if !token.IsExported(f.goName) { // tags.Tag's _dependsOn: json writes none, and StructOf cannot build it
			continue
		}
		typ, err := e.expr(f.typ)
		if err != nil {
			return "", fmt.Errorf("%s.%s: %v", name, f.goName, err)
		}
		if attr, ok := strings.CutPrefix(f.goName, "AWSCloudFormation"); ok && f.tag == "-" && attributeFieldTypes[attr] == typ {
			attrs = append(attrs, attr)
		}
	}
	for _, f := range t.loaded().fields {
		if !token.IsExported(f.goName) {
			continue
		}
		typ, _ := e.expr(f.typ)
		if attr, ok := strings.CutPrefix(f.goName, "AWSCloudFormation"); ok && slices.Contains(attrs, attr) {
			if attr == attrs[0] {
				b.WriteString("\t- " + strings.Join(attrs, " ") + "\n")
			}
			continue
		}
		b.WriteString("\t" + f.goName + " " + typ)
		switch {
		case f.tag == f.goName+",omitempty":
		case f.tag == "":
			b.WriteString(` ""`)
		case strings.ContainsAny(f.tag, " \t\n\""):
			return "", fmt.Errorf("%s.%s: the tag %q does not fit the description", name, f.goName, f.tag)
		default:
			b.WriteString(" " + f.tag)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

// underlying writes an unnamed type expression.
func (e *typeEncoder) underlying(t *goType) (string, error) {
	switch t.kind {
	case reflect.Pointer, reflect.Slice:
		elem, err := e.expr(t.elem)
		return map[reflect.Kind]string{reflect.Pointer: "*", reflect.Slice: "[]"}[t.kind] + elem, err
	case reflect.Map:
		key, err := e.expr(t.key)
		if err != nil {
			return "", err
		}
		elem, err := e.expr(t.elem)
		return "map[" + key + "]" + elem, err
	case reflect.Interface:
		return "any", nil
	}
	for name, rt := range basicKinds {
		if rt.Kind() == t.kind && name != "any" {
			return name, nil
		}
	}
	return "", fmt.Errorf("a %s, which the description has no way to write", t.kind)
}

// internal/importer imports no goformation package but the root one (which
// the binary links anyway): it reads the resource types from the
// description, so the linker keeps none of them for import.
func TestImportImportsNoResourcePackage(t *testing.T) {
	templatestest.Tool(t, "go", "go list reads the package's imports")
	out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root := strings.TrimSuffix(goformationRoot, "/")
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, root+"/") {
			t.Errorf("internal/importer imports %s: describe goformation's types in %s instead", pkg, typesFile)
		}
	}
}

// No file of formwork's binary calls AllResources: a call links an
// interface table per goformation type, which every process start would
// register and fault in, whatever the command. Tests may call it.
func TestNothingCallsAllResources(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(src, []byte("AllResources(")) {
			t.Errorf("%s calls AllResources: import reads goformation's types from %s", path, typesFile)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Imports running at once build the described types once, and each
// writes what it writes alone.
func TestConcurrentImportsAgree(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*", "template.*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	goformation = sync.OnceValue(func() *typeSet { return newTypeSet(goformationTypes) }) // cold, as a process starts
	results := make([][]byte, len(files))
	var wg sync.WaitGroup
	for i, file := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := os.ReadFile(file)
			if err == nil {
				results[i], err = Import(file, "concurrent", data, Options{})
			}
			if err != nil {
				t.Errorf("%s: %v", file, err)
			}
		}()
	}
	wg.Wait()
	for i, file := range files {
		data, _ := os.ReadFile(file)
		alone, err := Import(file, "concurrent", data, Options{})
		if err != nil || !bytes.Equal(alone, results[i]) {
			t.Errorf("%s: imported alongside others, it wrote other source (%v)", file, err)
		}
	}
}

// find looks an entry up in a sorted section by its name, first, last,
// between and missing.
func TestFindInASortedSection(t *testing.T) {
	set := newTypeSet("# comment\nR A::B a.B\nR C::D c.D\nT a.B\n\tX string\n\tY *a.C Y\nN a.C string\nT z.Z\n\t- Condition\n")
	for key, want := range map[string]string{"A::B": "R A::B a.B", "C::D": "R C::D c.D"} {
		if got, ok := find(set.resources, key); !ok || got != want {
			t.Errorf("find(resources, %q) = %q, %v", key, got, ok)
		}
	}
	for key, want := range map[string]string{"a.B": "T a.B\n\tX string\n\tY *a.C Y", "a.C": "N a.C string", "z.Z": "T z.Z\n\t- Condition"} {
		if got, ok := find(set.decls, key); !ok || got != want {
			t.Errorf("find(decls, %q) = %q, %v", key, got, ok)
		}
	}
	for _, key := range []string{"", "0", "a.A", "a.Bb", "zz.Z", "X"} {
		if got, ok := find(set.decls, key); ok {
			t.Errorf("find(decls, %q) = %q: it has no such entry", key, got)
		}
	}
	if _, ok := set.resource("AWS::Nothing::Here"); ok {
		t.Error("a type the description does not list was found")
	}
	b, _ := set.resource("A::B")
	if f, ok := b.field("Y"); !ok || f.typ.kind != reflect.Pointer || f.typ.elem.name != "C" || f.typ.elem.kind != reflect.String {
		t.Errorf("a.B.Y is %+v", f)
	}
	if z := set.expr("z.Z"); len(z.loaded().fields) != 1 || z.loaded().fields[0].jsonName != "" {
		t.Errorf("z.Z's attribute field is %+v", z.loaded().fields)
	}
}
