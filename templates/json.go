package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// encodeJSON writes the tree as JSON with long-form intrinsics, in the same
// order as the YAML, indented by two spaces.
func encodeJSON(root *Map) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, root, 0); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any, depth int) error {
	switch t := v.(type) {
	case *Map:
		if t.Len() == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			writeJSONString(b, k)
			b.WriteString(": ")
			if err := writeJSON(b, t.vals[i], depth+1); err != nil {
				return err
			}
		}
		newline(b, depth)
		b.WriteByte('}')
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, item := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			if err := writeJSON(b, item, depth+1); err != nil {
				return err
			}
		}
		newline(b, depth)
		b.WriteByte(']')
	case Fn:
		m := NewMap()
		m.Set(t.Name, t.Arg)
		return writeJSON(b, m, depth)
	case string:
		writeJSONString(b, t)
	case json.Number:
		b.WriteString(t.String())
	case bool:
		fmt.Fprint(b, t)
	case nil:
		b.WriteString("null")
	default:
		return fmt.Errorf("templates: unexpected %T in template tree", v)
	}
	return nil
}

func newline(b *bytes.Buffer, depth int) {
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("  ", depth))
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode appends a newline
}
