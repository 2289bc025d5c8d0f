package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// encodeYAML writes the tree as canonical short-form YAML: block mappings
// and sequences indented by two spaces (a list's `- ` items indented under
// their key), `[]` and `{}` for empty collections, short-form tags where YAML
// allows them, each resource's comment above its logical id, and a blank line
// between top-level sections and between the entries of spacedSections.
//
// The writer is direct rather than yaml.v3's emitter, which cost nearly half
// of a render; yaml_reference_test.go keeps the emitter-based encoder and
// FuzzYAMLWriter holds the two to the same bytes, but for the differences
// its knownDifference lists. Scalar styles are decided by scalarStyle,
// conservatively.
func encodeYAML(root *Map, comments map[string]string) ([]byte, error) {
	scratch := scratchBuffers.Get().(*[]byte)
	defer scratchBuffers.Put(scratch)
	w := yamlWriter{buf: (*scratch)[:0]}
	defer func() { *scratch = w.buf[:0] }() // keep the grown buffer for the next template
	for i, k := range root.keys {
		if i > 0 {
			w.buf = append(w.buf, '\n')
		}
		var entryComments map[string]string
		if k == "Resources" {
			entryComments = comments
		}
		w.entry(k, root.vals[i], 0, "", spacedSections[k], entryComments)
	}
	if w.err != nil {
		return nil, w.err
	}
	return bytes.Clone(w.buf), nil // exactly the template's size
}

// scratchBuffers hold the buffers templates are written into: a render of
// many stacks grows one per processor to the largest template instead of
// growing a new buffer for each (16 KB, 32 KB, 64 KB, ...) and copying it.
var scratchBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// spacedSections are the top-level sections whose entries are separated by a
// blank line, so each parameter, resource and output reads as a paragraph.
var spacedSections = map[string]bool{"Parameters": true, "Rules": true, "Resources": true, "Outputs": true}

// maxSimpleKey is the longest key written as `key: value`, as yaml.v3
// decides; YAML allows 1024 characters there. A longer key, or one with a
// line break, is written as an explicit `? key` / `: value` pair.
const maxSimpleKey = 128

type yamlWriter struct {
	buf []byte
	err error
}

func (w *yamlWriter) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf("encode YAML: "+format, args...)
	}
}

func (w *yamlWriter) indent(n int) {
	for ; n > 0; n-- {
		w.buf = append(w.buf, ' ')
	}
}

// entry writes `key: value` at column indent, with the comment, if any, on
// the lines above. spaced puts a blank line between the entries (or items)
// of a block value; comments name the comments of those entries.
func (w *yamlWriter) entry(k string, v any, indent int, comment string, spaced bool, comments map[string]string) {
	for line := range strings.SplitSeq(comment, "\n") {
		if comment == "" {
			break
		}
		w.indent(indent)
		w.buf = append(w.buf, "# "...)
		w.buf = append(w.buf, line...)
		w.buf = append(w.buf, '\n')
	}
	w.indent(indent)
	w.pair(k, v, indent, spaced, comments)
}

// pair writes `key: value` for a key whose first character is already
// positioned at column indent.
func (w *yamlWriter) pair(k string, v any, indent int, spaced bool, comments map[string]string) {
	if len(k) > maxSimpleKey || strings.ContainsAny(k, "\r\n\u0085\u2028\u2029") {
		w.buf = append(w.buf, "? "...)
		w.key(k)
		w.buf = append(w.buf, '\n')
		w.indent(indent)
		w.buf = append(w.buf, ": "...)
		w.compact(v, indent+2)
		return
	}
	w.key(k)
	w.buf = append(w.buf, ':')
	w.value(v, indent, spaced, comments)
}

// key writes a mapping key: like a string value, but never a block scalar,
// which would turn the key into a complex "? |" key.
func (w *yamlWriter) key(k string) {
	if style := scalarStyle(k, false); style == plainStyle {
		w.buf = append(w.buf, k...)
	} else {
		w.doubleQuoted(k)
	}
}

