package importer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/internal/diff"
	"github.com/formwork-dev/formwork/templates"
)

// The proof compares the template the generated source builds with the
// input, value by value. It is stricter than the semantic diff: a number
// must keep the text it was written as (012345678901 is not 12345678901,
// 1.50 is not 1.5), and it does not depend on how a report summarises a
// value. Mappings compare regardless of key order, as CloudFormation reads
// them; lists compare in order.

// difference is a place where the built template differs from the input.
type difference struct {
	path      []string // from the root of the template
	want, got any
	absent    int // 1: want has no value here, 2: got has none
}

// maxDifferences bounds how many differences the proof collects.
const maxDifferences = 100

func (d difference) String() string {
	want, got := show(d.want), show(d.got)
	switch d.absent {
	case 1:
		want = "(nothing)"
	case 2:
		got = "(nothing)"
	}
	return fmt.Sprintf("at %s the template has %s, the stack renders %s", joinPath(d.path), want, got)
}

// joinPath writes a path as Resources.Key.Properties.Tags[0].Value.
func joinPath(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if strings.HasPrefix(p, "[") {
			b.WriteString(p)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// differences lists where got differs from want, in want's order.
func differences(want, got *templates.Map) []difference {
	c := &comparison{}
	c.compare(nil, want, got)
	return c.found
}

type comparison struct{ found []difference }

func (c *comparison) add(d difference) {
	if len(c.found) < maxDifferences {
		d.path = append([]string(nil), d.path...)
		c.found = append(c.found, d)
	}
}

func (c *comparison) compare(path []string, want, got any) {
	if len(c.found) >= maxDifferences {
		return
	}
	switch w := want.(type) {
	case *templates.Map:
		g, ok := got.(*templates.Map)
		if !ok {
			c.add(difference{path: path, want: want, got: got})
			return
		}
		c.mappings(path, w, g)
	case []any:
		g, ok := got.([]any)
		if !ok {
			if s, isString := got.(string); isString && len(w) == 1 && w[0] == s && isDependsOn(path) {
				return
			}
			c.add(difference{path: path, want: want, got: got})
			return
		}
		if len(w) != len(g) {
			c.add(difference{path: path, want: want, got: got})
			return
		}
		for i := range w {
			c.compare(append(path, "["+strconv.Itoa(i)+"]"), w[i], g[i])
		}
	case templates.Fn:
		g, ok := got.(templates.Fn)
		if !ok || g.Name != w.Name {
			c.add(difference{path: path, want: want, got: got})
			return
		}
		c.compare(append(path, w.Name), w.Arg, g.Arg)
	default:
		if s, isString := want.(string); isString && isDependsOn(path) {
			if g, ok := got.([]any); ok && len(g) == 1 && g[0] == s {
				return // DependsOn: A is DependsOn: [A]
			}
		}
		if !sameText(want, got) {
			c.add(difference{path: path, want: want, got: got})
		}
	}
}

func (c *comparison) mappings(path []string, w, g *templates.Map) {
	for _, k := range w.Keys() {
		gv, ok := g.Get(k)
		if !ok && emptyMeansAbsent(path, k) && isEmptyMap(w.Value(k)) {
			continue
		}
		if !ok {
			c.add(difference{path: append(path, k), want: w.Value(k), absent: 2})
			continue
		}
		c.compare(append(path, k), w.Value(k), gv)
	}
	for _, k := range g.Keys() {
		if _, ok := w.Get(k); ok {
			continue
		}
		if len(path) == 0 && k == "AWSTemplateFormatVersion" && g.Value(k) == "2010-09-09" {
			continue // the only version there is, which formwork always writes
		}
		c.add(difference{path: append(path, k), got: g.Value(k), absent: 1})
	}
}

// emptyMeansAbsent reports whether an empty mapping at path.key is the same
// to CloudFormation as none: a section, or a resource's Properties or
// Metadata.
func emptyMeansAbsent(path []string, key string) bool {
	return len(path) == 0 || len(path) == 2 && path[0] == "Resources" && (key == "Properties" || key == "Metadata")
}

func isEmptyMap(v any) bool {
	m, ok := v.(*templates.Map)
	return ok && m.Len() == 0
}

// isDependsOn reports whether path is a resource's DependsOn attribute.
func isDependsOn(path []string) bool {
	return len(path) == 3 && path[0] == "Resources" && path[2] == "DependsOn"
}

// sameText compares scalars as CloudFormation reads them, but exactly: a
// string and a number or boolean are the same when their text is (a string
// property given 80 receives "80"), and two numbers are the same only when
// written the same.
func sameText(a, b any) bool {
	ta, okA := exactText(a)
	tb, okB := exactText(b)
	return okA && okB && ta == tb
}

func exactText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	case nil:
		return "\x00null", true
	}
	return "", false
}

// show writes a value for the message: scalars exactly as they are (a
// number as written, a string quoted when it could be read as another
// type), anything else summarised on one line.
func show(v any) string {
	switch t := v.(type) {
	case json.Number:
		return t.String()
	case string:
		if _, err := strconv.ParseFloat(t, 64); err == nil || t == "" || t == "true" || t == "false" || t == "null" {
			return strconv.Quote(t)
		}
	}
	return diff.Summarize(v)
}
