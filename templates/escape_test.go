package templates

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"gopkg.in/yaml.v3"
)

func renderYAML(t *testing.T, tmpl *Template) string {
	t.Helper()
	out, err := Render(tmpl, YAML, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestUntypedResourceIsWrittenAsGiven(t *testing.T) {
	tmpl := New("untyped", "")
	tmpl.Resource("Queue", &sqs.Queue{}, "")
	tmpl.Resource("Thing", &Untyped{
		Type:       "AWS::Brand::New",
		Attributes: map[string]any{"DependsOn": "Queue", "DeletionPolicy": "Retain"},
		Properties: map[string]any{"Name": cloudformation.Ref("Queue"), "Size": 3},
	}, "")
	tmpl.Resource("Bare", &Untyped{Type: "Custom::Bare"}, "")
	want := `  Thing:
    Type: AWS::Brand::New
    DependsOn: Queue
    DeletionPolicy: Retain
    Properties:
      Name: !Ref Queue
      Size: 3

  Bare:
    Type: Custom::Bare
`
	if got := renderYAML(t, tmpl); !strings.HasSuffix(got, want) {
		t.Errorf("got\n%s\nwant it to end with\n%s", got, want)
	}
}

func TestIntrinsicFitsWhereHelpersDo(t *testing.T) {
	tmpl := New("intrinsic", "")
	tmpl.Parameter("Subnets", cloudformation.Parameter{Type: "CommaDelimitedList"})
	tmpl.Condition("A", cloudformation.Equals(cloudformation.Ref("AWS::Region"), "eu-west-1"))
	tmpl.Condition("B", cloudformation.Not([]string{Condition("A")}))
	tmpl.Resource("Topic", &sns.Topic{
		DisplayName: cloudformation.String(Intrinsic("Fn::Length", cloudformation.Ref("Subnets"))),
		TopicName:   cloudformation.String(Intrinsic("Fn::Cidr", []any{"10.0.0.0/16", 4, 8})),
	}, "")
	got := renderYAML(t, tmpl)
	for _, want := range []string{"B: !Not\n    - !Condition A", "DisplayName:\n        Fn::Length: !Ref Subnets", "TopicName: !Cidr\n        - 10.0.0.0/16\n        - 4\n        - 8"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}

func TestWaiveAcceptsOneRuleOnOneEntry(t *testing.T) {
	build := func(waive func(*Template)) error {
		tmpl := New("waived", "")
		tmpl.Resource("Topic", &sns.Topic{TopicName: cloudformation.RefPtr("Missing")}, "")
		tmpl.Output("Gone", cloudformation.Output{Value: cloudformation.Ref("AlsoMissing")})
		waive(tmpl)
		_, err := Render(tmpl, YAML, EngineRules())
		return err
	}
	if err := build(func(t *Template) {
		t.Waive("Topic", "references_declared", "the transform creates it")
		t.Waive("Gone", "references_declared", "the transform creates it")
	}); err != nil {
		t.Errorf("both findings waived, still: %v", err)
	}
	err := build(func(t *Template) { t.Waive("Topic", "references_declared", "the transform creates it") })
	if err == nil || !strings.Contains(err.Error(), "Gone: Value") || strings.Contains(err.Error(), "Topic") {
		t.Errorf("want only the unwaived finding, got %v", err)
	}
	err = build(func(t *Template) { t.Waive("Topic", "logical_ids", "another rule") })
	if err == nil || !strings.Contains(err.Error(), "Topic: Properties.TopicName") || !strings.Contains(err.Error(), "excuses no finding on Topic") {
		t.Errorf("a waiver of another rule must not accept the finding, and says it excuses nothing: got %v", err)
	}
	err = build(func(t *Template) { t.Waive("Topic", "references_declared", "") })
	if err == nil || !strings.Contains(err.Error(), "has no reason") {
		t.Errorf("want a missing reason refused, got %v", err)
	}
}

func TestSectionAndForEach(t *testing.T) {
	tmpl := New("loops", "")
	tmpl.Transform([]any{"AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"})
	tmpl.Section("Globals", map[string]any{"Function": map[string]any{"Timeout": 10}})
	tmpl.ForEach("Resources", "Topics", "Name", []any{"Orders", "Refunds"},
		map[string]any{"${Name}Topic": map[string]any{"Type": "AWS::SNS::Topic"}})
	tmpl.Resource("Queue", &sqs.Queue{}, "")
	tmpl.ForEach("Outputs", "Arns", "Name", []any{"Orders"},
		map[string]any{"${Name}Arn": map[string]any{"Value": cloudformation.Ref("${Name}Topic")}})
	got := renderYAML(t, tmpl)
	for _, want := range []string{"Globals:\n  Function:\n    Timeout: 10\n\nResources:", "  Fn::ForEach::Topics:\n    - Name\n    - - Orders",
		"  Queue:\n    Type: AWS::SQS::Queue", "  Fn::ForEach::Arns:"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	bad := New("bad", "")
	bad.Section("Resources", map[string]any{})
	bad.ForEach("Conditions", "X", "I", []any{}, map[string]any{})
	_, err := bad.Tree()
	if err == nil || !strings.Contains(err.Error(), "use the Template method") || !strings.Contains(err.Error(), "in Resources or Outputs") {
		t.Errorf("want Section(Resources) and a loop in Conditions refused, got %v", err)
	}
}

func TestParseYAMLNodeReadsAsParse(t *testing.T) {
	src := []byte("Resources:\n  # a comment\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: !Ref D\n")
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	fromNode, err := ParseYAMLNode(&doc)
	if err != nil {
		t.Fatal(err)
	}
	fromText, _ := Parse(src)
	a, _ := Encode(fromNode, nil, JSON)
	b, _ := Encode(fromText, nil, JSON)
	if string(a) != string(b) {
		t.Errorf("ParseYAMLNode\n%s\nParse\n%s", a, b)
	}
}

func TestEntryIsWrittenAsGiven(t *testing.T) {
	tmpl := New("entries", "")
	tmpl.Entry("Parameters", "P", map[string]any{"Type": "String", "Description": nil})
	tmpl.Resource("Queue", &sqs.Queue{}, "")
	tmpl.Entry("Outputs", "O", map[string]any{"Value": cloudformation.Ref("Queue")})
	got := renderYAML(t, tmpl)
	for _, want := range []string{"  P:\n    Description: null\n    Type: String", "  O:\n    Value: !Ref Queue"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	bad := New("bad", "")
	bad.Entry("Resources", "X", map[string]any{})
	if _, err := bad.Tree(); err == nil || !strings.Contains(err.Error(), "Entry declares parameters and outputs") {
		t.Errorf("want Entry in Resources refused, got %v", err)
	}
}
