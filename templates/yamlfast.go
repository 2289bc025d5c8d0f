package templates

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// A fast reader for block-style YAML, the form formwork writes (golden/)
// and most hand-written templates use: block mappings and sequences,
// compact `- key: value` items, plain, quoted and literal scalars, short-form
// tags, full-line comments and `[]`/`{}`. It builds the same tree as
// parseYAML in a fraction of the time (yaml.v3 takes most of a diff of two
// large templates). On anything else (flow collections, anchors, folded or
// multi-line plain scalars, inline comments, odd indentation, tabs) it
// declines and Parse falls back to yaml.v3, so it never decides what a
// document means on its own: FuzzFastYAML holds the two to the same trees.

// fastReader reads lines; every method returns ok false to decline.
type fastReader struct {
	lines   []string
	next    int  // the line to read next
	cutLast bool // the last line has no line break
}

// parseFastYAML reads data as a block-style YAML mapping, or declines.
func parseFastYAML(data []byte) (*Map, bool) {
	text := string(data)
	if !plainText(text) {
		return nil, false
	}
	r := &fastReader{lines: strings.Split(strings.TrimSuffix(text, "\n"), "\n"), cutLast: !strings.HasSuffix(text, "\n")}
	line, ok := r.content()
	if !ok || indentOf(r.lines[line]) != 0 || strings.HasPrefix(r.lines[line], "---") || strings.HasPrefix(r.lines[line], "%") {
		return nil, false
	}
	root, ok := r.mapping(line, 0)
	if !ok {
		return nil, false
	}
	if _, more := r.content(); more {
		return nil, false // something the mapping did not take, e.g. "..."
	}
	return root, true
}

// plainText reports text of YAML's printable characters only, without
// tabs, carriage returns or byte order marks, which this reader leaves to
// yaml.v3.
func plainText(text string) bool {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == 0xfeff, r < 0xa0 && r != 0x85,
			r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff:
			return false
		}
		i += size
	}
	return true
}

