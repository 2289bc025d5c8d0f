package templates

import (
	"testing"
	"unicode/utf8"
)

// FuzzStringRoundTrip checks that every string the engine writes, as a key, a
// value, a list item or a tagged !Sub, reads back as itself in YAML and JSON.
// Run it longer with: go test ./templates -run '^$' -fuzz FuzzStringRoundTrip
func FuzzStringRoundTrip(f *testing.F) {
	for _, seed := range []string{
		"", "yes", "No", "on", "OFF", "y", "~", "null", "0755", "0o17", "0x1F", "1_000", "1e3",
		"12:30", "2024-01-01", "*a", "&a", "!a", "%a", "@a", "`a`", "- a", "-a", "? a", ":a",
		"a: b", "a #b", " a", "a ", "a\nb", "a\nb\n", "a\n\n", "\n", "  x\ny\n", "a \nb\n",
		"\t", "a\x00b", "\ufeff", "héllo", "${!Literal}", "#!/bin/sh\necho $(date)\n", "'", `"`,
		"<<", "=", ".inf", ".NaN", "+1", "-.5", "1:2:3.5", "[a, b]", "{a: b}", "a,b", "|", ">",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("CloudFormation templates are UTF-8")
		}
		tree := mapOf(
			"Value", s,
			"List", []any{s},
			"Sub", Fn{FnSub, s},
		)
		tree.Set(s+"key", "k") // keys go through the same quoting
		out, err := encodeYAML(tree, nil)
		if err != nil {
			t.Fatalf("encode %q: %v", s, err)
		}
		got := yamlToPlain(t, out).(map[string]any)
		if got["Value"] != s {
			t.Errorf("value %q reads back as %#v\n%s", s, got["Value"], out)
		}
		if list := got["List"].([]any); list[0] != s {
			t.Errorf("list item %q reads back as %#v\n%s", s, list[0], out)
		}
		if sub := got["Sub"].(map[string]any)[FnSub]; sub != s {
			t.Errorf("!Sub %q reads back as %#v\n%s", s, sub, out)
		}
		if got[s+"key"] != "k" {
			t.Errorf("key %q does not read back\n%s", s+"key", out)
		}
		j, err := encodeJSON(tree)
		if err != nil {
			t.Fatal(err)
		}
		if jv := jsonToPlain(t, j).(map[string]any)["Value"]; jv != s {
			t.Errorf("JSON value %q reads back as %#v", s, jv)
		}
	})
}
