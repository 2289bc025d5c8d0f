package importer

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"path"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

// generator writes one stack's Go source and, alongside, builds the
// template that source builds.
type generator struct {
	stack     string
	imports   map[string]string // import path -> package name
	names     map[string]string // package name -> import path
	body      strings.Builder   // statements being written
	pieces    []piece           // the group being written
	chunks    [][]piece         // groups of statements of the Build function
	tmpl      *templates.Template
	comments  map[string][]string // resource id -> comment lines from the YAML
	asWritten map[string]bool     // entries written as they are: templates.Untyped, t.Entry (see entryKey)
	patterns  map[string]string   // resource id -> note of a block that expresses it
	rules     templates.Rules     // what the stack will be rendered with: a finding becomes a waiver
}

// entryKey names an entry of a section in generator.asWritten.
func entryKey(section, name string) string { return section + "\x00" + name }

func newGenerator(stack string, comments map[string][]string, asWritten map[string]bool) *generator {
	return &generator{
		stack: stack, imports: map[string]string{}, names: map[string]string{},
		tmpl: templates.New(stack, ""), comments: comments, asWritten: asWritten,
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
func (g *generator) typeName(t *goType) string {
	if t.name != "" {
		return g.use(t.pkg) + "." + t.name
	}
	switch t.kind {
	case reflect.Pointer:
		return "*" + g.typeName(t.elem)
	case reflect.Slice:
		return "[]" + g.typeName(t.elem)
	case reflect.Map:
		return "map[" + g.typeName(t.key) + "]" + g.typeName(t.elem)
	case reflect.Interface:
		return "any"
	}
	return t.reflectType().String()
}

// line writes one statement of the Build function.
func (g *generator) line(format string, args ...string) {
	parts := strings.Split(format, "%s")
	for i, p := range parts {
		g.body.WriteString(p)
		if i < len(args) {
			g.body.WriteString(args[i])
		}
	}
	g.body.WriteByte('\n')
}

// comment writes a Go comment, one line per line of text.
func (g *generator) comment(text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		g.body.WriteString("// " + strings.TrimRight(l, " \t") + "\n")
	}
}

// callWith writes the statement call + arg + tail, such as
// t.Resource("Bucket", &s3.Bucket{...}, ""), whose argument is formatted on
// its own (see formatChunk).
func (g *generator) callWith(call, arg, tail string) {
	g.flush()
	g.pieces = append(g.pieces, piece{code: arg, call: call, tail: tail})
}

// flush moves the statements written so far into a piece.
func (g *generator) flush() {
	if g.body.Len() > 0 {
		g.pieces = append(g.pieces, piece{code: g.body.String()})
		g.body.Reset()
	}
}

// blank ends a group of statements: groups are formatted one at a time
// and written with a blank line between them.
func (g *generator) blank() {
	g.flush()
	if len(g.pieces) > 0 {
		g.chunks = append(g.chunks, g.pieces)
		g.pieces = nil
	}
}

// piece is statements, or one call whose last big argument is formatted
// alone: go/format's cost grows with how deep a literal sits in argument
// lists, and gofmt writes such an argument the same standing alone.
type piece struct {
	code       string // statements, or the argument
	call, tail string // around the argument: `t.Resource("Bucket", ` and `, "")`
}

// formatChunk gofmts a group of pieces and notes the packages they use.
func formatChunk(pieces []piece, used map[string]bool) (string, error) {
	var b strings.Builder
	for _, p := range pieces {
		out, err := formatStatements(p.code, used)
		if err != nil {
			return "", err
		}
		if p.call != "" { // "\t&s3.Bucket{...}\n" -> "\tt.Resource(..., &s3.Bucket{...}, \"\")\n"
			out = "\t" + p.call + strings.TrimSuffix(strings.TrimPrefix(out, "\t"), "\n") + p.tail + "\n"
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

// formatStatements gofmts statements as the body of a function and notes
// the packages they use.
func formatStatements(code string, used map[string]bool) (string, error) {
	src := "package p\n\nfunc f() {\n" + strings.TrimRight(code, "\n") + "\n}\n"
	fset := token.NewFileSet()
	mode := parser.Mode(0)
	if strings.Contains(code, "//") {
		mode = parser.ParseComments
	}
	f, err := parser.ParseFile(fset, "", src, mode)
	if err != nil {
		return "", err
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return "", err
	}
	out := b.String()
	start := strings.Index(out, "{\n") + 2
	end := strings.LastIndex(out, "}")
	return out[start:end], nil
}

// formatChunks formats the groups of statements, on every CPU.
func formatChunks(chunks [][]piece) ([]string, map[string]bool, error) {
	out := make([]string, len(chunks))
	uses := make([]map[string]bool, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				uses[i] = map[string]bool{}
				out[i], errs[i] = formatChunk(chunks[i], uses[i])
			}
		}()
	}
	for i := range chunks {
		next <- i
	}
	close(next)
	wg.Wait()
	used := map[string]bool{}
	for i := range chunks {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		maps.Copy(used, uses[i])
	}
	return out, used, nil
}

// source is the whole file, gofmt'd.
func (g *generator) source(name, description, buildFunc, header string) ([]byte, error) {
	g.blank()
	formatted, used, err := formatChunks(g.chunks)
	if err != nil {
		return nil, err
	}
	body := strings.Join(formatted, "\n")
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("package stacks\n\nimport (\n")
	g.use(templatesPkg)
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
	for i, p := range paths {
		if i > 0 && !strings.Contains(paths[i-1], ".") && strings.Contains(p, ".") {
			b.WriteByte('\n')
		}
		if g.imports[p] != path.Base(p) {
			b.WriteString(g.imports[p] + " ")
		}
		b.WriteString(strconv.Quote(p) + "\n")
	}
	b.WriteString(")\n\n")
	b.WriteString(stackFunc(name, description, buildFunc))
	prologue, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, err
	}
	return []byte(string(prologue) + "\nfunc " + buildFunc + "(t *templates.Template) {\n" + body + "}\n"), nil
}

// stackFunc declares the exported function that returns the stack, which
// the repository's stacks.go lists (import adds it there): the one place
// that knows how a team repository lists its stacks.
func stackFunc(name, description, buildFunc string) string {
	var b strings.Builder
	b.WriteString("// " + StackFunc(name) + " is the stack " + strconv.Quote(name) + ", imported by formwork import.\n")
	b.WriteString("func " + StackFunc(name) + "() templates.Stack {\n\treturn templates.Stack{\n")
	b.WriteString("Name: " + strconv.Quote(name) + ",\n")
	if description != "" {
		b.WriteString("Description: " + goString(description) + ",\n")
	}
	b.WriteString("Build: " + buildFunc + ",\n}\n}\n")
	return b.String()
}
