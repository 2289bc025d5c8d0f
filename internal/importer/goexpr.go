package importer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// An expression is Go source together with the value it evaluates to, so
// the importer can build in memory exactly the template the generated code
// builds, and check it against the input before writing anything.

const (
	cfnPkg       = "github.com/awslabs/goformation/v7/cloudformation"
	templatesPkg = "github.com/formwork-dev/formwork/templates"
	policiesPkg  = "github.com/awslabs/goformation/v7/cloudformation/policies"
	jsonPkg      = "encoding/json"
)

// cfn names a function of goformation's cloudformation package.
func (g *generator) cfn(name string) string { return g.use(cfnPkg) + "." + name }

// tpl names a function of the templates package.
func (g *generator) tpl(name string) string { return g.use(templatesPkg) + "." + name }

// goString is a Go string literal: a raw string for multi-line text that a
// raw string can hold exactly, a quoted one otherwise.
func goString(s string) string {
	if strings.Contains(s, "\n") && !strings.ContainsAny(s, "`\r") && utf8.ValidString(s) && printable(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

func printable(s string) bool {
	for _, r := range s {
		if r != '\n' && r != '\t' && (r < ' ' || r == 0x7f || r == '\ufeff') {
			return false
		}
	}
	return true
}

// composite writes a composite literal: on one line when it is short.
func composite(typ string, items []string) string {
	total := len(typ)
	for _, it := range items {
		total += len(it) + 2
		if strings.Contains(it, "\n") {
			total = 1 << 20
		}
	}
	if total <= 80 {
		return typ + "{" + strings.Join(items, ", ") + "}"
	}
	if len(items) == 1 && strings.HasPrefix(items[0], "{") && strings.Contains(items[0], "\n") {
		return typ + "{" + items[0] + "}" // one element written whole: []T{{...}}
	}
	return typ + "{\n" + strings.Join(items, ",\n") + ",\n}"
}

// generic writes any template value for a Go field or argument of type any:
// map[string]any, []any, literals, and intrinsics as goformation's helpers.
// A value nested deeper than maxNesting is written by deep, so the source
// and the time to write it grow linearly with the depth.
func (g *generator) generic(v any) (string, any) {
	if deeperThan(v, maxNesting) {
		return g.deep(v)
	}
	return g.shallow(v)
}

// shallow is generic for a value known to nest no deeper than maxNesting.
func (g *generator) shallow(v any) (string, any) {
	switch t := v.(type) {
	case *templates.Map:
		items := make([]string, 0, t.Len())
		out := make(map[string]any, t.Len())
		for _, k := range t.Keys() {
			code, val := g.shallow(t.Value(k))
			items = append(items, strconv.Quote(k)+": "+code)
			out[k] = val
		}
		return composite("map[string]any", items), out
	case []any:
		items := make([]string, len(t))
		out := make([]any, len(t))
		for i, item := range t {
			items[i], out[i] = g.shallow(item)
		}
		return composite("[]any", items), out
	case templates.Fn:
		code, val := g.intrinsic(t)
		return code, val
	case string:
		return goString(t), t
	case json.Number:
		return g.number(t)
	case bool:
		return strconv.FormatBool(t), t
	case nil:
		return "nil", nil
	}
	panic(fmt.Sprintf("importer: unexpected %T in a template tree", v))
}

// number writes a number as a Go literal when Go marshals that literal back
// to the same text, and as json.Number otherwise (2.0, 1e5, huge integers).
func (g *generator) number(n json.Number) (string, any) {
	s := n.String()
	if i, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(i, 10) == s {
		if i == int64(int(i)) {
			return s, int(i)
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && strings.ContainsAny(s, ".") && !strings.ContainsAny(s, "eE") {
		if data, err := json.Marshal(f); err == nil && string(data) == s {
			return s, f // 1.5, which json writes as 1.5 again (not 2.0, which it writes as 2)
		}
	}
	return g.use(jsonPkg) + ".Number(" + strconv.Quote(s) + ")", n
}

// stringish writes a value that must be a Go string: text, or an intrinsic
// in goformation's encoding. Numbers and booleans become their text, which
// CloudFormation reads the same, when nothing of them is lost.
func (g *generator) stringish(v any) (code, val string, ok bool) {
	switch t := v.(type) {
	case string:
		return goString(t), t, true
	case templates.Fn:
		code, val := g.intrinsic(t)
		return code, val, true
	case json.Number:
		if sameScalar(t.String(), t) {
			return strconv.Quote(t.String()), t.String(), true
		}
	case bool:
		s := strconv.FormatBool(t)
		return strconv.Quote(s), s, true
	}
	return "", "", false
}

// stringishAll writes every value with stringish.
func (g *generator) stringishAll(list []any) (codes, vals []string, ok bool) {
	for _, v := range list {
		if _, isString := v.(string); !isString {
			if _, isFn := v.(templates.Fn); !isFn {
				return nil, nil, false // keep numbers as numbers inside functions
			}
		}
		code, val, _ := g.stringish(v)
		codes, vals = append(codes, code), append(vals, val)
	}
	return codes, vals, true
}

// intrinsic writes a function call with goformation's helper for it where
// the helper encodes the arguments exactly, and templates.Intrinsic
// otherwise. It returns the code and the string the call returns.
func (g *generator) intrinsic(fn templates.Fn) (string, string) {
	if deeperThan(fn, maxNesting) { // no nested helpers: each encodes the one inside again
		argCode, arg := g.deep(fn.Arg)
		return g.tpl("Intrinsic") + "(" + strconv.Quote(fn.Name) + ", " + argCode + ")", templates.Intrinsic(fn.Name, arg)
	}
	if code, val, ok := g.helper(fn); ok {
		return code, val
	}
	if fn.Name == templates.FnCondition {
		if name, ok := fn.Arg.(string); ok {
			return g.tpl("Condition") + "(" + strconv.Quote(name) + ")", templates.Condition(name)
		}
	}
	argCode, arg := g.generic(fn.Arg)
	return g.tpl("Intrinsic") + "(" + strconv.Quote(fn.Name) + ", " + argCode + ")", templates.Intrinsic(fn.Name, arg)
}

// helper writes fn with a goformation helper, if one encodes its argument
// exactly. goformation formats most arguments with %q, so every argument
// must be a string (or another helper's string) for that.
func (g *generator) helper(fn templates.Fn) (code, val string, ok bool) {
	args, isList := fn.Arg.([]any)
	one := func(name string, call func(any) string) (string, string, bool) {
		if _, isString := fn.Arg.(string); !isString {
			if _, isFn := fn.Arg.(templates.Fn); !isFn {
				return "", "", false
			}
		}
		c, v, _ := g.stringish(fn.Arg)
		return g.cfn(name) + "(" + c + ")", call(v), true
	}
	strs := func(n int) ([]string, []string, bool) {
		if !isList || len(args) != n {
			return nil, nil, false
		}
		return g.stringishAll(args)
	}
	switch fn.Name {
	case templates.FnRef:
		if _, isString := fn.Arg.(string); isString {
			return one("Ref", cloudformation.Ref)
		}
	case templates.FnImportValue:
		return one("ImportValue", cloudformation.ImportValue)
	case templates.FnBase64:
		return one("Base64", cloudformation.Base64)
	case templates.FnGetAZs:
		return one("GetAZs", cloudformation.GetAZs)
	case templates.FnGetAtt:
		if len(args) == 2 {
			res, ok1 := args[0].(string)
			attr, ok2 := args[1].(string)
			if ok1 && ok2 {
				return g.cfn("GetAtt") + "(" + strconv.Quote(res) + ", " + strconv.Quote(attr) + ")", cloudformation.GetAtt(res, attr), true
			}
		}
	case templates.FnSub:
		return g.sub(fn.Arg)
	case templates.FnJoin:
		return g.join(args)
	case templates.FnSelect:
		if isList && len(args) == 2 {
			ic, iv := g.generic(args[0])
			lc, lv := g.generic(args[1])
			return g.cfn("Select") + "(" + ic + ", " + lc + ")", cloudformation.Select(iv, lv), true
		}
	case templates.FnSplit:
		if c, v, ok := strs(2); ok {
			return g.cfn("Split") + "(" + c[0] + ", " + c[1] + ")", cloudformation.Split(v[0], v[1]), true
		}
	case templates.FnEquals:
		if c, v, ok := strs(2); ok {
			return g.cfn("Equals") + "(" + c[0] + ", " + c[1] + ")", cloudformation.Equals(v[0], v[1]), true
		}
	case templates.FnFindInMap:
		if c, v, ok := strs(3); ok {
			return g.cfn("FindInMap") + "(" + strings.Join(c, ", ") + ")", cloudformation.FindInMap(v[0], v[1], v[2]), true
		}
	case templates.FnCidr:
		if c, v, ok := strs(3); ok {
			return g.cfn("CIDR") + "(" + strings.Join(c, ", ") + ")", cloudformation.CIDR(v[0], v[1], v[2]), true
		}
	case templates.FnIf:
		if isList && len(args) == 3 {
			if cond, isString := args[0].(string); isString {
				ac, av := g.generic(args[1])
				bc, bv := g.generic(args[2])
				return g.cfn("If") + "(" + strconv.Quote(cond) + ", " + ac + ", " + bc + ")", cloudformation.If(cond, av, bv), true
			}
		}
	case templates.FnAnd, templates.FnOr, templates.FnNot:
		return g.logical(fn.Name, args, isList)
	}
	return "", "", false
}

func (g *generator) sub(arg any) (code, val string, ok bool) {
	if text, isString := arg.(string); isString {
		return g.cfn("Sub") + "(" + goString(text) + ")", cloudformation.Sub(text), true
	}
	args, _ := arg.([]any) // [text, {variables}]
	if len(args) != 2 {
		return "", "", false
	}
	text, isString := args[0].(string)
	vars, isMap := args[1].(*templates.Map)
	if !isString || !isMap {
		return "", "", false
	}
	items := make([]string, 0, vars.Len())
	values := make(map[string]any, vars.Len())
	for _, k := range vars.Keys() {
		c, v, ok := g.stringish(vars.Value(k))
		if _, isNumber := vars.Value(k).(json.Number); !ok || isNumber {
			return "", "", false
		}
		items = append(items, strconv.Quote(k)+": "+c)
		values[k] = v
	}
	return g.cfn("SubVars") + "(" + goString(text) + ", " + composite("map[string]any", items) + ")", cloudformation.SubVars(text, values), true
}

func (g *generator) join(args []any) (code, val string, ok bool) {
	if len(args) != 2 {
		return "", "", false
	}
	delim, isString := args[0].(string)
	if !isString {
		return "", "", false
	}
	if fn, isFn := args[1].(templates.Fn); isFn { // !Join [",", !Ref List]
		c, v := g.intrinsic(fn)
		return g.cfn("Join") + "(" + strconv.Quote(delim) + ", " + c + ")", cloudformation.Join(delim, v), true
	}
	list, isList := args[1].([]any)
	if !isList {
		return "", "", false
	}
	codes, vals, ok := g.stringishAll(list)
	if !ok {
		return "", "", false
	}
	return g.cfn("Join") + "(" + strconv.Quote(delim) + ", " + composite("[]string", codes) + ")", cloudformation.Join(delim, vals), true
}

func (g *generator) logical(name string, args []any, isList bool) (code, val string, ok bool) {
	if !isList {
		return "", "", false
	}
	codes, vals, ok := g.stringishAll(args)
	if !ok {
		return "", "", false
	}
	call := map[string]func([]string) string{
		templates.FnAnd: cloudformation.And, templates.FnOr: cloudformation.Or, templates.FnNot: cloudformation.Not,
	}[name]
	helper := strings.TrimPrefix(name, "Fn::")
	return g.cfn(helper) + "(" + composite("[]string", codes) + ")", call(vals), true
}

// sameScalar compares scalars as the semantic diff does.
func sameScalar(a, b any) bool { return sameValue(a, b) }
