package blocks_test

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// stackWideSteps are the exported functions allowed to take the template
// as an argument: they act on the whole template, not declare a block
// (see the package doc).
var stackWideSteps = []string{"BoundRoles", "GitHubRepoParameters"}

// blocksPackage is the package's documentation, read from its source.
func blocksPackage(t *testing.T) *doc.Package {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return doc.New(pkgs["blocks"], "github.com/formwork-dev/formwork/stacks/blocks", 0)
}

// TestBlocksHaveOneShape holds the package to X{ID: ...}.Add(t): every
// exported struct with an ID field has a method Add(*templates.Template)
// returning nothing and is named in the package doc, and no exported
// function takes the template except the stack-wide steps.
func TestBlocksHaveOneShape(t *testing.T) {
	pkg := blocksPackage(t)
	problems, blocksFound := shapeProblems(pkg)
	for _, p := range problems {
		t.Error(p)
	}
	if blocksFound < 15 {
		t.Fatalf("found %d blocks with an ID field, want 15 or more: is the parser reading the package?", blocksFound)
	}
}

// TestShapeCheckCatchesEachBreach runs the shape check over a package
// breaking each part of the shape.
func TestShapeCheckCatchesEachBreach(t *testing.T) {
	const src = `// Package blocks names Good.
package blocks

import "github.com/formwork-dev/formwork/templates"

type Good struct{ ID string }

func (g Good) Add(t *templates.Template) {}

type NoAdd struct{ ID string }

type Returns struct{ ID string }

func (r Returns) Add(t *templates.Template) string { return r.ID }

func PositionalAlarm(t *templates.Template, id, topic string) {}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "fixture.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := doc.NewFromFiles(fset, []*ast.File{file}, "example.com/blocks")
	if err != nil {
		t.Fatal(err)
	}
	problems, _ := shapeProblems(pkg)
	got := strings.Join(problems, "\n")
	for _, want := range []string{
		"NoAdd has an ID field but no Add method",
		"Returns.Add takes and returns (*templates.Template) string",
		"func PositionalAlarm takes the template",
		"NoAdd is a block the package doc does not name",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the shape check missed %q; it reported:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Good ") {
		t.Errorf("the shape check refused the well-shaped Good:\n%s", got)
	}
}

// shapeProblems lists every breach of the blocks' shape in pkg, and counts
// the blocks (exported structs with an ID field).
func shapeProblems(pkg *doc.Package) (problems []string, blocksFound int) {
	for _, typ := range pkg.Types {
		if !hasIDField(typ) {
			continue
		}
		blocksFound++
		if !strings.Contains(pkg.Doc, typ.Name) {
			problems = append(problems, fmt.Sprintf("%s is a block the package doc does not name: add it under Blocks or Patterns", typ.Name))
		}
		if add := method(typ, "Add"); add == nil {
			problems = append(problems, fmt.Sprintf("%s has an ID field but no Add method: give it func (%s) Add(t *templates.Template)", typ.Name, typ.Name))
		} else if sig := signature(add.Decl.Type); sig != "(*templates.Template)" {
			problems = append(problems, fmt.Sprintf("%s.Add takes and returns %s, want (*templates.Template) and nothing, as every block", typ.Name, sig))
		}
	}
	funcs := slices.Clone(pkg.Funcs)
	for _, typ := range pkg.Types {
		funcs = append(funcs, typ.Funcs...)
	}
	for _, f := range funcs {
		if takesTemplate(f.Decl.Type) && !slices.Contains(stackWideSteps, f.Name) {
			problems = append(problems, fmt.Sprintf("func %s takes the template: make it a block, %s{ID: ...}.Add(t), with named fields", f.Name, f.Name))
		}
	}
	return problems, blocksFound
}

// TestL1HelpersSaySo: a function returning a goformation resource declares
// nothing, and its doc says so ("L1 helper"), so nobody mistakes it for a
// block.
func TestL1HelpersSaySo(t *testing.T) {
	found := 0
	for _, f := range blocksPackage(t).Funcs {
		if !returnsGoformationResource(f.Decl.Type) {
			continue
		}
		found++
		if !strings.Contains(f.Doc, "L1 helper") {
			t.Errorf("%s returns a goformation resource: say \"L1 helper\" in its doc", f.Name)
		}
	}
	if found < 5 {
		t.Fatalf("found %d L1 helpers, want 5 or more", found)
	}
}

// TestPackageDocShowsTheSmallestUse runs the package doc's snippet: its
// lines are those of Example, which go test runs.
func TestPackageDocShowsTheSmallestUse(t *testing.T) {
	pkg := blocksPackage(t)
	if !strings.HasPrefix(pkg.Doc, "Package blocks holds the building blocks") {
		t.Errorf("the package doc should start by saying what the package is for, got %.60q", pkg.Doc)
	}
	example, err := os.ReadFile("doc_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	snippet := 0
	for _, line := range strings.Split(pkg.Doc, "\n") {
		if !strings.HasPrefix(line, "\t") {
			continue
		}
		snippet++
		if !strings.Contains(string(example), line) {
			t.Errorf("the package doc shows %q, which Example in doc_example_test.go does not run", strings.TrimSpace(line))
		}
	}
	if snippet == 0 {
		t.Error("the package doc shows no code")
	}
}

func hasIDField(typ *doc.Type) bool {
	for _, spec := range typ.Decl.Specs {
		st, ok := spec.(*ast.TypeSpec).Type.(*ast.StructType)
		if !ok {
			continue
		}
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				if n.Name == "ID" {
					return true
				}
			}
		}
	}
	return false
}

func method(typ *doc.Type, name string) *doc.Func {
	for _, m := range typ.Methods {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// signature is a function type as "(params) results", e.g.
// "(*templates.Template)".
func signature(ft *ast.FuncType) string {
	s := "(" + fieldTypes(ft.Params) + ")"
	if ft.Results != nil && len(ft.Results.List) > 0 {
		s += " " + fieldTypes(ft.Results)
	}
	return s
}

func fieldTypes(fl *ast.FieldList) string {
	var parts []string
	for _, f := range fl.List {
		n := max(len(f.Names), 1)
		for range n {
			parts = append(parts, types(f.Type))
		}
	}
	return strings.Join(parts, ", ")
}

func types(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return "*" + types(x.X)
	case *ast.SelectorExpr:
		return types(x.X) + "." + x.Sel.Name
	case *ast.Ident:
		return x.Name
	case *ast.ArrayType:
		return "[]" + types(x.Elt)
	case *ast.Ellipsis:
		return "..." + types(x.Elt)
	}
	return fmt.Sprintf("%T", e)
}

func takesTemplate(ft *ast.FuncType) bool {
	for _, f := range ft.Params.List {
		if types(f.Type) == "*templates.Template" {
			return true
		}
	}
	return false
}

// returnsGoformationResource: the first result is a pointer to a type of a
// goformation service package (*s3.Bucket, *cloudwatch.Alarm, ...).
func returnsGoformationResource(ft *ast.FuncType) bool {
	if ft.Results == nil || len(ft.Results.List) == 0 {
		return false
	}
	star, ok := ft.Results.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	return ok && types(sel.X) != "templates"
}

// The compiler holds the shape too: a block is something with Add.
var _ = []interface{ Add(*templates.Template) }{
	blocks.PrivateBucket{}, blocks.Function{}, blocks.Schedule{}, blocks.Topic{}, blocks.HTTPFunction{}, blocks.QueueConsumer{},
}