// value writes what follows `key:` (the colon is written) for a mapping
// entry at column indent, and ends the line.
func (w *yamlWriter) value(v any, indent int, spaced bool, comments map[string]string) {
	switch t := v.(type) {
	case *Map:
		if t.Len() == 0 {
			w.buf = append(w.buf, " {}\n"...)
			return
		}
		w.buf = append(w.buf, '\n')
		w.mapping(t, indent+2, spaced, comments)
	case []any:
		if len(t) == 0 {
			w.buf = append(w.buf, " []\n"...)
			return
		}
		w.buf = append(w.buf, '\n')
		w.sequence(t, indent+2, spaced)
	case Fn:
		tag, arg, short := shortForm(t)
		if !short {
			w.buf = append(w.buf, '\n')
			w.entry(t.Name, t.Arg, indent+2, "", false, nil)
			return
		}
		w.buf = append(w.buf, ' ')
		w.tagged(tag, arg, indent+2, spaced)
	default:
		w.buf = append(w.buf, ' ')
		w.scalar(v, indent+2, false)
	}
}

// mapping writes the entries of a non-empty mapping at column indent.
func (w *yamlWriter) mapping(m *Map, indent int, spaced bool, comments map[string]string) {
	for i, k := range m.keys {
		if spaced && i > 0 {
			w.buf = append(w.buf, '\n')
		}
		w.entry(k, m.vals[i], indent, comments[k], false, nil)
	}
}

// sequence writes the items of a non-empty list, each `- ` at column indent.
func (w *yamlWriter) sequence(list []any, indent int, spaced bool) {
	for i, item := range list {
		if spaced && i > 0 {
			w.buf = append(w.buf, '\n')
		}
		w.indent(indent)
		w.item(item, indent)
	}
}

// item writes `- ` and a list item, the cursor being at column dash.
func (w *yamlWriter) item(v any, dash int) {
	w.buf = append(w.buf, "- "...)
	w.compact(v, dash+2)
}

// compact writes a value that starts on the line of a `- ` or `: `
// indicator, the cursor being at column inner: a nested mapping or list
// starts on that line, its next lines aligned with its first.
func (w *yamlWriter) compact(v any, inner int) {
	switch t := v.(type) {
	case *Map:
		if t.Len() == 0 {
			w.buf = append(w.buf, "{}\n"...)
			return
		}
		for i, k := range t.keys {
			if i == 0 {
				w.pair(k, t.vals[i], inner, false, nil) // on the dash's line
				continue
			}
			w.entry(k, t.vals[i], inner, "", false, nil)
		}
	case []any:
		if len(t) == 0 {
			w.buf = append(w.buf, "[]\n"...)
			return
		}
		w.item(t[0], inner)
		w.sequence(t[1:], inner, false)
	case Fn:
		tag, arg, short := shortForm(t)
		if !short {
			w.pair(t.Name, t.Arg, inner, false, nil)
			return
		}
		w.tagged(tag, arg, inner, false)
	default:
		w.scalar(v, inner, false)
	}
}

// tagged writes a short-form intrinsic: its tag, then its argument, a list's
// items on the lines below at column indent.
func (w *yamlWriter) tagged(tag string, arg any, indent int, spaced bool) {
	w.buf = append(w.buf, tag...)
	list, isList := arg.([]any)
	switch {
	case isList && len(list) == 0:
		w.buf = append(w.buf, " []\n"...)
	case isList:
		w.buf = append(w.buf, '\n')
		w.sequence(list, indent, spaced)
	default:
		w.buf = append(w.buf, ' ')
		w.scalar(arg, indent, true)
	}
}

// shortForm returns the tag and argument an intrinsic is written with in
// short form, or short false when it is written long form, as a mapping
// `Fn::Name: arg`: the function has no short form, or its argument is a
// function (YAML gives a node one tag) or a mapping.
func shortForm(fn Fn) (tag string, arg any, short bool) {
	tag, short = shortTags[fn.Name]
	switch a := fn.Arg.(type) {
	case Fn, *Map:
		return "", nil, false
	case []any:
		if fn.Name == FnGetAtt && len(a) == 2 {
			res, ok1 := a[0].(string)
			attr, ok2 := a[1].(string)
			if ok1 && ok2 {
				return tag, res + "." + attr, short
			}
		}
	}
	return tag, fn.Arg, short
}

