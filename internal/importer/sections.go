package importer

import (
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// The Build function declares the sections in the order the output contract
// writes them, and each section's entries in the template's order.

func (g *generator) transform(v any) {
	code, val := g.generic(v)
	g.line("t.Transform(%s)", code)
	g.tmpl.Transform(val)
	g.blank()
}

func (g *generator) metadata(md *templates.Map) {
	for _, k := range md.Keys() {
		v := md.Value(k)
		if k == "AWS::CloudFormation::Interface" && g.parameterGroups(v) {
			continue
		}
		code, val := g.generic(v)
		g.line("t.Metadata(%s, %s)", strconv.Quote(k), code)
		g.tmpl.Metadata(k, val)
	}
	g.blank()
}

// parameterGroups writes an Interface that holds nothing but parameter
// groups with t.ParameterGroup.
func (g *generator) parameterGroups(v any) bool {
	iface := templates.AsMap(v)
	if iface.Len() != 1 || iface.Keys()[0] != "ParameterGroups" {
		return false
	}
	groups, ok := iface.Value("ParameterGroups").([]any)
	if !ok || len(groups) == 0 {
		return false
	}
	type group struct {
		label  string
		params []string
	}
	var out []group
	for _, item := range groups {
		m := templates.AsMap(item)
		label := templates.AsMap(m.Value("Label"))
		text, isString := label.Value("default").(string)
		list, isList := m.Value("Parameters").([]any)
		if m.Len() != 2 || label.Len() != 1 || !isString || !isList {
			return false
		}
		grp := group{label: text}
		for _, p := range list {
			name, ok := p.(string)
			if !ok {
				return false
			}
			grp.params = append(grp.params, name)
		}
		out = append(out, grp)
	}
	for _, grp := range out {
		args := []string{goString(grp.label)}
		for _, p := range grp.params {
			args = append(args, strconv.Quote(p))
		}
		g.line("t.ParameterGroup(%s)", strings.Join(args, ", "))
		g.tmpl.ParameterGroup(grp.label, grp.params...)
	}
	return true
}

var (
	parameterType = sync.OnceValue(func() *goType { return describeType(reflect.TypeFor[cloudformation.Parameter]()) })
	outputType    = sync.OnceValue(func() *goType { return describeType(reflect.TypeFor[cloudformation.Output]()) })
)

func (g *generator) parameters(section *templates.Map) {
	for _, name := range section.Keys() {
		if p, ok := g.typedEntry("Parameters", "Parameter", name, section.Value(name), parameterType()); ok {
			g.tmpl.Parameter(name, p.(cloudformation.Parameter))
		}
	}
	g.blank()
}

func (g *generator) outputs(section *templates.Map) {
	for _, name := range section.Keys() {
		if l, ok := loop(name, section.Value(name)); ok {
			g.forEach("Outputs", l)
			continue
		}
		if name == templates.FnTransform {
			g.include("Outputs", section.Value(name))
			continue
		}
		if o, ok := g.typedEntry("Outputs", "Output", name, section.Value(name), outputType()); ok {
			g.tmpl.Output(name, o.(cloudformation.Output))
		}
	}
}

// typedEntry writes t.Method("name", value) for an entry goformation has a
// struct for, and returns the struct. An entry the struct cannot hold is
// written with t.Entry as it is, and ok is false.
func (g *generator) typedEntry(section, method, name string, v any, t *goType) (val any, ok bool) {
	f := &fitter{g: g}
	e, fits := expr{}, false
	if !g.asWritten[entryKey(section, name)] {
		e, fits = f.fit(v, t, place{})
	}
	if !fits {
		g.comment(g.typeName(t) + " cannot hold this " + strings.ToLower(method) + " exactly: it is declared as written")
		code, val := g.generic(v)
		g.line("t.Entry(%s, %s, %s)", strconv.Quote(section), strconv.Quote(name), code)
		g.tmpl.Entry(section, name, val)
		return nil, false
	}
	g.line("t.%s(%s, %s)", method, strconv.Quote(name), e.code)
	return e.val.Interface(), true
}

// entries writes a section of named values (Rules, Mappings, Conditions)
// with the Template method of that name.
func (g *generator) entries(method string, section *templates.Map, declare func(string, any)) {
	for _, name := range section.Keys() {
		code, val := g.generic(section.Value(name))
		g.line("t.%s(%s, %s)", method, strconv.Quote(name), code)
		declare(name, val)
	}
	g.blank()
}

// whole writes t.Method("arg", value) for a value written as it is, and
// declares it in the in-memory template.
func (g *generator) whole(method, arg string, v any, declare func(val any)) {
	code, val := g.generic(v)
	g.line("t.%s(%s, %s)", method, strconv.Quote(arg), code)
	declare(val)
	g.blank()
}

// section writes a top-level section that has no method of its own.
func (g *generator) section(name string, v any) {
	g.whole("Section", name, v, func(val any) { g.tmpl.Section(name, val) })
}

// forEachLoop is an Fn::ForEach::Name entry of the AWS::LanguageExtensions
// transform: [identifier, collection, fragment].
type forEachLoop struct {
	name, identifier     string
	collection, fragment any
}

func loop(key string, v any) (forEachLoop, bool) {
	name, ok := strings.CutPrefix(key, "Fn::ForEach::")
	args, isList := v.([]any)
	if !ok || !isList || len(args) != 3 {
		return forEachLoop{}, false
	}
	id, isString := args[0].(string)
	if !isString {
		return forEachLoop{}, false
	}
	return forEachLoop{name, id, args[1], args[2]}, true
}

func (g *generator) forEach(section string, l forEachLoop) {
	cc, cv := g.generic(l.collection)
	fc, fv := g.generic(l.fragment)
	g.line("t.ForEach(%s, %s, %s, %s, %s)", strconv.Quote(section), strconv.Quote(l.name), strconv.Quote(l.identifier), cc, fc)
	g.tmpl.ForEach(section, l.name, l.identifier, cv, fv)
	g.blank()
}

// include writes a section-level Fn::Transform (AWS::Include).
func (g *generator) include(section string, v any) {
	g.whole("Include", section, v, func(val any) { g.tmpl.Include(section, val) })
}
