package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fastYAMLCorpus is every YAML template in the repository: the golden
// files formwork writes and the diff's hand-written test pairs.
func fastYAMLCorpus(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, pattern := range []string{"../golden/*.yaml", "diff/testdata/*/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = data
		}
	}
	return out
}

// fastYAMLSnippets are block-style documents at the edges of what the fast
// reader takes, and some it must decline.
var fastYAMLSnippets = []string{
	"A: 1\nB: yes\nC: \"yes\"\nD: 'it''s'\nE: ~\nF: 0x1F\nG: 1_000\nH: 2024-01-01\nI: .inf\nJ:\nK: -1\n",
	"A:\n- a\n- b\nB: x\n",
	"A:\n  - - a\n    - b\n  - c: 1\n    d: 2\n  -\n  - !Ref X\n",
	"A: !If\n  - C\n  - !Ref AWS::NoValue\n  - x\nB: !GetAtt R.Arn\nC: !Sub |\n  a ${X}\n\n  b\nD: !Foo::Bar\n  k: v\n",
	"A: |-\n  text\n    more\nB: |2\n    indented\n  line\nC: |\n  x\n\n\nD: 1\n",
	"# comment\nA: 1 # trailing comment\n",
	"A: [a, b]\n",
	"A: {k: v}\n",
	"A: &x 1\nB: *x\n",
	"A: plain\n  continued\n",
	"A: \"quoted\n  continued\"\n",
	"A: >\n  folded\n",
	"\"key: with colon\": \"\\u00e9\\t\\x41\"\nB: \"a \\\"q\\\"\"\n",
	"A:\n  B: 1\n C: 2\n",
	"A: 1\nA: 2\n",
	"---\nA: 1\n",
	"A: !Ref\nB: !Sub ''\nC: !Equals [a, b]\n",
	"A: |\n  x\n # not a comment\n",
	"Resources:\n  X:\n    Type: T\n    Properties:\n      P: - a\n",
	"A: b: c\n",
	"A: x:y\nB: http://example.com/a#b\nC: -x\n",
	"A:\n  -   B: 1\n      C: 2\n",
	"A: !Tag\n- a\n",
	"A: '\n",
	"A: ''''\n",
}

// TestFastYAMLAgrees: wherever the fast reader takes a document, it reads
// the same tree as yaml.v3; and it takes every golden file.
func TestFastYAMLAgrees(t *testing.T) {
	docs := map[string][]byte{}
	for name, data := range fastYAMLCorpus(t) {
		docs[name] = data
	}
	for i, s := range fastYAMLSnippets {
		docs["snippet "+string(rune('A'+i))] = []byte(s)
	}
	taken := 0
	for name, data := range docs {
		fast, ok := parseFastYAML(data)
		if !ok {
			if strings.HasPrefix(name, "../golden/") {
				t.Errorf("%s: the fast reader declines a golden file", name)
			}
			continue
		}
		taken++
		slow, err := parseYAML(data)
		if err != nil {
			t.Errorf("%s: the fast reader takes what yaml.v3 rejects (%v)", name, err)
			continue
		}
		if got, want := canonicalText(fast), canonicalText(slow); got != want {
			t.Errorf("%s: fast reader and yaml.v3 disagree:\nfast %s\nslow %s", name, got, want)
		}
	}
	if taken < len(docs)/2 {
		t.Errorf("the fast reader took %d of %d documents", taken, len(docs))
	}
}

// FuzzFastYAML: any document the fast reader takes reads as yaml.v3 reads it.
func FuzzFastYAML(f *testing.F) {
	for _, data := range fastYAMLCorpus(f) {
		f.Add(data)
	}
	for _, s := range fastYAMLSnippets {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := parseFastYAML(data)
		if !ok {
			return
		}
		slow, err := parseYAML(data)
		if err != nil {
			t.Fatalf("fast reader takes what yaml.v3 rejects (%v):\n%s", err, data)
		}
		if got, want := canonicalText(fast), canonicalText(slow); got != want {
			t.Fatalf("disagree on\n%s\nfast %s\nslow %s", data, got, want)
		}
	})
}
