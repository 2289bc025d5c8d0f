package templates

import (
	"reflect"
	"testing"
)

const treeYAML = `
Rules:
  Conditional:
    RuleCondition: !Equals [!Ref Stage, prod]
    Assertions:
      - Assert: !Equals [!Ref AWS::Region, eu-west-1]
  NotAnAssertion:
    Assertions:
      - Assert: !Equals [!Ref Stage, prod]
  Pinned:
    Assertions:
      - Assert: !Equals [us-east-1, !Ref AWS::Region]
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deployer
      Tags: [a, b]
      Nested: {Deep: {Leaf: text}}
  Broken: not a mapping
  Untyped:
    Properties: [1]
  Alarm:
    Type: AWS::CloudWatch::Alarm
`

func parseTree(t *testing.T, text string) *Map {
	t.Helper()
	tree, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestResourcesReadsDeclarationOrderAndSkipsNonMappings(t *testing.T) {
	tree := parseTree(t, treeYAML)
	var ids, types []string
	for _, r := range Resources(tree) {
		ids, types = append(ids, r.ID), append(types, r.Type)
		if r.Properties == nil || r.Body == nil {
			t.Errorf("%s: Body and Properties must never be nil", r.ID)
		}
	}
	if want := []string{"Queue", "Role", "Untyped", "Alarm"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	if want := []string{"AWS::SQS::Queue", "AWS::IAM::Role", "", "AWS::CloudWatch::Alarm"}; !reflect.DeepEqual(types, want) {
		t.Errorf("types = %v, want %v", types, want)
	}
	var of []string
	for _, r := range ResourcesOfType(tree, "AWS::CloudWatch::Alarm", "AWS::SQS::Queue") {
		of = append(of, r.ID)
	}
	if want := []string{"Queue", "Alarm"}; !reflect.DeepEqual(of, want) {
		t.Errorf("ResourcesOfType = %v, want %v", of, want)
	}
	if Resources(NewMap()) != nil {
		t.Error("a template without Resources has no resources")
	}
}

func TestPathAccessors(t *testing.T) {
	role := ValueAt(parseTree(t, treeYAML), "Resources", "Role")
	var nilMap *Map
	for _, c := range []struct {
		name   string
		v      any
		path   []string
		value  any
		found  bool
		str    string
		listed int
	}{
		{"string", role, []string{"Properties", "RoleName"}, "deployer", true, "deployer", 0},
		{"nested", role, []string{"Properties", "Nested", "Deep", "Leaf"}, "text", true, "text", 0},
		{"list", role, []string{"Properties", "Tags"}, []any{"a", "b"}, true, "", 2},
		{"missing key", role, []string{"Properties", "Nope"}, nil, false, "", 0},
		{"through a scalar", role, []string{"Type", "X"}, nil, false, "", 0},
		{"through a list", role, []string{"Properties", "Tags", "0"}, nil, false, "", 0},
		{"empty path", "x", nil, "x", true, "x", 0},
		{"nil", nil, []string{"A"}, nil, false, "", 0},
		{"nil *Map", nilMap, []string{"A"}, nil, false, "", 0},
	} {
		value, found := Lookup(c.v, c.path...)
		if !reflect.DeepEqual(value, c.value) || found != c.found {
			t.Errorf("%s: Lookup = %v, %v; want %v, %v", c.name, value, found, c.value, c.found)
		}
		if got := ValueAt(c.v, c.path...); !reflect.DeepEqual(got, c.value) {
			t.Errorf("%s: ValueAt = %v, want %v", c.name, got, c.value)
		}
		if got := StringAt(c.v, c.path...); got != c.str {
			t.Errorf("%s: StringAt = %q, want %q", c.name, got, c.str)
		}
		if got := ListAt(c.v, c.path...); len(got) != c.listed {
			t.Errorf("%s: ListAt = %v, want %d items", c.name, got, c.listed)
		}
	}
}

func TestAsMapIsNeverNil(t *testing.T) {
	var nilMap *Map
	m := NewMap()
	m.Set("k", 1)
	for _, c := range []struct {
		v    any
		keys int
	}{{m, 1}, {nil, 0}, {nilMap, 0}, {"text", 0}, {[]any{m}, 0}} {
		if got := AsMap(c.v); got == nil || got.Len() != c.keys {
			t.Errorf("AsMap(%#v) = %v, want a mapping with %d keys", c.v, got, c.keys)
		}
	}
}

func TestRefTarget(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{Fn{FnRef, "Bucket"}, "Bucket"},
		{Fn{FnGetAtt, []any{"Function", "Arn"}}, "Function"},
		{Fn{FnGetAtt, []any{"Function"}}, ""},
		{Fn{FnSub, "${Bucket}"}, ""},
		{Fn{FnRef, []any{"Bucket"}}, ""},
		{"Bucket", ""},
		{nil, ""},
	} {
		if got := RefTarget(c.v); got != c.want {
			t.Errorf("RefTarget(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestPinnedRegion(t *testing.T) {
	for _, c := range []struct {
		name, rules, want string
	}{
		{"region second", "R: {Assertions: [{Assert: !Equals [!Ref AWS::Region, us-east-1]}]}", "us-east-1"},
		{"region first", "R: {Assertions: [{Assert: !Equals [eu-west-1, !Ref AWS::Region]}]}", "eu-west-1"},
		{"conditional rule", "R: {RuleCondition: !Equals [a, a], Assertions: [{Assert: !Equals [!Ref AWS::Region, us-east-1]}]}", ""},
		{"other parameter", "R: {Assertions: [{Assert: !Equals [!Ref Stage, us-east-1]}]}", ""},
		{"not equals", "R: {Assertions: [{Assert: !Not [!Equals [!Ref AWS::Region, us-east-1]]}]}", ""},
		{"computed region", "R: {Assertions: [{Assert: !Equals [!Ref AWS::Region, !Ref Other]}]}", ""},
		{"second assertion", "R: {Assertions: [{Assert: !Equals [a, a]}, {Assert: !Equals [!Ref AWS::Region, ap-south-1]}]}", "ap-south-1"},
		{"no rules", "", ""},
	} {
		text := "Resources: {}\n"
		if c.rules != "" {
			text += "Rules:\n  " + c.rules + "\n"
		}
		if got := PinnedRegion(parseTree(t, text)); got != c.want {
			t.Errorf("%s: PinnedRegion = %q, want %q", c.name, got, c.want)
		}
	}
	if got := PinnedRegion(parseTree(t, treeYAML)); got != "us-east-1" {
		t.Errorf("PinnedRegion skips conditional rules and other assertions: got %q, want us-east-1", got)
	}
}
