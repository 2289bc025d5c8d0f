package templates

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting as encoding/json does, so hostile input cannot
// exhaust the stack.
const maxJSONDepth = 10000

// decodeJSON reads one JSON value keeping mapping order and exact numbers:
// objects become *Map, arrays []any, numbers json.Number, and strings are
// unescaped as encoding/json does (invalid UTF-8 and lone surrogates become
// U+FFFD). Whitespace around tokens is allowed; anything that is not exactly
// one valid JSON value is an error.
func decodeJSON(data []byte) (any, error) {
	s := jsonScanner{data: data}
	s.skipSpace()
	v, err := s.value(0)
	if err != nil {
		return nil, err
	}
	s.skipSpace()
	if s.pos != len(s.data) {
		return nil, s.errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// jsonScanner reads JSON from a byte slice. It replaces json.Decoder.Token,
// which allocated for every token and cost a sixth of a render.
type jsonScanner struct {
	data []byte
	pos  int
	// keys and vals hold the entries of the objects and arrays being read,
	// innermost last, so that each is allocated once at its final size.
	keys []string
	vals []any
}

func (s *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("JSON at offset %d: %s", s.pos, fmt.Sprintf(format, args...))
}

func (s *jsonScanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *jsonScanner) value(depth int) (any, error) {
	if s.pos >= len(s.data) {
		return nil, s.errorf("unexpected end of input")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(depth + 1)
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		return s.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == 't':
		return true, s.literal("true")
	case c == 'f':
		return false, s.literal("false")
	case c == 'n':
		return nil, s.literal("null")
	default:
		return nil, s.errorf("unexpected character %q", c)
	}
}

func (s *jsonScanner) literal(word string) error {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return s.errorf("invalid literal, want %s", word)
	}
	s.pos += len(word)
	return nil
}

func (s *jsonScanner) object(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, s.errorf("nested too deeply")
	}
	s.pos++ // '{'
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return NewMap(), nil
	}
	kb, vb := len(s.keys), len(s.vals)
	defer func() { s.keys, s.vals = s.keys[:kb], s.vals[:vb] }()
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return nil, s.errorf("expected a string key")
		}
		key, err := s.string()
		if err != nil {
			return nil, err
		}
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return nil, s.errorf("expected ':' after an object key")
		}
		s.pos++
		s.skipSpace()
		v, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		s.keys, s.vals = append(s.keys, key), append(s.vals, v)
		if done, err := s.next('}'); done || err != nil {
			if err != nil {
				return nil, err
			}
			m := newMapSized(len(s.keys) - kb)
			for i, k := range s.keys[kb:] {
				m.Set(k, s.vals[vb+i]) // a repeated key keeps its first place, the last value
			}
			return m, nil
		}
	}
}

func (s *jsonScanner) array(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, s.errorf("nested too deeply")
	}
	s.pos++ // '['
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return []any{}, nil
	}
	base := len(s.vals)
	defer func() { s.vals = s.vals[:base] }()
	for {
		s.skipSpace()
		v, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		s.vals = append(s.vals, v)
		if done, err := s.next(']'); done || err != nil {
			if err != nil {
				return nil, err
			}
			return append([]any(nil), s.vals[base:]...), nil
		}
	}
}

// next consumes the ',' before another element, or the closing delimiter.
func (s *jsonScanner) next(closing byte) (done bool, err error) {
	s.skipSpace()
	if s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ',':
			s.pos++
			return false, nil
		case closing:
			s.pos++
			return true, nil
		}
	}
	return true, s.errorf("expected ',' or %q", closing)
}

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)? as json.Number.
func (s *jsonScanner) number() (any, error) {
	start := s.pos
	if s.data[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.data) && s.data[s.pos] == '0':
		s.pos++
	case s.digits() == 0:
		return nil, s.errorf("invalid number")
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return nil, s.errorf("invalid number: no digits after '.'")
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return nil, s.errorf("invalid number: no digits in the exponent")
		}
	}
	return json.Number(s.data[start:s.pos]), nil
}

func (s *jsonScanner) digits() int {
	n := 0
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
		n++
	}
	return n
}

