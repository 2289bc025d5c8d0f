package templates

import (
	"reflect"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
)

// sample declares things out of alphabetical order on purpose.
func sample() *Template {
	t := New("sample", "A sample stack")
	t.Parameter("Zeta", cloudformation.Parameter{Type: "String"})
	t.Parameter("Alpha", cloudformation.Parameter{Type: "Number", Default: 5})
	t.ParameterGroup("Settings", "Zeta", "Alpha")
	t.Condition("HasZeta", cloudformation.Not([]string{cloudformation.Equals(cloudformation.Ref("Zeta"), "")}))
	t.Resource("Topic", &sns.Topic{}, "alarms go here")
	t.Resource("Queue", &sqs.Queue{
		AWSCloudFormationDeletionPolicy: policies.DeletionPolicy("Retain"),
		AWSCloudFormationDependsOn:      []string{"Topic"},
		AWSCloudFormationCondition:      "HasZeta",
		QueueName:                       cloudformation.String(cloudformation.Sub("${AWS::StackName}-${Zeta}")),
	}, "")
	t.Output("TopicArn", cloudformation.Output{Value: cloudformation.Ref("Topic")})
	t.Output("Alpha", cloudformation.Output{Value: cloudformation.Ref("Alpha")})
	return t
}

func TestCanonicalOrder(t *testing.T) {
	out, err := Render(sample(), YAML, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	want := `AWSTemplateFormatVersion: "2010-09-09"

Description: A sample stack

Metadata:
  AWS::CloudFormation::Interface:
    ParameterGroups:
      - Label:
          default: Settings
        Parameters:
          - Zeta
          - Alpha

Parameters:
  Zeta:
    Type: String

  Alpha:
    Type: Number
    Default: 5

Conditions:
  HasZeta: !Not
    - !Equals
      - !Ref Zeta
      - ""

Resources:
  # alarms go here
  Topic:
    Type: AWS::SNS::Topic

  Queue:
    Type: AWS::SQS::Queue
    Condition: HasZeta
    DependsOn:
      - Topic
    DeletionPolicy: Retain
    Properties:
      QueueName: !Sub ${AWS::StackName}-${Zeta}

Outputs:
  TopicArn:
    Value: !Ref Topic

  Alpha:
    Value: !Ref Alpha
`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestYAMLAndJSONDecodeToTheSameValue(t *testing.T) {
	y, err := Render(sample(), YAML, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	j, err := Render(sample(), JSON, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	if a, b := yamlToPlain(t, y), jsonToPlain(t, j); !reflect.DeepEqual(a, b) {
		t.Errorf("YAML and JSON differ:\nYAML %v\nJSON %v", a, b)
	}
	if !strings.Contains(string(j), `"Fn::Sub": "${AWS::StackName}-${Zeta}"`) {
		t.Errorf("JSON must use long-form intrinsics:\n%s", j)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	first, err := Render(sample(), YAML, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		again, _ := Render(sample(), YAML, EngineRules())
		if string(again) != string(first) {
			t.Fatalf("render %d differs from the first", i+2)
		}
	}
}

func TestOverrideReplacesATypedProperty(t *testing.T) {
	tp := New("o", "")
	tp.Parameter("Timeout", cloudformation.Parameter{Type: "Number"})
	tp.Resource("Fn", &lambda.Function{Role: "arn:aws:iam::1:role/r", Timeout: cloudformation.Int(3)}, "")
	tp.Override("Fn", "Properties.Timeout", cloudformation.Ref("Timeout"))
	tp.Override("Fn", "Properties.Environment.Variables.MODE", "fast")
	out, err := Render(tp, YAML, EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Timeout: !Ref Timeout\n", "Environment:\n        Variables:\n          MODE: fast\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	cases := []struct {
		name  string
		build func(*Template)
		want  string
	}{
		{"duplicate resource", func(t *Template) {
			t.Resource("A", &sns.Topic{}, "")
			t.Resource("A", &sns.Topic{}, "")
		}, "s: A: resource declared twice"},
		{"override of missing resource", func(t *Template) {
			t.Override("Nope", "Properties.X", 1)
		}, "s: Nope: Properties.X: override of a resource that is not declared"},
		{"override through a scalar", func(t *Template) {
			t.Resource("A", &sqs.Queue{QueueName: cloudformation.String("q")}, "")
			t.Override("A", "Properties.QueueName.X", 1)
		}, `s: A: Properties.QueueName.X: "QueueName" is not a mapping`},
		{"multi-line comment", func(t *Template) {
			t.Resource("A", &sns.Topic{}, "one\ntwo")
		}, "s: A: the comment must be one line of text, without control characters"},
		{"comment with carriage return", func(t *Template) {
			t.Resource("A", &sns.Topic{}, "one\rtwo")
		}, "s: A: the comment must be one line of text, without control characters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tp := New("s", "")
			c.build(tp)
			_, err := Render(tp, YAML, EngineRules())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, ok := range []string{"yaml", "json"} {
		if _, err := ParseFormat(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "use yaml or json") {
		t.Errorf("xml: got %v", err)
	}
}