// scalar writes a scalar value and ends its line. blockIndent is the
// indentation of a literal block's lines; tagged says a tag precedes it.
func (w *yamlWriter) scalar(v any, blockIndent int, tagged bool) {
	switch t := v.(type) {
	case string:
		switch scalarStyle(t, tagged) {
		case plainStyle:
			w.buf = append(w.buf, t...)
		case literalStyle:
			w.literal(t, blockIndent)
			return // literal ends its own last line
		default:
			w.doubleQuoted(t)
		}
	case json.Number:
		w.number(string(t), tagged)
	case bool:
		w.buf = strconv.AppendBool(w.buf, t)
	case nil:
		w.buf = append(w.buf, "null"...)
	default:
		w.fail("unexpected %T in template tree", v)
	}
	w.buf = append(w.buf, '\n')
}

// number writes a JSON number plain. A number YAML would read as another
// type (an integer beyond 64 bits reads as a float, a float beyond float64
// as a string) carries its tag, !!int or !!float, unless a tag is written.
func (w *yamlWriter) number(s string, tagged bool) {
	if !isJSONNumber(s) {
		w.fail("number %q is not a JSON number", s)
		return
	}
	if !tagged && !isPlainNumber(s) {
		if strings.ContainsAny(s, ".eE") {
			w.buf = append(w.buf, "!!float "...)
		} else {
			w.buf = append(w.buf, "!!int "...)
		}
	}
	w.buf = append(w.buf, s...)
}

// isPlainNumber reports whether yaml.v3 resolves the JSON number s to the
// type its notation says: !!int without a fraction or exponent, else !!float.
func isPlainNumber(s string) bool {
	if strings.ContainsAny(s, ".eE") {
		return resolveTag(s) == "!!float"
	}
	return len(s) < 19 || resolveTag(s) == "!!int" // 18 digits fit in 64 bits
}

func isJSONNumber(s string) bool {
	sc := jsonScanner{data: []byte(s)}
	if len(s) == 0 {
		return false
	}
	_, err := sc.number()
	return err == nil && sc.pos == len(s)
}

type scalarStyleKind int

const (
	plainStyle scalarStyleKind = iota
	doubleQuotedStyle
	literalStyle
)

// scalarStyle picks how a string is written, conservatively: a literal block
// for multi-line text that reads back exactly, plain where no YAML 1.1 or 1.2
// reader could read something else, double quotes otherwise. Untagged plain
// text is also checked against yaml.v3's resolver, which catches forms
// needsQuotes does not list (0X1F); a tag makes the text a string anyway.
func scalarStyle(s string, tagged bool) scalarStyleKind {
	if isPlainName(s) {
		return plainStyle
	}
	if strings.IndexByte(s, '\n') >= 0 {
		if isLiteralBlock(s) && isSafeLiteral(s) {
			return literalStyle
		}
		return doubleQuotedStyle
	}
	if needsQuotes(s) || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") || !isPrintable(s) {
		return doubleQuotedStyle // "---" and "..." at column 0 end a document
	}
	if !tagged && mayResolveToNonString(s) && resolveTag(s) != "!!str" {
		return doubleQuotedStyle
	}
	return plainStyle
}

// resolveTag is the tag yaml.v3 resolves the plain scalar s to. Like
// yaml.v3, it looks no further than the first character when that cannot
// start a number, a boolean, null or a float constant.
func resolveTag(s string) string {
	if s != "" && !strings.ContainsRune("+-.0123456789yYnNtTfFoO~", rune(s[0])) {
		return "!!str"
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
	return n.ShortTag()
}

// isLiteralBlock reports whether s is written as a literal block. Text that
// ends in blank lines would need the keep indicator (|+), whose value runs
// into the blank lines that separate sections; it is double-quoted instead,
// as is text with no visible content or a leading blank line.
func isLiteralBlock(s string) bool {
	return strings.Contains(s, "\n") && !strings.HasSuffix(s, "\n\n") && strings.TrimSpace(s) != "" &&
		!strings.HasPrefix(s, "\n") // a literal block cannot start with a line break
}

// isSafeLiteral reports whether a literal block reads back as s in every
// reader and survives editors: valid UTF-8, printable apart from tabs, no
// line break other than \n (YAML 1.1 readers break lines at \r, U+0085,
// U+2028 and U+2029), and no line ending in a space or tab.
func isSafeLiteral(s string) bool {
	prev := rune(0)
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return false // invalid UTF-8
		case r == '\n':
			if prev == ' ' || prev == '\t' {
				return false
			}
		case r == '\t':
		case r == 0x2028 || r == 0x2029 || !isPrintableRune(r):
			return false
		}
		prev = r
	}
	return prev != ' ' && prev != '\t'
}

