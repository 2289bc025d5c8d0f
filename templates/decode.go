package templates

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// decodeJSON reads one JSON value keeping mapping order and exact numbers.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return readObject(dec)
		}
		return readArray(dec)
	default:
		return t, nil // string, json.Number, bool or nil
	}
}

func readObject(dec *json.Decoder) (*Map, error) {
	m := NewMap()
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		v, err := readValue(dec)
		if err != nil {
			return nil, err
		}
		m.Set(tok.(string), v)
	}
	_, err := dec.Token() // '}'
	return m, err
}

func readArray(dec *json.Decoder) ([]any, error) {
	list := []any{}
	for dec.More() {
		v, err := readValue(dec)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	_, err := dec.Token() // ']'
	return list, err
}

// fromGo marshals any Go value (goformation resources, structs, maps) and
// returns it as a value tree with goformation's encoded intrinsics decoded.
func fromGo(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	tree, err := decodeJSON(data)
	if err != nil {
		return nil, err
	}
	return normalize(tree, false), nil
}

// normalize turns goformation's base64-encoded intrinsics and single-key
// function mappings into Fn values, recursively.
func normalize(v any, conditionContext bool) any {
	switch t := v.(type) {
	case string:
		if fn, ok := decodeGoformationIntrinsic(t); ok {
			return normalize(fn, conditionContext)
		}
		return t
	case []any:
		for i := range t {
			t[i] = normalize(t[i], conditionContext)
		}
		return t
	case *Map:
		if fn, ok := asFn(t, conditionContext); ok {
			return normalizeFn(fn)
		}
		for _, k := range t.keys {
			t.vals[k] = normalize(t.vals[k], false)
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
	if !ok || m.Len() != 1 || !isFunctionName(m.keys[0]) {
		return nil, false
	}
	return m, true
}
