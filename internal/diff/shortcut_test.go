package diff

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

func TestIdentical(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"V: {A: 1, B: [x, !Ref C]}", "V: {A: 1, B: [x, !Ref C]}", true},
		{"V: null", "V: null", true},
		{"V: 80", `V: "80"`, false}, // the same value to sameValue, not written alike
		{"V: true", `V: "true"`, false},
		{"V: {A: 1, B: 2}", "V: {B: 2, A: 1}", false},
		{"V: [a, b]", "V: [b, a]", false},
		{"V: [a]", "V: [a, a]", false},
		{"V: !Ref A", "V: !Sub A", false},
		{"V: !Ref A", "V: !Ref B", false},
		{"V: {A: 1}", "V: {A: 1, B: 2}", false},
		{"V: {A: 1}", "V: [A]", false},
	} {
		a, b := parseValue(t, c.a), parseValue(t, c.b)
		if got := identical(a, b); got != c.want {
			t.Errorf("identical(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
		if c.want && !sameValue(a, b) {
			t.Errorf("%s and %s are identical but not the same value", c.a, c.b)
		}
	}
}

func parseValue(t *testing.T, text string) any {
	t.Helper()
	tree, err := templates.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return tree.Value("V")
}

// TestShortcutsChangeNothing: skipping the resources written alike on both
// sides (their changes and grants) and reading their exposure facts once
// changes no row, in any test case, the benchmark's pair and the cases
// where a resource written alike means something else.
func TestShortcutsChangeNothing(t *testing.T) {
	bases, _ := filepath.Glob(filepath.Join(diffTestdata, "*", "base.*"))
	if len(bases) == 0 {
		t.Fatal("no test cases")
	}
	pairs := map[string][2][]byte{}
	for _, file := range bases {
		base, head := readPair(t, filepath.Dir(file))
		pairs[filepath.Base(filepath.Dir(file))] = [2][]byte{base, head}
	}
	base, head := syntheticPair(100)
	pairs["synthetic"] = [2][]byte{base, head}
	base, head = renamedBuckets(base, head)
	pairs["synthetic, every bucket replaced"] = [2][]byte{base, head}
	// The policy is written alike on both sides, but its base side is
	// re-pointed at the bucket's new id: it is no longer unchanged.
	const policy = "  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Old\n" +
		"      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: s3:GetObject, Resource: !Sub '${Old.Arn}/*'}]}\n"
	const bucket = ":\n    Type: AWS::S3::Bucket\n    Properties: {Tags: [{Key: team, Value: data}]}\n"
	const ingress = "Resources:\n  Rule:\n    Type: AWS::EC2::SecurityGroupIngress\n" +
		"    Properties: {GroupId: sg-1, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}\n"
	pairs["a parameter default that opens a rule written alike"] = [2][]byte{
		[]byte("Parameters:\n  Cidr: {Type: String, Default: 10.0.0.0/8}\n" + ingress),
		[]byte("Parameters:\n  Cidr: {Type: String, Default: 0.0.0.0/0}\n" + ingress)}
	pairs["a stale reference to a renamed resource"] = [2][]byte{[]byte("Resources:\n  Old" + bucket + policy), []byte("Resources:\n  New" + bucket + policy)}
	skipped := 0
	for name, pair := range pairs {
		read := readSides(mustParse(t, pair[0]), mustParse(t, pair[1]))
		texts := newPolicyTexts()
		if base, head := texts.readPolicyTexts(mustParse(t, pair[0]), nil), texts.readPolicyTexts(mustParse(t, pair[1]), nil); !identical(read.base, base) || !identical(read.head, head) {
			t.Errorf("%s: reading the head with the base's readings changed what it reads", name)
		}
		resources := diffResources(templates.Section(read.base, "Resources"), templates.Section(read.head, "Resources"), changedDefaults(read.base, read.head), nil)
		renamed := renames(resources)
		accessBase := repoint(read.base, renamed)
		unchanged := stillUnchanged(read.unchanged, read.base, accessBase)
		skipped += len(unchanged)
		if fast, full := diffIAM(accessBase, read.head, renamed, unchanged), diffIAM(accessBase, read.head, renamed, nil); !reflect.DeepEqual(fast, full) {
			t.Errorf("%s: skipping %d unchanged resources changed the IAM rows:\nskipping: %+v\nreading all: %+v", name, len(unchanged), fast, full)
		}
		iam := diffIAM(accessBase, read.head, renamed, nil)
		if fast, full := diffExposure(accessBase, read.head, renamed, iam, unchanged), diffExposure(accessBase, read.head, renamed, iam, nil); !reflect.DeepEqual(fast, full) {
			t.Errorf("%s: reading the facts of %d unchanged resources once changed the exposure rows:\nonce: %+v\neach side: %+v", name, len(unchanged), fast, full)
		}
		if fast, full := diffResources(templates.Section(read.base, "Resources"), templates.Section(read.head, "Resources"), changedDefaults(read.base, read.head), read.unchanged), resources; !reflect.DeepEqual(fast, full) {
			t.Errorf("%s: skipping %d unchanged resources changed the resource rows:\nskipping: %+v\nreading all: %+v", name, len(unchanged), fast, full)
		}
	}
	if skipped == 0 {
		t.Error("no case has an unchanged resource: the shortcut is untested")
	}
}

func mustParse(t *testing.T, body []byte) *templates.Map {
	t.Helper()
	tree, err := templates.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestMentionsAny(t *testing.T) {
	renamed := map[string]string{"Old": "New", "AWS::Region": "x"}
	for text, want := range map[string]bool{
		"${Old}":              true,
		"arn:${Old.Arn}/*":    true,
		"${AWS::Region}":      true,
		"${Older}":            false,
		"${!Old}":             false,
		"$Old {Old}":          false,
		"${Other}-${Old":      true, // a name the regexp would not match: looking is cheap, not exact
		"":                    false,
		"${":                  false,
		"${Other} and ${Old}": true,
	} {
		if got := mentionsAny(text, renamed); got != want {
			t.Errorf("mentionsAny(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestEqualBodiesParsedOnce: a template diffed against the same bytes is
// parsed once, and diffs as two separate parses of it do.
func TestEqualBodiesParsedOnce(t *testing.T) {
	base, _ := syntheticPair(100)
	for i, body := range append(testdataBodies(t), base) {
		once, err := DiffTemplates("s", body, append([]byte(nil), body...))
		if err != nil {
			t.Fatal(err)
		}
		twice := DiffTrees("s", mustParse(t, body), mustParse(t, body))
		twice.Size = sizeDiff(body, body)
		if !reflect.DeepEqual(once, twice) || once.Changed() {
			t.Errorf("template %d: parsed once %+v, twice %+v", i, once, twice)
		}
	}
}

func testdataBodies(t *testing.T) [][]byte {
	files, _ := filepath.Glob(filepath.Join(diffTestdata, "*", "*.*"))
	var out [][]byte
	for _, file := range files {
		if name := filepath.Base(file); strings.HasPrefix(name, "base.") || strings.HasPrefix(name, "head.") {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, data)
		}
	}
	if len(out) == 0 {
		t.Fatal("no test templates")
	}
	return out
}