// string reads a quoted string. The common case, no escapes and valid
// UTF-8, is one slice conversion.
func (s *jsonScanner) string() (string, error) {
	s.pos++ // opening quote
	start, ascii := s.pos, true
	for i := s.pos; i < len(s.data); i++ {
		switch c := s.data[i]; {
		case c == '"':
			if ascii || utf8.Valid(s.data[start:i]) {
				s.pos = i + 1
				return string(s.data[start:i]), nil
			}
			return s.unescape(start)
		case c == '\\':
			return s.unescape(start)
		case c < 0x20:
			s.pos = i
			return "", s.errorf("control character %q in a string", c)
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	s.pos = len(s.data)
	return "", s.errorf("unterminated string")
}

// unescape reads the string starting at start the slow way.
func (s *jsonScanner) unescape(start int) (string, error) {
	b := make([]byte, 0, len(s.data)-start)
	i := start
	for i < len(s.data) {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return string(b), nil
		case c < 0x20:
			s.pos = i
			return "", s.errorf("control character %q in a string", c)
		case c == '\\':
			var err error
			if b, i, err = s.escape(b, i); err != nil {
				return "", err
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(s.data[i:]) // RuneError for invalid bytes
			b = utf8.AppendRune(b, r)
			i += size
		}
	}
	s.pos = len(s.data)
	return "", s.errorf("unterminated string")
}

// escape appends the character the escape sequence at data[i] stands for and
// returns the index after it.
func (s *jsonScanner) escape(b []byte, i int) ([]byte, int, error) {
	if i+1 >= len(s.data) {
		s.pos = i
		return b, i, s.errorf("unterminated escape")
	}
	switch c := s.data[i+1]; c {
	case '"', '\\', '/':
		return append(b, c), i + 2, nil
	case 'b':
		return append(b, '\b'), i + 2, nil
	case 'f':
		return append(b, '\f'), i + 2, nil
	case 'n':
		return append(b, '\n'), i + 2, nil
	case 'r':
		return append(b, '\r'), i + 2, nil
	case 't':
		return append(b, '\t'), i + 2, nil
	case 'u':
		r := hex4(s.data[i:])
		if r < 0 {
			s.pos = i
			return b, i, s.errorf(`invalid \u escape`)
		}
		i += 6
		if utf16.IsSurrogate(r) {
			// A valid pair is one character; a lone half is U+FFFD and the
			// escape after it, if any, is read on its own.
			if r2 := hex4(s.data[i:]); r2 >= 0 {
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					return utf8.AppendRune(b, pair), i + 6, nil
				}
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(b, r), i, nil
	}
	s.pos = i
	return b, i, s.errorf("invalid escape %q", s.data[i:i+2])
}

// hex4 reads the escape `\uXXXX` at the start of p; -1 if there is none.
func hex4(p []byte) rune {
	if len(p) < 6 || p[0] != '\\' || p[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range p[2:6] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// marshalJSON is json.Marshal without its second pass over a Marshaler's
// output (every goformation resource is one), which compacts and validates
// it: decodeJSON accepts whitespace and validates anyway.
func marshalJSON(v any) ([]byte, error) {
	m, ok := v.(json.Marshaler)
	if !ok {
		return json.Marshal(v)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return json.Marshal(v) // "null", where calling the method could panic
	}
	return m.MarshalJSON()
}

// normalize turns goformation's base64-encoded intrinsics and single-key
// function mappings into Fn values, recursively.
func normalize(v any, conditionContext bool) any {
	switch t := v.(type) {
	case string:
		if fn, ok := decodeGoformationReference(t); ok {
			return fn
		}
		if fn, ok := decodeGoformationIntrinsic(t); ok {
			if c, isCondition := fn.Get(FnCondition); isCondition { // Intrinsic("Condition", name)
				return Fn{Name: FnCondition, Arg: c}
			}
			return normalize(fn, conditionContext)
		}
		return v // not t: boxing the string again would allocate
	case []any:
		for i := range t {
			t[i] = normalize(t[i], conditionContext)
		}
		return v
	case *Map:
		if fn, ok := asFn(t, conditionContext); ok {
			return normalizeFn(fn)
		}
		for i := range t.vals {
			t.vals[i] = normalize(t.vals[i], false)
		}
		return t
	case Fn:
		return normalizeFn(t)
	}
	return v
}

func normalizeFn(fn Fn) Fn {
	inConditions := fn.Name == FnAnd || fn.Name == FnOr || fn.Name == FnNot
	fn.Arg = normalize(fn.Arg, inConditions)
	if fn.Name == FnGetAtt {
		fn.Arg = splitGetAtt(fn.Arg)
	}
	return fn
}

// splitGetAtt accepts the "Res.Attr" short form and returns ["Res", "Attr"].
func splitGetAtt(arg any) any {
	s, ok := arg.(string)
	if !ok {
		return arg
	}
	res, attr, found := strings.Cut(s, ".")
	if !found {
		return arg
	}
	return []any{res, attr}
}

// decodeGoformationReference reads the two intrinsics most templates are
// made of, as goformation's Ref and GetAtt write them for a plain logical
// ID and attribute, without the JSON reader: the same Fn that
// decodeGoformationIntrinsic and normalize make of them, in a few
// allocations instead of a dozen. Anything else is left to them.
func decodeGoformationReference(s string) (Fn, bool) {
	const (
		refOpen, refClose       = `{ "Ref": "`, `" }`
		getAttOpen, getAttClose = `{ "Fn::GetAtt" : [ "`, `" ] }`
		getAttSeparator         = `", "`
	)
	var buf [192]byte
	if len(s) < 8 || len(s)%4 != 0 || !strings.HasPrefix(s, "ey") || base64.StdEncoding.DecodedLen(len(s)) > len(buf) {
		return Fn{}, false
	}
	n, err := base64.StdEncoding.Decode(buf[:], []byte(s))
	if err != nil {
		return Fn{}, false
	}
	text := buf[:n]
	if inner, ok := between(text, refOpen, refClose); ok && isPlainJSONText(inner) {
		return Fn{Name: FnRef, Arg: string(inner)}, true
	}
	if inner, ok := between(text, getAttOpen, getAttClose); ok {
		res, attr, found := bytes.Cut(inner, []byte(getAttSeparator))
		if found && isPlainJSONText(res) && isPlainJSONText(attr) {
			return Fn{Name: FnGetAtt, Arg: []any{string(res), string(attr)}}, true
		}
	}
	return Fn{}, false
}

// between is the text between open and close when text is exactly that.
func between(text []byte, open, close string) ([]byte, bool) {
	if len(text) < len(open)+len(close) || string(text[:len(open)]) != open || string(text[len(text)-len(close):]) != close {
		return nil, false
	}
	return text[len(open) : len(text)-len(close)], true
}

// isPlainJSONText reports whether b reads the same as a JSON string's
// content and as Go's %q: printable ASCII without quotes or backslashes.
func isPlainJSONText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// decodeGoformationIntrinsic recognises the strings goformation's intrinsic
// helpers (cloudformation.Ref, Sub, GetAtt, ...) return: base64 of a JSON
// object whose single key is a function name.
func decodeGoformationIntrinsic(s string) (*Map, bool) {
	if len(s) < 8 || len(s)%4 != 0 || !strings.HasPrefix(s, "ey") { // "ey" is base64 for `{"` and `{ `
		return nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	tree, err := decodeJSON(raw)
	if err != nil {
		return nil, false
	}
	m, ok := tree.(*Map)
	if !ok || m.Len() != 1 || !(isFunctionName(m.keys[0]) || m.keys[0] == FnCondition) {
		return nil, false
	}
	sortSubVariables(m)
	return m, true
}

// sortSubVariables puts the variables of a decoded Fn::Sub in name order:
// goformation's SubVars writes them in Go's map order, which changes from
// one run to the next, and a template must render the same every time.
func sortSubVariables(m *Map) {
	arg, _ := m.Get(FnSub)
	parts, ok := arg.([]any)
	if !ok || len(parts) != 2 {
		return
	}
	if vars, ok := parts[1].(*Map); ok {
		vars.sortKeys(strings.Compare)
	}
}