// isPrintable reports whether s is valid UTF-8 whose every rune may appear
// in a plain scalar.
func isPrintable(s string) bool {
	for i, r := range s {
		if !isPrintableRune(r) || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return false
		}
	}
	return true
}

// isPrintableRune is yaml.v3's printable set: YAML's c-printable without
// tab, line breaks, the byte order mark and, unlike YAML, characters beyond
// U+FFFF, which are written as \U escapes.
func isPrintableRune(r rune) bool {
	switch {
	case r >= 0x20 && r <= 0x7e:
		return true
	case r >= 0xa0 && r <= 0xd7ff:
		return true
	case r >= 0xe000 && r <= 0xfffd:
		return r != 0xfeff
	}
	return false
}

// doubleQuoted writes s in double quotes on one line, escaping what is not
// printable, line breaks, the byte order mark, `"` and `\`.
func (w *yamlWriter) doubleQuoted(s string) {
	w.buf = append(w.buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
				w.buf = append(w.buf, c)
			} else {
				w.escape(rune(c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.fail("string is not valid UTF-8: %q", s)
			return
		}
		if isPrintableRune(r) && r != 0x2028 && r != 0x2029 {
			w.buf = append(w.buf, s[i:i+size]...)
		} else {
			w.escape(r)
		}
		i += size
	}
	w.buf = append(w.buf, '"')
}

// escapes are YAML's short escapes, as yaml.v3 writes them.
var escapes = map[rune]byte{
	0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
	'"': '"', '\\': '\\', 0x85: 'N', 0x2028: 'L', 0x2029: 'P',
}

func (w *yamlWriter) escape(r rune) {
	w.buf = append(w.buf, '\\')
	if c, ok := escapes[r]; ok {
		w.buf = append(w.buf, c)
		return
	}
	const hex = "0123456789ABCDEF"
	digits, mark := 8, byte('U')
	switch {
	case r <= 0xff:
		digits, mark = 2, 'x'
	case r <= 0xffff:
		digits, mark = 4, 'u'
	}
	w.buf = append(w.buf, mark)
	for shift := (digits - 1) * 4; shift >= 0; shift -= 4 {
		w.buf = append(w.buf, hex[(r>>shift)&0xf])
	}
}

// literal writes s as a literal block whose lines are indented by indent:
// `|2` when the first line starts with a space (its indentation is content),
// `|-` when s does not end in a line break.
func (w *yamlWriter) literal(s string, indent int) {
	w.buf = append(w.buf, '|')
	if s[0] == ' ' {
		w.buf = append(w.buf, '2')
	}
	body, clip := strings.CutSuffix(s, "\n")
	if !clip {
		w.buf = append(w.buf, '-')
	}
	w.buf = append(w.buf, '\n')
	for {
		line, rest, more := strings.Cut(body, "\n")
		if line != "" {
			w.indent(indent)
			w.buf = append(w.buf, line...)
		}
		w.buf = append(w.buf, '\n')
		if !more {
			return
		}
		body = rest
	}
}

// isPlainName is scalarStyle's fast path for the text most keys and values
// are (Properties, AWS::S3::Bucket, index.handler, arn:aws:s3:::bucket/*
// aside): longer than the five bytes of the longest YAML word, starting
// with a letter, so not like a number, and made of letters, digits and
// _ . / : - only, not ending in ':' — plain in every reader.
func isPlainName(s string) bool {
	if len(s) <= len("false") || !isLetter(s[0]) || s[len(s)-1] == ':' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '.' && c != '/' && c != ':' && c != '-' {
			return false
		}
	}
	return true
}
