package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// treeGen builds a template tree from fuzz bytes: each byte picks the next
// shape, so the fuzzer explores layouts (nesting, empty collections, tags,
// long forms) and the strings it supplies explore scalar styles.
type treeGen struct {
	data    []byte
	strs    []string
	comment map[string]string
}

func (g *treeGen) next() int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b)
}

var genStrings = []string{
	"plain", "Bucket", "a b", "yes", "0755", "0X1F", "1e3", "12:30", "2024-01-01", "-", "- a", "a: b", "a #b",
	"${AWS::Region}", "arn:${AWS::Partition}:s3:::x", "#!/bin/sh\necho ${X}\n", "a\nb", "  a\nb\n", "a\n\nb\n",
	"a\n\n", "\n", "a \nb\n", "a\tb\n", "é\n", "😀", "\U0001F600\n", "\u2028", "x\u0085y\n", "\r\n", "\x00",
	"\ufeffa", "\"'\\", "---", "...", "--- a\nb\n", "true", "null", "~", "", " ", "Resources", "Outputs",
	"a.b", "key", strings.Repeat("k", 130), "\t", "a\t", "[a]", "{a}", "*a", "!a", "|", ">", "?", ":", "%", "@",
}

var genNumbers = []json.Number{"0", "-0", "1", "30", "-7", "1.5", "1e3", "2E-2", "-0.0", "9223372036854775807",
	"18446744073709551615", "18446744073709551616", "123456789012345678901234", "1e400", "-1e-400"}

var genFns = []string{FnRef, FnSub, FnGetAtt, FnJoin, FnSelect, FnIf, FnEquals, FnNot, FnBase64, FnGetAZs,
	FnImportValue, FnCidr, FnFindInMap, FnLength, FnToJSON, FnTransform, FnCondition, FnSplit, FnAnd, FnOr}

func (g *treeGen) str() string {
	i := g.next()
	if i < len(g.strs) {
		return g.strs[i]
	}
	return genStrings[i%len(genStrings)]
}

func (g *treeGen) value(depth int) any {
	kind := g.next() % 12
	if depth > 4 && kind >= 6 {
		kind %= 6
	}
	switch kind {
	case 0, 1, 2:
		return g.str()
	case 3:
		return genNumbers[g.next()%len(genNumbers)]
	case 4:
		return g.next()%2 == 0
	case 5:
		return nil
	case 6, 7:
		list := []any{}
		for n := g.next() % 4; n > 0; n-- {
			list = append(list, g.value(depth+1))
		}
		return list
	case 8, 9:
		return g.mapping(depth, false)
	default:
		fn := Fn{Name: genFns[g.next()%len(genFns)]}
		switch g.next() % 3 {
		case 0:
			fn.Arg = []any{g.str(), g.str()}
		default:
			fn.Arg = g.value(depth + 1)
		}
		return fn
	}
}

func (g *treeGen) mapping(depth int, resources bool) *Map {
	m := NewMap()
	for n := g.next() % 4; n > 0; n-- {
		k := g.str()
		m.Set(k, g.value(depth+1))
		if resources && g.next()%2 == 0 {
			g.comment[k] = fmt.Sprintf("why %d", len(g.comment))
		}
	}
	return m
}

// root builds a template-like top level: sections, some of them spaced.
func (g *treeGen) root() *Map {
	m := NewMap()
	sections := []string{"AWSTemplateFormatVersion", "Description", "Parameters", "Resources", "Outputs", "Rules"}
	for n := g.next() % 5; n > 0; n-- {
		name := sections[g.next()%len(sections)]
		if g.next()%8 == 0 {
			name = g.str()
		}
		if g.next()%6 == 0 {
			m.Set(name, g.value(0))
			continue
		}
		m.Set(name, g.mapping(0, name == "Resources"))
	}
	// As in a Template, comments name resources that exist.
	resources, _ := m.Value("Resources").(*Map)
	for k := range g.comment {
		if _, ok := m.Get("Resources"); !ok || resources == nil {
			delete(g.comment, k)
		} else if _, ok := resources.Get(k); !ok {
			delete(g.comment, k)
		}
	}
	return m
}

