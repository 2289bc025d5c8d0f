package templates

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// jsonReference decodes data with encoding/json, the behaviour decodeJSON
// must match (numbers as json.Number).
func jsonReference(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if !json.Valid(data) {
		return nil, &json.SyntaxError{}
	}
	return v, nil
}

// treeToPlainJSON turns *Map into map[string]any so trees compare with
// encoding/json's result.
func treeToPlainJSON(v any) any {
	switch t := v.(type) {
	case *Map:
		m := map[string]any{}
		for _, k := range t.keys {
			m[k] = treeToPlainJSON(t.Value(k))
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, item := range t {
			out[i] = treeToPlainJSON(item)
		}
		return out
	}
	return v
}

func TestDecodeJSON(t *testing.T) {
	cases := []struct {
		in   string
		want any
	}{
		{`"plain"`, "plain"},
		{` { "b" : 1 , "a" : [ true , false , null ] } `, mapOf("b", json.Number("1"), "a", []any{true, false, nil})},
		{`{"z":1,"a":2,"m":3}`, mapOf("z", json.Number("1"), "a", json.Number("2"), "m", json.Number("3"))},
		{`{"a":1,"a":2}`, mapOf("a", json.Number("2"))},
		{`[]`, []any{}},
		{`{}`, NewMap()},
		{`[-0, 0.5, -1.25e+10, 3E-2, 12345678901234567890]`, []any{json.Number("-0"), json.Number("0.5"),
			json.Number("-1.25e+10"), json.Number("3E-2"), json.Number("12345678901234567890")}},
		{`"\"\\\/\b\f\n\r\t"`, "\"\\/\b\f\n\r\t"},
		{`"\u00e9\u20AC\u0000"`, "é€\x00"},
		{`"\ud83d\ude00"`, "😀"},
		{`"\ud83dx"`, "\ufffdx"},
		{`"\ude00\ud83d"`, "\ufffd\ufffd"},
		{`"\ud83d\u0041"`, "\ufffdA"},
		{"\"h\xffé\"", "h\ufffdé"},
		{"\t\r\n[1]\n", []any{json.Number("1")}},
	}
	for _, c := range cases {
		got, err := decodeJSON([]byte(c.in))
		if err != nil {
			t.Errorf("decodeJSON(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("decodeJSON(%q) = %#v, want %#v", c.in, got, c.want)
		}
		if ref, _ := jsonReference([]byte(c.in)); !reflect.DeepEqual(treeToPlainJSON(got), ref) {
			t.Errorf("decodeJSON(%q) = %#v, encoding/json reads %#v", c.in, got, ref)
		}
	}
}

func TestDecodeJSONRejectsInvalid(t *testing.T) {
	for _, in := range []string{
		``, ` `, `{`, `[`, `]`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{1:2}`, `{'a':1}`,
		`01`, `-`, `1.`, `.5`, `1e`, `1e+`, `+1`, `NaN`, `tru`, `nul`, `truex`, `"a`, `"\x"`, `"\u12"`,
		`"\u12G4"`, "\"a\nb\"", "\"\x00\"", `1 2`, `{} {}`, `"a"x`, `[1]]`,
	} {
		if v, err := decodeJSON([]byte(in)); err == nil {
			t.Errorf("decodeJSON(%q) = %#v, want an error", in, v)
		}
	}
	deep := bytes.Repeat([]byte("["), maxJSONDepth+1)
	if _, err := decodeJSON(deep); err == nil {
		t.Error("decodeJSON accepted nesting deeper than maxJSONDepth")
	}
}

// FuzzDecodeJSON checks decodeJSON against encoding/json: same acceptance,
// same values, and object keys in document order.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"Ref":"Bucket"}`, `{ "Fn::Sub" : [ "${A}" , { "A" : 1 } ] }`, `[1,-2.5e3,true,false,null,"x"]`,
		`"\ud83d\ude00\ud83d\u0041\ude00"`, "\"\xff\xfe\"", `{"a":1,"a":2,"b":{}}`, `"\/\b\f\n\r\t\"\\"`,
		`{"Fn::Join":["",["a",{"Ref":"B"}]]}`, `0`, `-0.0E-0`, ` [ ] `, `{"a" 1}`, `[01]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeJSON(data)
		want, refErr := jsonReference(data)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("decodeJSON(%q): error %v, encoding/json: %v", data, err, refErr)
		}
		if err != nil {
			return
		}
		if plain := treeToPlainJSON(got); !reflect.DeepEqual(plain, want) {
			t.Fatalf("decodeJSON(%q) = %#v, encoding/json reads %#v", data, plain, want)
		}
		checkKeyOrder(t, data, got) // order too: compare with the token reader
	})
}

// tokenDecodeJSON is the json.Decoder.Token reader decodeJSON replaced,
// kept as the reference for key order: on valid input both must build the
// same tree, *Map order included.
func tokenDecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return tokenValue(dec)
}

func tokenValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		m := NewMap()
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := tokenValue(dec)
			if err != nil {
				return nil, err
			}
			m.Set(key.(string), v)
		}
		_, err := dec.Token()
		return m, err
	case json.Delim('['):
		list := []any{}
		for dec.More() {
			v, err := tokenValue(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.Token()
		return list, err
	}
	return tok, nil
}

func checkKeyOrder(t *testing.T, data []byte, tree any) {
	t.Helper()
	ref, err := tokenDecodeJSON(data)
	if err != nil {
		t.Fatalf("json.Decoder.Token rejects valid %q: %v", data, err)
	}
	if !reflect.DeepEqual(tree, ref) {
		t.Fatalf("decodeJSON(%q) = %#v, the token reader builds %#v", data, tree, ref)
	}
}

// goformation's SubVars writes the variables in Go's map order; the render
// must not follow it.
func TestSubVarsRenderInNameOrder(t *testing.T) {
	vars := map[string]any{}
	for _, k := range []string{"Zeta", "Alpha", "Mid", "Beta", "Omega", "Kappa"} {
		vars[k] = "v" + k
	}
	want := ""
	for i := 0; i < 20; i++ {
		tmpl := New("sub", "")
		tmpl.Output("Joined", cloudformation.Output{Value: cloudformation.SubVars("${Alpha}${Beta}${Kappa}${Mid}${Omega}${Zeta}", vars)})
		out, err := Render(tmpl, YAML, EngineRules())
		if err != nil {
			t.Fatal(err)
		}
		if want == "" {
			want = string(out)
			if !strings.Contains(want, "- Alpha: vAlpha\n        Beta: vBeta\n") {
				t.Fatalf("variables not in name order:\n%s", want)
			}
		}
		if string(out) != want {
			t.Fatalf("render %d differs:\n%s\nfrom\n%s", i, out, want)
		}
	}
}

// The fast reading of goformation's Ref and GetAtt makes the very Fn the
// JSON reader makes, and leaves to it everything it does not read exactly:
// escapes, quotes, non-ASCII text, other functions, other spacing.
func TestGoformationReferenceFastPathAgreesWithTheReader(t *testing.T) {
	inputs := []string{
		cloudformation.Ref("Bucket"), cloudformation.Ref("AWS::Region"), cloudformation.Ref(""),
		cloudformation.GetAtt("Role", "Arn"), cloudformation.GetAtt("Db", "Endpoint.Address"), cloudformation.GetAtt("", ""),
		cloudformation.Ref(`a"b`), cloudformation.Ref(`a\b`), cloudformation.Ref("é"), cloudformation.Ref("tab\t"),
		cloudformation.GetAtt(`a", "b`, "c"), cloudformation.GetAtt("a", `b"`), cloudformation.GetAtt("ü", "Arn"),
		cloudformation.Sub("${Bucket}"), cloudformation.ImportValue("x"), cloudformation.Ref(strings.Repeat("R", 300)),
		base64.StdEncoding.EncodeToString([]byte(`{"Ref":"Bucket"}`)), "plain text", "eyJ",
	}
	for _, in := range inputs {
		fast, ok := decodeGoformationReference(in)
		slow, slowOK := decodeGoformationIntrinsic(in)
		if !ok {
			continue // the reader decides
		}
		if !slowOK {
			t.Errorf("%q: fast path read %#v, the reader reads no intrinsic", in, fast)
			continue
		}
		if want := normalize(slow, false); !reflect.DeepEqual(fast, want) {
			t.Errorf("%q: fast path %#v, reader %#v", in, fast, want)
		}
	}
	for _, in := range []string{cloudformation.Ref("Bucket"), cloudformation.GetAtt("Role", "Arn")} {
		if _, ok := decodeGoformationReference(in); !ok {
			t.Errorf("%q: the fast path does not read it", in)
		}
	}
	for _, in := range []string{cloudformation.Ref(`a"b`), cloudformation.Ref("é"), cloudformation.GetAtt(`a", "b`, "c"), cloudformation.Sub("x")} {
		if fn, ok := decodeGoformationReference(in); ok {
			t.Errorf("%q: the fast path read %#v, which needs the reader", in, fn)
		}
	}
}
