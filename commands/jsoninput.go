package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// decodeJSON decodes one JSON document as formwork's inputs must be read:
// numbers stay the text they were written as (json.Number), a key given
// twice in one object is an error naming both lines, and nothing may
// follow the document.
func decodeJSON(data []byte) (any, error) {
	d := jsonReader{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	d.dec.UseNumber()
	v, err := d.value()
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return nil, errors.New("unexpected end of JSON input")
	case errors.As(err, &syntax): // its message quotes the character: perhaps one of a secret
		return nil, fmt.Errorf("a syntax error on line %d", 1+bytes.Count(data[:min(int(syntax.Offset), len(data))], []byte("\n")))
	case err != nil:
		return nil, err
	}
	if _, err := d.dec.Token(); err == nil {
		return nil, fmt.Errorf("line %d: more after the end of the document", d.line())
	}
	return v, nil
}

type jsonReader struct {
	dec  *json.Decoder
	data []byte
}

// line is the line the decoder has read up to.
func (d jsonReader) line() int {
	return 1 + bytes.Count(d.data[:d.dec.InputOffset()], []byte("\n"))
}

func (d jsonReader) value() (any, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return d.object()
		}
		return d.array()
	}
	return tok, nil
}

func (d jsonReader) object() (map[string]any, error) {
	out := map[string]any{}
	lines := map[string]int{}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // an object's members start with a string key
		line := d.line()
		if first, dup := lines[key]; dup {
			return nil, duplicateKeyError{fmt.Sprintf("%q is given twice, on lines %d and %d: keep one", key, first, line)}
		}
		lines[key] = line
		if out[key], err = d.value(); err != nil {
			return nil, err
		}
	}
	_, err := d.dec.Token() // }
	return out, err
}

func (d jsonReader) array() ([]any, error) {
	out := []any{}
	for d.dec.More() {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	_, err := d.dec.Token() // ]
	return out, err
}

// duplicateKeyError is valid JSON that formwork refuses: a key given twice
// (encoding/json would keep the last, another tool the first).
type duplicateKeyError struct{ msg string }

func (e duplicateKeyError) Error() string { return e.msg }