// FuzzYAMLWriter compares encodeYAML with the yaml.v3-emitter encoder it
// replaced (yaml_reference_test.go). The writer's output must read back as
// the tree; the bytes must be the reference's, except where the reference
// is wrong (it does not read back as the tree) or for the documented style
// differences (knownDifference).
// Run it longer with: go test ./templates -run '^$' -fuzz FuzzYAMLWriter
func FuzzYAMLWriter(f *testing.F) {
	for _, seed := range []struct {
		shape  string
		s1, s2 string
	}{
		{"\x04\x03\x00\x09\x00\x02\x00\x01\x03\x02", "x", "y"},
		{"\x03\x03\x01\x08\x02\x00\x0a\x00\x01\x06\x03\x00\x01\x02", "a\nb\n", "  c\nd"},
		{"\x02\x01\x00\x06\x00\x0b\x02\x01\x00\x01", "${A}-x", "Name"},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1", "yes", "0o17"},
		{"\x04\x03\x00\x03\x00\x00\x01\x06\x03\x07\x01\x02\x0b\x00\x0b\x01\x07\x02", "---", "a\t\nb\n"},
	} {
		f.Add([]byte(seed.shape), seed.s1, seed.s2)
	}
	f.Fuzz(func(t *testing.T, shape []byte, s1, s2 string) {
		g := &treeGen{data: shape, strs: []string{s1, s2}, comment: map[string]string{}}
		tree := g.root()
		got, err := encodeYAML(tree, g.comment)
		if invalid := invalidInput(tree); invalid != "" {
			if err == nil {
				t.Fatalf("encodeYAML accepted %s:\n%s", invalid, got)
			}
			return
		}
		if err != nil {
			t.Fatalf("encodeYAML: %v", err)
		}
		if msg := readsBackAs(got, tree); msg != "" {
			t.Fatalf("output does not read back as the tree: %s\n%s", msg, got)
		}
		want, err := refEncodeYAML(tree, g.comment)
		if err != nil || bytes.Equal(got, want) {
			return
		}
		if readsBackAs(want, tree) != "" {
			return // the reference was wrong
		}
		if why := knownDifference(tree); why != "" {
			return // both read back as the tree (checked above)
		}
		if hasExplicitKey(tree) && bytes.Equal(dropBlankLines(got), dropBlankLines(want)) {
			return // the reference's line-based spacing split "? key" from ": value"
		}
		for _, k := range tree.keys {
			if len(k) > maxSimpleKey {
				return // the reference wrote a top-level key over a mapping itself, always simple
			}
		}
		t.Fatalf("output differs from the yaml.v3 encoder's\n--- got\n%s\n--- yaml.v3\n%s", got, want)
	})
}

// invalidInput names what encodeYAML must reject: strings that are not
// UTF-8 (the engine's trees never hold them: JSON decoding replaces invalid
// bytes).
func invalidInput(v any) string {
	found := ""
	walkTree(v, func(s string, isKey bool) {
		switch {
		case found != "":
		case !utf8.ValidString(s):
			found = fmt.Sprintf("invalid UTF-8 %q", s)
		}
	})
	return found
}

// knownDifference names the documented differences from yaml.v3's output:
// text starting with --- or ... (yaml.v3 single-quotes it;
// the writer double-quotes), multi-line text with a line ending in a tab
// (yaml.v3 writes a literal block; the writer double-quotes: editors strip
// trailing whitespace), text starting with a byte order mark (yaml.v3's
// is_bom looks at the first character only, so it escapes every one), keys
// with characters beyond U+FFFF (the reference wrote top-level keys itself,
// plain, while yaml.v3 escapes those characters everywhere else).
func knownDifference(v any) string {
	found := ""
	walkTree(v, func(s string, isKey bool) {
		switch {
		case found != "":
		case isKey && strings.ContainsFunc(s, func(r rune) bool { return r > 0xffff }):
			found = "key beyond the BMP"
		case strings.HasPrefix(s, "\ufeff"):
			found = "byte order mark"
		case strings.HasPrefix(s, "---") || strings.HasPrefix(s, "..."):
			found = "document marker"
		case strings.Contains(s, "\t\n") || strings.Contains(s, "\n") && strings.HasSuffix(s, "\t"):
			found = "literal line ending in a tab"
		}
	})
	return found
}

