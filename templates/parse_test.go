package templates

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *Map {
	t.Helper()
	tree, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return tree
}

func TestParseShortAndLongFormAgree(t *testing.T) {
	short := `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub ${AWS::StackName}-site
      Tags:
        - Key: arn
          Value: !GetAtt Role.Arn
        - Key: endpoint
          Value: !GetAtt Cache.RedisEndpoint.Address
        - Key: env
          Value: !If [IsProd, !Ref Env, !Join ["-", [a, !Select [0, !GetAZs ""]]]]
        - Key: code
          Value:
            Fn::Base64: !Sub |
              echo ${AWS::Region}
Conditions:
  IsProd: !And [!Equals [!Ref Env, prod], !Condition Other]
`
	long := `{
  "Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {
    "BucketName": {"Fn::Sub": "${AWS::StackName}-site"},
    "Tags": [
      {"Key": "arn", "Value": {"Fn::GetAtt": ["Role", "Arn"]}},
      {"Key": "endpoint", "Value": {"Fn::GetAtt": ["Cache", "RedisEndpoint.Address"]}},
      {"Key": "env", "Value": {"Fn::If": ["IsProd", {"Ref": "Env"}, {"Fn::Join": ["-", ["a", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}]]}]}},
      {"Key": "code", "Value": {"Fn::Base64": {"Fn::Sub": "echo ${AWS::Region}\n"}}}
    ]}}},
  "Conditions": {"IsProd": {"Fn::And": [{"Fn::Equals": [{"Ref": "Env"}, "prod"]}, {"Condition": "Other"}]}}
}`
	a, b := mustParse(t, short), mustParse(t, long)
	if canonicalText(a) != canonicalText(b) {
		t.Errorf("short and long form differ:\n%s\n%s", canonicalText(a), canonicalText(b))
	}
	props, _ := Section(a, "Resources").Value("Bucket").(*Map).Get("Properties")
	name := props.(*Map).Value("BucketName")
	if fn, ok := name.(Fn); !ok || fn.Name != FnSub {
		t.Errorf("!Sub must parse to Fn{Fn::Sub}, got %#v", name)
	}
	cond := Section(a, "Conditions").Value("IsProd").(Fn).Arg.([]any)[1]
	if fn, ok := cond.(Fn); !ok || fn.Name != FnCondition || fn.Arg != "Other" {
		t.Errorf("!Condition inside !And must be Fn{Condition}, got %#v", cond)
	}
}

func TestParseScalars(t *testing.T) {
	tree := mustParse(t, `
A: 0x1F
B: 1_000
C: 1.50
D: "80"
E: true
F: ~
G: yes
H: 2024-01-01
I: !Ref AWS::NoValue
J: .inf
`)
	want := map[string]any{
		"A": json.Number("31"), "B": json.Number("1000"), "C": json.Number("1.50"), "D": "80",
		"E": true, "F": nil, "G": true, "H": "2024-01-01", "I": Fn{FnRef, "AWS::NoValue"}, "J": ".inf",
	}
	for k, w := range want {
		if got := tree.Value(k); got != w {
			t.Errorf("%s: got %#v, want %#v", k, got, w)
		}
	}
	if strings.Join(tree.Keys(), "") != "ABCDEFGHIJ" {
		t.Errorf("mapping order lost: %v", tree.Keys())
	}
}

// TestParseYAML11Booleans: CloudFormation reads plain yes/no/on/off/y/n (any
// case) as booleans; quoted or !!str-tagged they stay strings.
func TestParseYAML11Booleans(t *testing.T) {
	for src, want := range map[string]any{
		"yes": true, "Yes": true, "YES": true, "yEs": true, "on": true, "On": true, "ON": true, "y": true, "Y": true,
		"True": true, "tRUE": true, "no": false, "No": false, "NO": false, "off": false, "Off": false, "n": false,
		"N": false, "FALSE": false, `"Yes"`: "Yes", `'no'`: "no", "!!str yes": "yes", "yess": "yess", "nope": "nope",
		"[Yes, 'Yes']": []any{true, "Yes"},
	} {
		got := mustParse(t, "V: "+src+"\n").Value("V")
		if canonicalText(got) != canonicalText(want) || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
			t.Errorf("V: %s: got %#v, want %#v", src, got, want)
		}
	}
}

