package templates

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// yamlToPlain decodes YAML written by the engine into plain Go values
// (map[string]any, []any, string, float64, bool, nil) with every short-form
// tag expanded to its long form, as CloudFormation reads it.
func yamlToPlain(t *testing.T, data []byte) any {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("emitted YAML does not parse: %v\n%s", err, data)
	}
	return nodeToPlain(t, doc.Content[0])
}

func nodeToPlain(t *testing.T, n *yaml.Node) any {
	t.Helper()
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i < len(n.Content); i += 2 {
			m[n.Content[i].Value] = nodeToPlain(t, n.Content[i+1])
		}
		v = m
	case yaml.SequenceNode:
		list := []any{}
		for _, c := range n.Content {
			list = append(list, nodeToPlain(t, c))
		}
		v = list
	case yaml.ScalarNode:
		if strings.HasPrefix(n.Tag, "!!") || n.Tag == "" {
			if err := n.Decode(&v); err != nil {
				t.Fatalf("scalar %q: %v", n.Value, err)
			}
			if num, ok := v.(int); ok {
				v = float64(num)
			}
		} else {
			v = n.Value
		}
	}
	long, tagged := longNames[n.Tag]
	if !tagged {
		return v
	}
	if long == FnGetAtt {
		if s, ok := v.(string); ok {
			res, attr, _ := strings.Cut(s, ".")
			v = []any{res, attr}
		}
	}
	return map[string]any{long: v}
}

// jsonToPlain decodes JSON into the same plain values.
func jsonToPlain(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("emitted JSON does not parse: %v\n%s", err, data)
	}
	return v
}

// mapOf builds an ordered map from key, value pairs.
func mapOf(kv ...any) *Map {
	m := NewMap()
	for i := 0; i < len(kv); i += 2 {
		m.Set(kv[i].(string), kv[i+1])
	}
	return m
}

func mustYAML(t *testing.T, m *Map) string {
	t.Helper()
	b, err := encodeYAML(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// canonicalText is v as indented JSON, for comparing parsed trees.
func canonicalText(v any) string {
	var b bytes.Buffer
	if err := writeJSON(&b, v, 0); err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}