// hasExplicitKey reports a key written as `? key`: over 128 bytes or with
// a line break.
func hasExplicitKey(v any) bool {
	found := false
	walkTree(v, func(s string, isKey bool) {
		found = found || isKey && (len(s) > maxSimpleKey || strings.ContainsAny(s, "\r\n\u0085\u2028\u2029"))
	})
	return found
}

func dropBlankLines(b []byte) []byte {
	for bytes.Contains(b, []byte("\n\n")) {
		b = bytes.ReplaceAll(b, []byte("\n\n"), []byte("\n"))
	}
	return b
}

// walkTree calls f with every string of the tree: keys, values, function
// names and the "Res.Attr" text of a short-form !GetAtt.
func walkTree(v any, f func(s string, isKey bool)) {
	switch t := v.(type) {
	case string:
		f(t, false)
	case []any:
		for _, item := range t {
			walkTree(item, f)
		}
	case *Map:
		for _, k := range t.keys {
			f(k, true)
			walkTree(t.Value(k), f)
		}
	case Fn:
		f(t.Name, true)
		if _, arg, short := shortForm(t); short {
			if s, ok := arg.(string); ok {
				f(s, false)
			}
		}
		walkTree(t.Arg, f)
	}
}

// readsBackAs decodes out with yaml.v3 and compares it with the tree: every
// mapping in order, short tags expanded, numbers and strings as text. It
// returns "" when they match.
func readsBackAs(out []byte, tree *Map) string {
	var doc yaml.Node
	if err := yaml.Unmarshal(out, &doc); err != nil {
		return err.Error()
	}
	if len(doc.Content) == 0 {
		if tree.Len() == 0 {
			return ""
		}
		return "empty document"
	}
	return matchNode(doc.Content[0], tree, "")
}

func matchNode(n *yaml.Node, v any, path string) string {
	if long, tagged := longNames[n.Tag]; tagged {
		fn, ok := v.(Fn)
		if !ok || fn.Name != long {
			return fmt.Sprintf("%s: tag %s, want %#v", path, n.Tag, v)
		}
		if _, arg, short := shortForm(fn); short {
			if s, isText := arg.(string); isText && fn.Name == FnGetAtt && s != fn.Arg {
				return matchText(n, s, path) // "Res.Attr"
			}
		}
		plain := *n
		plain.Tag = ""
		if n.Kind == yaml.ScalarNode {
			return matchTaggedScalar(&plain, fn.Arg, path)
		}
		return matchNode(&plain, fn.Arg, path+"/"+long)
	}
	switch t := v.(type) {
	case *Map:
		return matchMapping(n, t.keys, func(k string) any { return t.Value(k) }, path)
	case Fn:
		return matchMapping(n, []string{t.Name}, func(string) any { return t.Arg }, path)
	case []any:
		if n.Kind != yaml.SequenceNode || len(n.Content) != len(t) {
			return fmt.Sprintf("%s: want a list of %d", path, len(t))
		}
		for i, item := range t {
			if msg := matchNode(n.Content[i], item, path+"/"+strconv.Itoa(i)); msg != "" {
				return msg
			}
		}
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		return fmt.Sprintf("%s: want a scalar %#v", path, v)
	}
	tag := n.ShortTag()
	switch t := v.(type) {
	case string:
		if tag != "!!str" {
			return fmt.Sprintf("%s: %q reads as %s", path, t, tag)
		}
		return matchText(n, t, path)
	case json.Number:
		if want := refNumberTag(string(t)); tag != want {
			return fmt.Sprintf("%s: %s reads as %s", path, t, tag)
		}
		return matchText(n, string(t), path)
	case bool:
		if tag != "!!bool" || n.Value != strconv.FormatBool(t) {
			return fmt.Sprintf("%s: %v reads as %s %q", path, t, tag, n.Value)
		}
	case nil:
		if tag != "!!null" {
			return fmt.Sprintf("%s: null reads as %s", path, tag)
		}
	}
	return ""
}

// matchTaggedScalar compares a short-form function's scalar argument: a tag
// makes plain text a string, so only the text matters.
func matchTaggedScalar(n *yaml.Node, v any, path string) string {
	switch t := v.(type) {
	case string:
		return matchText(n, t, path)
	case json.Number:
		return matchText(n, string(t), path)
	case bool:
		return matchText(n, strconv.FormatBool(t), path)
	case nil:
		return matchText(n, "null", path)
	}
	return fmt.Sprintf("%s: want %#v", path, v)
}

