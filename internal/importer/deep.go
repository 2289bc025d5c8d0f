package importer

import (
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// maxNesting is how deep a value may nest (mappings, lists, functions) and
// still be written as one Go literal with goformation's helpers. Deeper,
// a literal's indentation and gofmt's time grow with the square of the
// depth, and nested helpers grow exponentially: each encodes the one
// inside it again (base64 of JSON).
const maxNesting = 12

// deeperThan reports whether v nests more than n levels, looking no deeper
// than n+1.
func deeperThan(v any, n int) bool {
	if n < 0 {
		return true
	}
	switch t := v.(type) {
	case *templates.Map:
		for _, k := range t.Keys() {
			if deeperThan(t.Value(k), n-1) {
				return true
			}
		}
	case []any:
		for _, item := range t {
			if deeperThan(item, n-1) {
				return true
			}
		}
	case templates.Fn:
		return deeperThan(t.Arg, n-1)
	}
	return false
}

// deep writes a deeply nested value as a function literal that builds it
// bottom-up, one shallow statement per level, with functions as the
// mappings they stand for ({"Fn::Join": [...]}), which the engine reads
// as the functions:
//
//	func() any {
//		v1 := map[string]any{"Fn::Join": []any{"", []any{"a", "b"}}}
//		v2 := map[string]any{"Fn::Join": []any{"", []any{v1, "c"}}}
//		return v2
//	}()
func (g *generator) deep(v any) (string, any) {
	b := &builder{g: g}
	code, val, _ := b.value(v)
	return "func() any {\n" + b.body.String() + "return " + code + "\n}()", val
}

// builder writes the statements of a deep value.
type builder struct {
	g    *generator
	body strings.Builder
	vars int
}

// shallow is how deep an expression may nest before it is bound to a
// variable.
const shallow = 4

// value returns the expression for v, its value, and how deep the
// expression nests.
func (b *builder) value(v any) (code string, val any, depth int) {
	switch t := v.(type) {
	case *templates.Map:
		items := make([]string, 0, t.Len())
		out := make(map[string]any, t.Len())
		for _, k := range t.Keys() {
			code, val, d := b.value(t.Value(k))
			items = append(items, strconv.Quote(k)+": "+code)
			out[k] = val
			depth = max(depth, d)
		}
		code, depth = b.bind(composite("map[string]any", items), depth+1)
		return code, out, depth
	case []any:
		items := make([]string, len(t))
		out := make([]any, len(t))
		for i, item := range t {
			code, val, d := b.value(item)
			items[i], out[i] = code, val
			depth = max(depth, d)
		}
		code, depth = b.bind(composite("[]any", items), depth+1)
		return code, out, depth
	case templates.Fn:
		if !deeperThan(t, 2) { // !Ref X, !Sub text, !GetAtt A.B: a helper reads best
			code, val := b.g.intrinsic(t)
			return code, val, 1
		}
		arg, val, d := b.value(t.Arg)
		code, depth = b.bind("map[string]any{"+strconv.Quote(t.Name)+": "+arg+"}", d+1)
		return code, map[string]any{t.Name: val}, depth
	}
	code, val = b.g.generic(v)
	return code, val, 0
}

// bind returns code and its depth, or a variable holding it (depth 0) when
// it nests as deep as shallow allows.
func (b *builder) bind(code string, depth int) (string, int) {
	if depth < shallow {
		return code, depth
	}
	b.vars++
	name := "v" + strconv.Itoa(b.vars)
	b.body.WriteString(name + " := " + code + "\n")
	return name, 0
}
