package diff

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// sameValue compares two value trees as CloudFormation reads them: scalars
// by their written text (80 and "80", true and "true" are the same property
// value; 12.0 and 12, "012" and 12 are not),
// mappings regardless of key order, lists in order.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case *templates.Map:
		y, ok := b.(*templates.Map)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			yv, ok := y.Get(k)
			if !ok || !sameValue(x.Value(k), yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case templates.Fn:
		y, ok := b.(templates.Fn)
		return ok && x.Name == y.Name && sameValue(x.Arg, y.Arg)
	}
	sa, okA := scalarText(a)
	sb, okB := scalarText(b)
	return okA && okB && sa == sb
}

// identical reports whether two value trees are written exactly alike:
// the same keys in the same order, the same scalars of the same types. It
// is stricter than sameValue and serves as a shortcut: whatever is derived
// from one of two identical trees is derived from the other.
func identical(a, b any) bool {
	switch x := a.(type) {
	case *templates.Map:
		y, ok := b.(*templates.Map)
		if !ok || x == y || x == nil || y == nil || x.Len() != y.Len() {
			return ok && x == y
		}
		yKeys := y.Keys()
		for i, k := range x.Keys() {
			if yKeys[i] != k || !identical(x.Value(k), y.Value(k)) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !identical(x[i], y[i]) {
				return false
			}
		}
		return true
	case templates.Fn:
		y, ok := b.(templates.Fn)
		return ok && x.Name == y.Name && identical(x.Arg, y.Arg)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return false
}

// scalarText is the text CloudFormation sees for a scalar.
func scalarText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number: // by its written text: 12.0 is not 12 to CloudFormation
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	case nil:
		return "null", true
	}
	return "", false
}

// canonical is a key-order-independent text form of a value, used to match
// list elements and policy statements.
func canonical(v any) string {
	return string(appendCanonical(make([]byte, 0, 64), v))
}

func appendCanonical(b []byte, v any) []byte {
	switch t := v.(type) {
	case *templates.Map:
		keys := t.Keys()
		if !sort.StringsAreSorted(keys) {
			keys = append([]string(nil), keys...)
			sort.Strings(keys)
		}
		b = append(b, '{')
		for _, k := range keys {
			b = strconv.AppendQuote(b, k)
			b = append(b, ':')
			b = appendCanonical(b, t.Value(k))
			b = append(b, ',')
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for _, item := range t {
			b = appendCanonical(b, item)
			b = append(b, ',')
		}
		return append(b, ']')
	case templates.Fn:
		b = append(b, '{')
		b = strconv.AppendQuote(b, t.Name)
		b = append(b, ':')
		b = appendCanonical(b, t.Arg)
		return append(b, '}')
	}
	s, _ := scalarText(v)
	return strconv.AppendQuote(b, s)
}

// summaryLimit is how many characters of a value a report shows.
const summaryLimit = 80

// Summarize writes a value on one line, intrinsics in short form, cut to a
// readable length: "!GetAtt Bucket.Arn", "{Key: Env, Value: prod}",
// "(12 lines)" for multi-line text.
func Summarize(v any) string {
	return truncate(inline(v), summaryLimit)
}

func inline(v any) string {
	switch t := v.(type) {
	case string:
		if strings.Contains(t, "\n") {
			return fmt.Sprintf("(%d lines of text)", strings.Count(strings.TrimSuffix(t, "\n"), "\n")+1)
		}
		if t == "" || t != strings.TrimSpace(t) {
			return strconv.Quote(t)
		}
		return t
	case *templates.Map:
		parts := make([]string, 0, t.Len())
		for _, k := range t.Keys() {
			parts = append(parts, k+": "+inline(t.Value(k)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(t))
		for i, item := range t {
			parts[i] = inline(item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case templates.Fn:
		return inlineFn(t)
	}
	s, _ := scalarText(v)
	return s
}

func inlineFn(fn templates.Fn) string {
	tag, ok := templates.ShortTag(fn.Name)
	if !ok {
		return "{" + fn.Name + ": " + inline(fn.Arg) + "}"
	}
	if fn.Name == templates.FnGetAtt {
		if parts, ok := fn.Arg.([]any); ok && len(parts) == 2 {
			return fmt.Sprintf("%s %s.%s", tag, inline(parts[0]), inline(parts[1]))
		}
	}
	return tag + " " + inline(fn.Arg)
}

func truncate(s string, limit int) string {
	r := []rune(s)
	if len(r) <= limit {
		return s
	}
	return string(r[:limit-1]) + "…"
}

// multiline returns the text of a multi-line string or !Sub, if v is one.
func multiline(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, strings.Contains(t, "\n")
	case templates.Fn:
		if t.Name == templates.FnSub {
			text, _ := templates.SubParts(t.Arg)
			return text, strings.Contains(text, "\n")
		}
	}
	return "", false
}

// references returns the logical ids and parameters a value refers to with
// Ref, GetAtt or a ${Name} / ${Name.Attr} variable in Sub.
func references(v any) []string {
	var out []string
	templates.Walk(v, "", func(_ string, fn templates.Fn) {
		switch fn.Name {
		case templates.FnRef:
			if s, ok := fn.Arg.(string); ok {
				out = append(out, s)
			}
		case templates.FnGetAtt:
			if parts, ok := fn.Arg.([]any); ok && len(parts) > 0 {
				if s, ok := parts[0].(string); ok {
					out = append(out, s)
				}
			}
		case templates.FnSub:
			text, vars := templates.SubParts(fn.Arg)
			names, _ := templates.SubVariables(text)
			for _, n := range names {
				if _, local := vars.Get(n); !local {
					name, _, _ := strings.Cut(n, ".")
					out = append(out, name)
				}
			}
		}
	})
	return out
}

// SameValue reports whether two value trees mean the same to CloudFormation,
// as the diff compares them: scalars by their text (80 and "80"), mappings
// regardless of key order, lists in order.
func SameValue(a, b any) bool { return sameValue(a, b) }