// content returns the next line with content, skipping blank lines and
// full-line comments, without consuming it.
func (r *fastReader) content() (int, bool) {
	for r.next < len(r.lines) {
		trimmed := strings.TrimLeft(r.lines[r.next], " ")
		if trimmed != "" && trimmed[0] != '#' {
			return r.next, true
		}
		r.next++
	}
	return 0, false
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// node reads the value that starts at column col of line (after `- ` or
// at a mapping's first key): a mapping, a sequence or a scalar. owner is
// the column of the key or dash that holds it.
func (r *fastReader) node(line, col, owner int) (any, bool) {
	rest := r.lines[line][col:]
	switch {
	case rest == "":
		return nil, false // `- ` with trailing spaces
	case rest == "-" || strings.HasPrefix(rest, "- "):
		return r.sequence(line, col)
	case isKeyLine(rest):
		return r.mapping(line, col)
	}
	r.next = line + 1
	return r.value(rest, line, owner)
}

// mapping reads the entries at column col, the first on line.
func (r *fastReader) mapping(line, col int) (*Map, bool) {
	m := NewMap()
	for first := true; ; first = false {
		if !first {
			var more bool
			if line, more = r.content(); !more || indentOf(r.lines[line]) < col {
				return m, true
			}
			if indentOf(r.lines[line]) > col {
				return nil, false
			}
		}
		key, rest, ok := splitKey(r.lines[line][col:])
		if !ok {
			return nil, false
		}
		if _, dup := m.Get(key); dup || key == "<<" {
			return nil, false // yaml.v3 reports it, or merges
		}
		r.next = line + 1
		v, ok := r.entryValue(rest, line, col, false)
		if !ok {
			return nil, false
		}
		m.Set(key, v)
	}
}

// entryValue reads what follows `key:` (or a lone `-`): a nested block on
// the next lines, or a value on the line.
func (r *fastReader) entryValue(rest string, line, col int, item bool) (any, bool) {
	if rest != "" {
		return r.value(rest, line, col)
	}
	next, more := r.content()
	if !more || indentOf(r.lines[next]) < col {
		return nil, true // `key:` with nothing: null
	}
	ind := indentOf(r.lines[next])
	body := r.lines[next][ind:]
	if ind == col && !item && (body == "-" || strings.HasPrefix(body, "- ")) {
		return r.sequence(next, col) // a list at its key's column
	}
	if ind == col {
		return nil, true
	}
	return r.node(next, ind, col)
}

// sequence reads the items at column col, the first on line.
func (r *fastReader) sequence(line, col int) ([]any, bool) {
	list := []any{}
	for first := true; ; first = false {
		if !first {
			var more bool
			if line, more = r.content(); !more || indentOf(r.lines[line]) != col {
				if more && indentOf(r.lines[line]) > col {
					return nil, false
				}
				return list, true
			}
		}
		body := r.lines[line][col:]
		if body != "-" && !strings.HasPrefix(body, "- ") {
			return list, true // a mapping key at the list's column ends it
		}
		var item any
		var ok bool
		if body == "-" {
			r.next = line + 1
			item, ok = r.entryValue("", line, col, true)
		} else {
			start := col + 2
			for start < len(r.lines[line]) && r.lines[line][start] == ' ' {
				start++
			}
			item, ok = r.node(line, start, col)
		}
		if !ok {
			return nil, false
		}
		list = append(list, item)
	}
}

// value reads a value written after `key: ` or `- ` on line (rest is the
// text), and what it takes from the lines below: a tagged block or a
// literal block. owner is the key's or dash's column.
func (r *fastReader) value(rest string, line, owner int) (any, bool) {
	if rest[0] == '!' {
		return r.tagged(rest, line, owner)
	}
	v, ok := r.scalarValue(rest, owner)
	return v, ok && r.endsScalar(owner)
}

// endsScalar checks that no line below continues a scalar (a multi-line
// plain or quoted scalar, which this reader does not take).
func (r *fastReader) endsScalar(owner int) bool {
	next, more := r.content()
	return !more || indentOf(r.lines[next]) <= owner
}

// scalarValue reads an untagged scalar, `[]`, `{}` or a literal block.
func (r *fastReader) scalarValue(rest string, owner int) (any, bool) {
	switch rest {
	case "[]":
		return []any{}, true
	case "{}":
		return NewMap(), true
	}
	switch rest[0] {
	case '"':
		return doubleQuotedScalar(rest)
	case '\'':
		return singleQuotedScalar(rest)
	case '|':
		return r.literal(rest, owner)
	}
	if !isSimplePlain(rest) {
		return nil, false
	}
	if !strings.ContainsRune("+-.0123456789yYnNtTfFoO~", rune(rest[0])) {
		return rest, true // cannot be a number, boolean or null
	}
	v, err := scalar(&yaml.Node{Kind: yaml.ScalarNode, Value: rest})
	return v, err == nil
}

// tagged reads `!Tag value` or `!Tag` with a block on the lines below.
func (r *fastReader) tagged(rest string, line, owner int) (any, bool) {
	tag, arg, _ := strings.Cut(rest, " ")
	if !simpleTag(tag) {
		return nil, false
	}
	arg = strings.TrimLeft(arg, " ")
	var v any
	switch {
	case arg == "":
		next, more := r.content()
		if more && indentOf(r.lines[next]) == owner && strings.HasPrefix(r.lines[next][owner:], "-") {
			return nil, false // a tagged list at its key's column
		}
		if !more || indentOf(r.lines[next]) <= owner {
			v = "" // a tag on an empty value: the empty string
			break
		}
		body := r.lines[next][indentOf(r.lines[next]):]
		if body != "-" && !strings.HasPrefix(body, "- ") && !isKeyLine(body) {
			return nil, false // the tagged scalar on the next line
		}
		var ok bool
		if v, ok = r.node(next, indentOf(r.lines[next]), owner); !ok {
			return nil, false
		}
	case arg == "[]", arg == "{}", arg[0] == '"', arg[0] == '\'', arg[0] == '|':
		var ok bool
		if v, ok = r.scalarValue(arg, owner); !ok || !r.endsScalar(owner) {
			return nil, false
		}
	default:
		if !isSimplePlain(arg) || !r.endsScalar(owner) {
			return nil, false
		}
		v = arg // a tagged plain scalar is a string
	}
	return tagValue(tag, v), true
}

// simpleTag reports a tag like !Ref, !GetAtt or !Rain::S3: a letter, then
// letters, digits and :._- only.
func simpleTag(tag string) bool {
	if len(tag) < 2 || !isLetter(tag[1]) {
		return false
	}
	for i := 2; i < len(tag); i++ {
		if c := tag[i]; !isLetter(c) && !(c >= '0' && c <= '9') && !strings.ContainsRune(":._-", rune(c)) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// tagValue is what fromNode makes of a tag: a CloudFormation function, or
// the single-key mapping a tool's directive stands for.
func tagValue(tag string, v any) any {
	name := tagFunction(tag)
	if !isFunctionName(name) && name != FnCondition {
		m := NewMap()
		m.Set(name, v)
		return m
	}
	if name == FnGetAtt {
		v = splitGetAtt(v)
	}
	return Fn{Name: name, Arg: v}
}

// literal reads a literal block: `|`, `|-`, `|2` or `|2-`, clipped or
// stripped, its lines indented deeper than owner.
func (r *fastReader) literal(header string, owner int) (any, bool) {
	strip, indent := false, 0
	switch header {
	case "|":
	case "|-":
		strip = true
	case "|2":
		indent = owner + 2
	case "|2-", "|-2":
		strip, indent = true, owner+2
	default:
		return nil, false
	}
	var b strings.Builder
	blank, leading := 0, 0 // empty lines not yet known to be inside the block; spaces before the first line
	for ; r.next < len(r.lines); r.next++ {
		line := r.lines[r.next]
		ind := indentOf(line)
		if ind == len(line) { // empty or spaces only
			if indent > 0 && ind > indent {
				return nil, false // spaces beyond the indentation are content: leave it to yaml.v3
			}
			leading = max(leading, ind)
			blank++
			continue
		}
		if indent == 0 {
			if ind <= owner || leading > ind {
				if leading > ind {
					return nil, false
				}
				break
			}
			indent = ind
		}
		if ind < indent {
			if ind > owner {
				return nil, false // less indented than the block, more than its owner
			}
			break
		}
		for ; blank > 0; blank-- {
			b.WriteByte('\n')
		}
		b.WriteString(line[indent:])
		if r.next < len(r.lines)-1 || !r.cutLast {
			b.WriteByte('\n')
		}
	}
	text := b.String()
	if text == "" {
		return nil, false
	}
	if strip {
		text = strings.TrimSuffix(text, "\n")
	}
	return text, true
}

// isKeyLine reports whether text starts a mapping entry: `key:` or
// `key: value`, the key plain or double-quoted.
func isKeyLine(text string) bool {
	_, _, ok := splitKey(text)
	return ok
}

// splitKey splits `key: rest` (or `key:`), declining keys that need more
// than this reader knows: single-quoted, complex (?), tagged, anchored.
func splitKey(text string) (key, rest string, ok bool) {
	if text == "" {
		return "", "", false
	}
	var end int
	if text[0] == '"' {
		close := closingQuote(text)
		if close < 0 || close+1 >= len(text) || text[close+1] != ':' {
			return "", "", false
		}
		v, ok := doubleQuotedScalar(text[:close+1])
		if !ok {
			return "", "", false
		}
		key, end = v.(string), close+1
	} else {
		if strings.ContainsRune("!&*?|>'\"%@`[]{},#-", rune(text[0])) && !(text[0] == '-' && len(text) > 1 && text[1] != ' ') {
			return "", "", false
		}
		end = strings.Index(text, ": ")
		if end < 0 {
			if !strings.HasSuffix(text, ":") {
				return "", "", false
			}
			end = len(text) - 1
		}
		key = text[:end]
		if key == "" || key != strings.TrimRight(key, " ") || strings.Contains(key, " #") {
			return "", "", false
		}
	}
	rest = strings.TrimLeft(text[end+1:], " ")
	if end+1 < len(text) && text[end+1] != ' ' {
		return "", "", false
	}
	if strings.HasPrefix(rest, "#") {
		return "", "", false
	}
	return key, rest, true
}

// isSimplePlain reports a plain scalar this reader takes as written: not
// starting with an indicator (`-`, `?` and `:` only when a space follows),
// no comment, no `: ` (which would make it a key), no trailing space.
func isSimplePlain(s string) bool {
	if s == "" || strings.ContainsRune("!\"'|[]{}&*>%@`,#", rune(s[0])) {
		return false
	}
	if strings.ContainsRune("-?:", rune(s[0])) && (len(s) == 1 || s[1] == ' ') {
		return false
	}
	return s == strings.TrimRight(s, " ") && !strings.Contains(s, " #") && !strings.Contains(s, ": ") &&
		!strings.HasSuffix(s, ":") && !strings.HasPrefix(s, "---") && !strings.HasPrefix(s, "...")
}

// closingQuote returns the index of the quote closing a double-quoted
// scalar at the start of s, or -1.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// doubleQuotedScalar reads `"text"`, alone on the rest of its line.
func doubleQuotedScalar(s string) (any, bool) {
	close := closingQuote(s)
	if close != len(s)-1 {
		return nil, false
	}
	body := s[1:close]
	if !strings.ContainsRune(body, '\\') {
		return body, true
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(body) {
			return nil, false
		}
		if short, ok := yamlEscapes[body[i]]; ok {
			b.WriteString(short)
			continue
		}
		digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[body[i]]
		if digits == 0 || i+digits >= len(body) {
			return nil, false
		}
		n, err := strconv.ParseUint(body[i+1:i+1+digits], 16, 32)
		if err != nil || !utf8.ValidRune(rune(n)) {
			return nil, false
		}
		b.WriteRune(rune(n))
		i += digits
	}
	return b.String(), true
}

// yamlEscapes are YAML's one-character escapes.
var yamlEscapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r", 'e': "\x1b",
	' ': " ", '"': "\"", '/': "/", '\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// singleQuotedScalar reads `'text'` (” is a quote), alone on its line.
func singleQuotedScalar(s string) (any, bool) {
	if len(s) < 2 || s[len(s)-1] != '\'' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		if body[i] == '\'' {
			if i+1 >= len(body) || body[i+1] != '\'' {
				return nil, false // a quote that ends the scalar early
			}
			i++
		}
	}
	return strings.ReplaceAll(body, "''", "'"), true
}
