package stacks

// Parser agreement: every golden template must mean the same thing to
// yaml.v3 (Go, YAML 1.2), PyYAML (YAML 1.1: cfn-lint, the AWS CLI), js-yaml
// (YAML 1.2: JavaScript tools) and the stack's own --format json render. A string that one parser reads as a
// boolean, a number or a date would deploy something else than the review
// showed.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/ssm"
	"gopkg.in/yaml.v3"

	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// decodeYAMLv3 decodes a template with yaml.v3 into plain JSON-like values
// (map[string]any, []any, string, float64, bool, nil), short-form tags
// turned into their long form, as CloudFormation reads them.
func decodeYAMLv3(data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		return nil, nil
	}
	return fromNode(&doc)
}

func fromNode(n *yaml.Node) (any, error) {
	where := func(format string, args ...any) error {
		return fmt.Errorf("line %d: "+format, append([]any{n.Line}, args...)...)
	}
	if n.Kind == yaml.DocumentNode {
		return fromNode(n.Content[0])
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return nil, where("anchors and aliases are not allowed in templates")
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return intrinsic(n)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
				return nil, where("key %q is not a string (%s)", k.Value, k.ShortTag())
			}
			if k.Value == "<<" && k.Style == 0 {
				return nil, where("merge keys are not allowed in templates")
			}
			if _, dup := m[k.Value]; dup {
				return nil, where("duplicate key %q", k.Value)
			}
			val, err := fromNode(v)
			if err != nil {
				return nil, err
			}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromNode(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, where("%v", err)
	}
	return normalize(v), nil
}

// intrinsic decodes a short-form tag: !GetAtt A.B is ["A", "B"], !Ref and
// !Condition keep their names, every other tag is Fn::<tag>.
func intrinsic(n *yaml.Node) (any, error) {
	name := strings.TrimPrefix(n.Tag, "!")
	if name != "Ref" && name != "Condition" {
		name = "Fn::" + name
	}
	if n.Kind == yaml.ScalarNode {
		if name == "Fn::GetAtt" {
			parts := strings.SplitN(n.Value, ".", 2)
			out := make([]any, len(parts))
			for i, p := range parts {
				out[i] = p
			}
			return map[string]any{name: out}, nil
		}
		return map[string]any{name: n.Value}, nil
	}
	plain := *n
	plain.Tag = ""
	v, err := fromNode(&plain)
	if err != nil {
		return nil, err
	}
	return map[string]any{name: v}, nil
}

// normalize makes numbers float64 and marks values JSON has no type for, so
// that they cannot compare equal to a string.
func normalize(v any) any {
	switch t := v.(type) {
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return map[string]any{"$yaml": "float", "value": fmt.Sprint(t)}
		}
		return t
	case time.Time:
		return map[string]any{"$yaml": "timestamp", "value": t.Format(time.RFC3339)}
	case []byte:
		return map[string]any{"$yaml": "binary", "value": fmt.Sprintf("%x", t)}
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return map[string]any{"$json": "number", "value": t.String()}
		}
		return f
	case map[string]any:
		for k, x := range t {
			t[k] = normalize(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = normalize(x)
		}
		return t
	}
	return v
}

// decodeJSON decodes the --format json render the same way.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalize(v), nil
}

// decodePyYAML decodes files with PyYAML in one python process.
func decodePyYAML(t *testing.T, files []string) map[string]any {
	t.Helper()
	return decodeWith(t, python(t), pyyamlDecoder, files)
}

// decodeJSYAML decodes files with js-yaml in one node process.
func decodeJSYAML(t *testing.T, files []string) map[string]any {
	t.Helper()
	return decodeWith(t, node(t), jsYAMLDecoder, files)
}

