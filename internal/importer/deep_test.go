package importer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// deepTemplate is a JSON template whose values nest depth levels in each of
// the ways a template can: mappings, lists, and functions inside functions
// (which goformation's helpers would encode again at every level).
func deepTemplate(depth int) []byte {
	m, l, f := `"x"`, `"x"`, `{"Ref": "AWS::Region"}`
	for range depth {
		m = `{"a": ` + m + `}`
		l = `[` + l + `]`
	}
	for range depth / 3 {
		f = `{"Fn::Join": ["", ["a", ` + f + `]]}`
	}
	return []byte(fmt.Sprintf(`{"Resources": {
  "Topic": {"Type": "AWS::SNS::Topic", "Metadata": {"m": %s, "l": %s}, "Properties": {"TopicName": %s}},
  "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": %s}}
}}`, m, l, f, m))
}

// TestImportDeepIsLinear: the Go written for a deeply nested template grows
// linearly with its depth (it grew with the square, and nested helpers
// exponentially: a 6 KB template took 56 s and wrote 9 MB).
func TestImportDeepIsLinear(t *testing.T) {
	size := map[int]int{}
	for _, depth := range []int{100, 200, 400} {
		in := deepTemplate(depth)
		out, err := Import("deep.json", "deep", in, Options{Rules: templates.EngineRules()})
		if err != nil {
			t.Fatalf("depth %d: %v", depth, err)
		}
		size[depth] = len(out)
		if len(out) > 12*len(in) {
			t.Errorf("depth %d: %d bytes of Go for a %d-byte template, want at most 12 times as much", depth, len(out), len(in))
		}
	}
	if r := float64(size[400]) / float64(size[200]); r > 2.3 {
		t.Errorf("doubling the depth from 200 to 400 grew the Go %.1f times (%d to %d bytes): not linear", r, size[200], size[400])
	}
	out, _ := Import("deep.json", "deep", deepTemplate(30), Options{Rules: templates.EngineRules()})
	if !strings.Contains(string(out), "func() any {") || strings.Count(string(out), "\t\t\t\t\t\t\t\t\t\t") > 0 {
		t.Errorf("a deep value is not written bottom-up, one shallow statement a level:\n%s", out)
	}
}

// BenchmarkImportDeep imports a template nested 300 levels deep (about
// 6 KB of JSON).
func BenchmarkImportDeep(b *testing.B) {
	data := deepTemplate(deepBench)
	b.SetBytes(int64(len(data)))
	for range b.N {
		if _, err := Import("deep.json", "deep", data, Options{Rules: templates.EngineRules()}); err != nil {
			b.Fatal(err)
		}
	}
}

var deepBench = 300