func TestParseAnchorsAndMerge(t *testing.T) {
	tree := mustParse(t, `
Base: &tags {Key: team, Value: web}
Merged:
  <<: *tags
  Value: api
Alias: *tags
`)
	merged := tree.Value("Merged").(*Map)
	if merged.Value("Key") != "team" || merged.Value("Value") != "api" {
		t.Errorf("merge key: got %s", canonicalText(merged))
	}
	if canonicalText(tree.Value("Alias")) != canonicalText(tree.Value("Base")) {
		t.Errorf("alias not resolved: %s", canonicalText(tree.Value("Alias")))
	}
}

func TestParseErrors(t *testing.T) {
	for src, want := range map[string]string{
		"":                           "empty",
		"- a\n- b\n":                 "mapping of sections",
		"A: 1\nA: 2\n":               `line 2: key "A" appears twice`,
		"A: [\n":                     "not a valid YAML template",
		"{\"A\": 1,\n\"B\": }":       "not a valid JSON template: line 2",
		"{\"A\": 1} {\"B\": 2}":      "not a valid JSON template",
		"Resources:\n  ? [a]\n  : b": "mapping key must be a plain string",
	} {
		_, err := Parse([]byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q): got %v, want an error containing %q", src, err, want)
		}
	}
}

// TestParseRoundTrip parses what the engine writes and gets the same tree.
func TestParseRoundTrip(t *testing.T) {
	src := mustParse(t, `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        ZipFile: !Sub |
          print("${AWS::Region}")
      Role: !GetAtt Role.Arn
      Timeout: 30
      Environment:
        Variables:
          FLAG: "yes"
          OTHER: "Off"
          SHORT: "n"
          BOOL: yes
`)
	for _, f := range []Format{YAML, JSON} {
		out, err := Encode(src, nil, f)
		if err != nil {
			t.Fatal(err)
		}
		back := mustParse(t, string(out))
		if canonicalText(back) != canonicalText(src) {
			t.Errorf("%s round trip changed the tree:\n%s", f, out)
		}
	}
}

func TestParseBillionLaughs(t *testing.T) {
	src := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for c := 'b'; c <= 'k'; c++ {
		prev := string(c - 1)
		src += fmt.Sprintf("%c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", c, c, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	if _, err := Parse([]byte(src)); err == nil || !strings.Contains(err.Error(), "aliases") {
		t.Errorf("want an error about aliases, got %v", err)
	}
}

func TestParseSectionIsNoFunction(t *testing.T) {
	tree, err := Parse([]byte("Resources:\n  Fn::Transform:\n    Name: AWS::Include\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := Section(tree, "Resources").Get("Fn::Transform"); !ok {
		t.Errorf("Resources: %#v, want a section holding Fn::Transform", tree.Value("Resources"))
	}
}

// TestParseNumbersAsCloudFormationReadsThem: numbers keep the text they
// were written as; a leading zero before non-octal digits, or 1.2's 0o
// notation, is text to YAML 1.1 and so to CloudFormation (the account id
// 098765432198 must not become 9.8765432198e+10), while 012 is YAML 1.1's
// octal 10.
func TestParseNumbersAsCloudFormationReadsThem(t *testing.T) {
	tree := mustParse(t, `
A: 098765432198
B: 012345678901
C: 0o17
D: 012
E: 123456789012345678901234567890
F: 1.50
G: 1e5
H: -08
`)
	want := map[string]any{
		"A": "098765432198", "B": "012345678901", "C": "0o17", "D": json.Number("10"),
		"E": json.Number("123456789012345678901234567890"), "F": json.Number("1.50"), "G": json.Number("1e5"), "H": "-08",
	}
	for k, w := range want {
		if got := tree.Value(k); got != w {
			t.Errorf("%s: got %#v, want %#v", k, got, w)
		}
	}
}
