package importer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// generator writes one stack's Go source and, alongside, builds the
// template that source builds.
type generator struct {
	stack    string
	imports  map[string]string // import path -> package name
	names    map[string]string // package name -> import path
	body     strings.Builder   // statements of the Build function
	tmpl     *templates.Template
	comments map[string][]string // resource id -> comment lines from the YAML
	untyped  map[string]bool     // resources written as templates.Untyped
	patterns map[string]string   // resource id -> note of a block that expresses it
}

func newGenerator(stack string, comments map[string][]string, untyped map[string]bool) *generator {
	return &generator{
		stack: stack, imports: map[string]string{}, names: map[string]string{},
		tmpl: templates.New(stack, ""), comments: comments, untyped: untyped,
	}
}

// use imports a package and returns the name to call it by.
func (g *generator) use(importPath string) string {
	if name, ok := g.imports[importPath]; ok {
		return name
	}
	name := path.Base(importPath)
	if strings.HasPrefix(name, "v") && strings.Trim(name[1:], "0123456789") == "" {
		name = path.Base(path.Dir(importPath))
	}
	for reserved[name] || g.names[name] != "" {
		name = "aws" + name // cloudformation/cloudformation next to cloudformation
	}
	g.imports[importPath] = name
	g.names[name] = importPath
	return name
}

// reserved are names the generated file uses for other things.
var reserved = map[string]bool{"t": true, "register": true, "registry": true, "stacks": true}

// typeName writes a Go type, importing its package.
func (g *generator) typeName(t reflect.Type) string {
	if t.Name() != "" && t.PkgPath() != "" {
		return g.use(t.PkgPath()) + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + g.typeName(t.Elem())
	case reflect.Slice:
		return "[]" + g.typeName(t.Elem())
	case reflect.Map:
		return "map[" + g.typeName(t.Key()) + "]" + g.typeName(t.Elem())
	case reflect.Interface:
		return "any"
	}
	return t.String()
}

// line writes one statement of the Build function.
func (g *generator) line(format string, args ...string) {
	s := format
	for _, a := range args {
		s = strings.Replace(s, "%s", a, 1)
	}
	g.body.WriteString(s)
	g.body.WriteByte('\n')
}

// comment writes a Go comment, one line per line of text.
func (g *generator) comment(text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		g.body.WriteString("// " + strings.TrimRight(l, " \t") + "\n")
	}
}

func (g *generator) blank() { g.body.WriteByte('\n') }

// usedPackages names the packages that statements refer to. A package
// imported while trying a type that did not fit may be unused.
func usedPackages(body string) map[string]bool {
	used := map[string]bool{}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc f() {\n"+body+"\n}\n", 0)
	if err != nil {
		return used // format reports the error
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

// source is the whole file.
func (g *generator) source(name, description, buildFunc, header string) string {
	g.use(templatesPkg)
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("package stacks\n\nimport (\n")
	used := usedPackages(g.body.String())
	paths := make([]string, 0, len(g.imports))
	for p, name := range g.imports {
		if used[name] || p == templatesPkg {
			paths = append(paths, p)
		}
	}
	sort.Slice(paths, func(i, j int) bool {
		si, sj := !strings.Contains(paths[i], "."), !strings.Contains(paths[j], ".")
		if si != sj {
			return si // standard library first
		}
		return paths[i] < paths[j]
	})
	std := true
	for _, p := range paths {
		if std && strings.Contains(p, ".") {
			std = false
			if p != paths[0] {
				b.WriteByte('\n')
			}
		}
		if g.imports[p] != path.Base(p) {
			b.WriteString(g.imports[p] + " ")
		}
		b.WriteString(strconv.Quote(p) + "\n")
	}
	b.WriteString(")\n\n")
	b.WriteString("func init() {\n\tregister(templates.Stack{\n")
	b.WriteString("Name: " + strconv.Quote(name) + ",\n")
	b.WriteString("Description: " + goString(description) + ",\n")
	b.WriteString("Build: " + buildFunc + ",\n})\n}\n\n")
	b.WriteString("func " + buildFunc + "(t *templates.Template) {\n")
	b.WriteString(strings.TrimRight(g.body.String(), "\n"))
	b.WriteString("\n}\n")
	return b.String()
}