// decodeWith runs a decoder script that prints {file: decoded}.
func decodeWith(t *testing.T, interpreter, script string, files []string) map[string]any {
	t.Helper()
	cmd := exec.Command(interpreter, append([]string{script}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", script, err, stderr.String())
	}
	decoded, err := decodeJSON(out)
	if err != nil {
		t.Fatalf("%s printed no JSON: %v", script, err)
	}
	m, ok := decoded.(map[string]any)
	if !ok {
		t.Fatalf("%s printed %T, want an object", script, decoded)
	}
	return m
}

// firstDifference names the first path where a and b differ, or "".
func firstDifference(a, b any, path string) string {
	if path == "" {
		path = "$"
	}
	switch ta := a.(type) {
	case map[string]any:
		tb, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %s versus %s", path, show(a), show(b))
		}
		keys := map[string]bool{}
		for k := range ta {
			keys[k] = true
		}
		for k := range tb {
			keys[k] = true
		}
		for _, k := range sortedSet(keys) {
			va, inA := ta[k]
			vb, inB := tb[k]
			if !inA || !inB {
				return fmt.Sprintf("%s.%s: %s versus %s", path, k, showMissing(va, inA), showMissing(vb, inB))
			}
			if d := firstDifference(va, vb, path+"."+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		tb, ok := b.([]any)
		if !ok || len(ta) != len(tb) {
			return fmt.Sprintf("%s: %s versus %s", path, show(a), show(b))
		}
		for i := range ta {
			if d := firstDifference(ta[i], tb[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%s: %s versus %s", path, show(a), show(b))
	}
	return ""
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil || len(b) > 120 {
		return fmt.Sprintf("%T", v)
	}
	return fmt.Sprintf("%s (%T)", b, v)
}

func showMissing(v any, present bool) string {
	if !present {
		return "missing"
	}
	return show(v)
}

// readers holds what the other parsers made of each file.
type readers struct{ pyyaml, jsyaml map[string]any }

func readAll(t *testing.T, files []string) readers {
	t.Helper()
	return readers{decodePyYAML(t, files), decodeJSYAML(t, files)}
}

// TestParsersAgreeOnGoldenTemplates decodes each golden template with
// yaml.v3, PyYAML and js-yaml and compares all three with the stack's JSON
// render.
func TestParsersAgreeOnGoldenTemplates(t *testing.T) {
	files := goldenTemplates(t)
	if len(files) == 0 {
		return
	}
	others := readAll(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			stack, ok := lookup(name)
			if !ok {
				t.Fatalf("golden/%s.yaml has no stack in the catalogue", name)
			}
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			jsonBody, err := stack.Render(templates.JSON, rules.All())
			if err != nil {
				t.Fatal(err)
			}
			agree(t, file, body, jsonBody, others)
		})
	}
}

// agree checks that yaml.v3, PyYAML, js-yaml and the JSON render decode to
// the same value.
func agree(t *testing.T, file string, yamlBody, jsonBody []byte, others readers) {
	t.Helper()
	fromGo, err := decodeYAMLv3(yamlBody)
	if err != nil {
		t.Fatalf("%s: yaml.v3 rejects it: %v", file, err)
	}
	fromJSON, err := decodeJSON(jsonBody)
	if err != nil {
		t.Fatalf("%s: the --format json render is not JSON: %v", file, err)
	}
	for _, other := range []struct {
		name  string
		value any
	}{{"PyYAML", others.pyyaml[file]}, {"js-yaml", others.jsyaml[file]}} {
		if m, ok := other.value.(map[string]any); ok && len(m) == 1 && m["error"] != nil {
			t.Errorf("%s: %s rejects it: %v", file, other.name, m["error"])
			continue
		}
		if d := firstDifference(fromGo, other.value, ""); d != "" {
			t.Errorf("%s: yaml.v3 and %s read it differently at %s", file, other.name, d)
		}
	}
	if d := firstDifference(fromGo, fromJSON, ""); d != "" {
		t.Errorf("%s: the YAML (yaml.v3) and the --format json render differ at %s", file, d)
	}
}

// yaml11Traps are strings that some YAML reader resolves to something else
// when they are written plain: YAML 1.1 booleans, octal, sexagesimal, dates,
// null, numbers in every base, and text starting with an indicator.
var yaml11Traps = []string{
	"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
	"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "",
	"0", "-0", "+1", "0755", "0o755", "0x1F", "0X1f", "0b101", "1_000", "1_000.5", "1e3", "1E3", "1.5e-3",
	"1.", ".5", "+.5", "3.14", ".inf", "-.Inf", "+.INF", ".nan", ".NaN",
	"12:30", "1:20:30.5", "190:20:30", "-12:30",
	"2024-01-01", "2024-1-1", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00", "2024-01-01t10:00:00.5+02:00",
	"<<", "=",
	"*alias", "&anchor", "!tag", "!!str", "%directive", "@at", "`backtick", "|pipe", "> folded", "'single", "\"double",
	"#hash", "- dash", "-", "? q", "?", ": colon", ":", ",comma", "[list]", "{map}", "a: b", "a #b", "key:",
	" leading space", "trailing space ", "tab\there", "back\\slash", "unicode é ✓", "nel\u0085char", "line\u2028sep",
	"multi\nline", "multi\nline\n", "keep\n\n\n", "  indented\nfirst line", "trailing \nspace",
	"def f():\n    pass\n\n\ndef g():\n    pass\n", "blank\n\nline", "ends\n\n", "\nstarts with newline",
	"tab\n\tindented", "crlf\r\nline", "\n", "\n\n", " \n", "x\n ", "#!/bin/sh\necho ok\n",
	"arn:aws:s3:::bucket/*", "123456789012", "012345678901", "1.0", "10:00", "*", "**/*.go",
	strings.Repeat("long words and: colons # hashes ", 12), "\"" + strings.Repeat("quoted ", 30) + "\"",
	"${AWS::Region}", "0.0.0.0/0", "rate(5 minutes)", "cron(0 12 * * ? *)", "=~", "null ", "NaN",
}

// TestYAML11TrapsRoundTrip renders every trap through the engine, as a value,
// as a key and inside !Sub, and checks that yaml.v3, PyYAML and the JSON
// render all read back the exact string (and PyYAML and js-yaml agree).
func TestYAML11TrapsRoundTrip(t *testing.T) {
	tmpl := templates.New("yaml-traps", "YAML 1.1 trap strings: "+strings.Repeat("a long description that a YAML emitter might fold ", 8))
	keys := map[string]any{}
	for i, s := range yaml11Traps {
		keys[fmt.Sprintf("%s/%d", s, i)] = s // a unique key that starts like the trap
		keys[s] = i
	}
	tmpl.Metadata("Values", yaml11Traps)
	tmpl.Metadata("Keys", keys)
	subs := make([]any, 0, len(yaml11Traps))
	for _, s := range yaml11Traps {
		if !strings.Contains(s, "${") {
			subs = append(subs, map[string]any{"Fn::Sub": s})
		}
	}
	tmpl.Metadata("Subs", subs)
	// Resources are spaced apart by blank lines: multi-line text there must
	// not gain or lose any.
	var params []string
	for i, s := range yaml11Traps {
		if strings.Contains(s, "\n") {
			id := fmt.Sprintf("Text%d", i)
			tmpl.Resource(id, &ssm.Parameter{Type: "String", Value: s}, "multi-line trap")
			params = append(params, id, s)
		}
	}
	yamlBody, err := templates.Render(tmpl, templates.YAML, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	jsonBody, err := templates.Render(tmpl, templates.JSON, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "yaml-traps.yaml")
	if err := os.WriteFile(file, yamlBody, 0o644); err != nil {
		t.Fatal(err)
	}
	agree(t, file, yamlBody, jsonBody, readAll(t, []string{file}))

	// Beyond agreeing, every reader must give back the exact strings.
	fromGo, err := decodeYAMLv3(yamlBody)
	if err != nil {
		t.Fatal(err)
	}
	md := fromGo.(map[string]any)["Metadata"].(map[string]any)
	values := md["Values"].([]any)
	for i, s := range yaml11Traps {
		if values[i] != s {
			t.Errorf("trap %q came back as %s", s, show(values[i]))
		}
	}
	resources := fromGo.(map[string]any)["Resources"].(map[string]any)
	for i := 0; i < len(params); i += 2 {
		got := resources[params[i]].(map[string]any)["Properties"].(map[string]any)["Value"]
		if got != params[i+1] {
			t.Errorf("multi-line %q in Resources came back as %s", params[i+1], show(got))
		}
	}
	var gotKeys []string
	for k := range md["Keys"].(map[string]any) {
		gotKeys = append(gotKeys, k)
	}
	var wantKeys []string
	for k := range keys {
		wantKeys = append(wantKeys, k)
	}
	sort.Strings(gotKeys)
	sort.Strings(wantKeys)
	if d := firstDifference(toAny(wantKeys), toAny(gotKeys), "keys"); d != "" {
		t.Errorf("trap keys came back different: %s", d)
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// TestParserAgreementCanFail proves the comparison is not vacuous: plain
// YAML 1.1 traps, written by hand, must make PyYAML and yaml.v3 disagree.
func TestParserAgreementCanFail(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hand-written.yaml")
	body := "A: yes\nB: 0o14\nC: 12:30\nD: 2024-01-01\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	fromPython := decodePyYAML(t, []string{file})[file].(map[string]any)
	fromGo, err := decodeYAMLv3([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"A", "B", "C", "D"} {
		if d := firstDifference(fromGo.(map[string]any)[k], fromPython[k], k); d == "" {
			t.Errorf("%s: yaml.v3 and PyYAML agree on a YAML 1.1 trap, so the agreement test would miss it", k)
		}
	}
	// js-yaml reads a date as a date, which must not pass for the string.
	fromJS := decodeJSYAML(t, []string{file})[file].(map[string]any)
	if d := firstDifference(fromGo.(map[string]any)["D"], fromJS["D"], "D"); d == "" {
		t.Errorf("yaml.v3 and js-yaml agree on an unquoted date, so the agreement test would miss it")
	}
}