func matchMapping(n *yaml.Node, keys []string, get func(string) any, path string) string {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2*len(keys) {
		return fmt.Sprintf("%s: want a mapping of %d", path, len(keys))
	}
	for i, k := range keys {
		if msg := matchText(n.Content[2*i], k, path+" key"); msg != "" {
			return msg
		}
		if n.Content[2*i].ShortTag() != "!!str" {
			return fmt.Sprintf("%s: key %q is not a string", path, k)
		}
		if msg := matchNode(n.Content[2*i+1], get(k), path+"/"+k); msg != "" {
			return msg
		}
	}
	return ""
}

func matchText(n *yaml.Node, want, path string) string {
	if n.Value != want {
		return fmt.Sprintf("%s: reads %q, want %q", path, n.Value, want)
	}
	return ""
}

// TestWriterScalarRules pins the writer's own style decisions, including
// those where it departs from yaml.v3 (see knownDifference).
func TestWriterScalarRules(t *testing.T) {
	long := strings.Repeat("k", maxSimpleKey+1)
	cases := []struct {
		name string
		tree *Map
		want string
	}{
		{"document marker", mapOf("K", []any{"---", "...x"}), "K:\n  - \"---\"\n  - \"...x\"\n"},
		{"hex with capital X", mapOf("0X1F", "0X1F"), "\"0X1F\": \"0X1F\"\n"},
		{"tag makes text a string", mapOf("K", Fn{FnRef, "0X1F"}), "K: !Ref 0X1F\n"},
		{"beyond U+FFFF", mapOf("K", "😀"), "K: \"\\U0001F600\"\n"},
		{"escapes", mapOf("K", "\x00\a\x1b\t\"\\\u0085\u2028\u2029\u00e9\x7f\ufeff"), "K: \"\\0\\a\\e\\t\\\"\\\\\\N\\L\\P\u00e9\\x7F\\uFEFF\"\n"},
		{"literal with a tab at a line end", mapOf("K", "a\t\nb\n"), "K: \"a\\t\\nb\\n\"\n"},
		{"literal with a tab inside", mapOf("K", "a\tb\nc\n"), "K: |\n  a\tb\n  c\n"},
		{"literal with U+2028", mapOf("K", "a\u2028b\n"), "K: \"a\\Lb\\n\"\n"},
		{"literal with CR", mapOf("K", "a\r\nb\n"), "K: \"a\\r\\nb\\n\"\n"},
		{"literal indented, no final newline", mapOf("K", []any{"  a\nb"}), "K:\n  - |2-\n      a\n    b\n"},
		{"integer beyond 64 bits", mapOf("K", json.Number("123456789012345678901234")), "K: !!int 123456789012345678901234\n"},
		{"float beyond float64", mapOf("K", json.Number("1e400")), "K: !!float 1e400\n"},
		{"numbers", mapOf("K", []any{json.Number("-0"), json.Number("1.5"), json.Number("18446744073709551615")}), "K:\n  - -0\n  - 1.5\n  - 18446744073709551615\n"},
		{"long key", mapOf("K", mapOf(long, []any{"a"})), "K:\n  ? " + long + "\n  : - a\n"},
		{"multi-line key", mapOf("K", mapOf("a\nb", "c")), "K:\n  ? \"a\\nb\"\n  : c\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := mustYAML(t, c.tree)
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
			if msg := readsBackAs([]byte(got), c.tree); msg != "" {
				t.Errorf("does not read back: %s", msg)
			}
		})
	}
}

func TestWriterRejects(t *testing.T) {
	for _, tree := range []*Map{
		mapOf("K", "a\xffb"),
		mapOf("a\xffb", "v"),
		mapOf("K", "a\xff\nb\n"),
		mapOf("K", json.Number("0x1F")),
		mapOf("K", 42),
	} {
		if out, err := encodeYAML(tree, nil); err == nil {
			t.Errorf("encodeYAML accepted %#v:\n%s", tree.vals, out)
		}
	}
}
