package scaffold

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
)

// StacksFile is the file of a repository's stacks/ that lists them.
const StacksFile = "stacks.go"

// AddStacks returns the source of stacks.go (src) with calls such as
// "Orders()" appended to the list All returns, in order, formatted. It
// refuses a file whose All is not `return []templates.Stack{...}`: the list
// is the repository's, and a shape formwork does not know is left to its
// owner to edit.
func AddStacks(src []byte, calls ...string) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, StacksFile, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s does not parse: %v", StacksFile, err)
	}
	list := allList(file)
	if list == nil {
		return nil, fmt.Errorf("%s has no func All() that returns a []templates.Stack{...} literal: add the stacks to its list by hand", StacksFile)
	}
	at := fset.Position(list.Rbrace).Offset
	head := bytes.TrimRight(src[:at], " \t\n")
	var b bytes.Buffer
	b.Write(head)
	if len(list.Elts) > 0 && !bytes.HasSuffix(head, []byte(",")) {
		b.WriteString(",")
	}
	for _, c := range calls {
		b.WriteString("\n" + c + ",")
	}
	b.WriteString("\n")
	b.Write(src[at:])
	return format.Source(b.Bytes())
}

// allList finds the composite literal that func All returns.
func allList(file *ast.File) *ast.CompositeLit {
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "All" || fn.Recv != nil || fn.Body == nil || len(fn.Body.List) != 1 {
			continue
		}
		ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return nil
		}
		lit, _ := ret.Results[0].(*ast.CompositeLit)
		return lit
	}
	return nil
}
