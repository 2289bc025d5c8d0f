package templates

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
)

func TestReferenceChecks(t *testing.T) {
	cases := []struct {
		name  string
		build func(*Template)
		want  string // "" means no finding
	}{
		{"ref to parameter", func(t *Template) {
			t.Parameter("Email", cloudformation.Parameter{Type: "String"})
			t.Resource("Topic", &sns.Topic{DisplayName: cloudformation.RefPtr("Email")}, "")
		}, ""},
		{"dangling ref", func(t *Template) {
			t.Resource("Topic", &sns.Topic{DisplayName: cloudformation.RefPtr("Emial")}, "")
		}, `s: Topic: Properties.DisplayName: !Ref Emial: no parameter or resource is named "Emial"`},
		{"pseudo parameter", func(t *Template) {
			t.Resource("Topic", &sns.Topic{DisplayName: cloudformation.RefPtr("AWS::StackName")}, "")
		}, ""},
		{"dangling getatt", func(t *Template) {
			t.Resource("Fn", &lambda.Function{Role: cloudformation.GetAtt("Role", "Arn")}, "")
		}, `s: Fn: Properties.Role: !GetAtt Role: no resource is named "Role"`},
		{"dangling sub variable", func(t *Template) {
			t.Resource("Fn", &lambda.Function{Role: "r", Code: &lambda.Function_Code{
				ZipFile: cloudformation.SubPtr("import os\nname = '${AccessPointName}'\n"),
			}}, "")
		}, `s: Fn: Properties.Code.ZipFile: !Sub variable ${AccessPointName}: no parameter or resource is named "AccessPointName"`},
		{"sub getatt variable", func(t *Template) {
			t.Resource("Topic", &sns.Topic{}, "")
			t.Output("X", cloudformation.Output{Value: cloudformation.Sub("${Topic.TopicName}")})
		}, ""},
		{"sub escaped dollar", func(t *Template) {
			t.Output("X", cloudformation.Output{Value: cloudformation.Sub("echo ${!HOME} ${AWS::Region}")})
		}, ""},
		{"sub stray dollar brace", func(t *Template) {
			t.Output("X", cloudformation.Output{Value: cloudformation.Sub("echo ${HOME:-/root}")})
		}, `s: X: Value: !Sub text has "${HOME:-/root}" at offset 5 that is not a ${Name} variable: write ${! for a literal ${`},
		{"sub local variable", func(t *Template) {
			t.Output("X", cloudformation.Output{Value: cloudformation.SubVars("${Local}", map[string]any{"Local": "v"})})
		}, ""},
		{"dangling depends on", func(t *Template) {
			t.Resource("Topic", &sns.Topic{AWSCloudFormationDependsOn: []string{"Queue"}}, "")
		}, `s: Topic: DependsOn[0]: DependsOn names "Queue", which is not a resource in this template`},
		{"dangling condition", func(t *Template) {
			t.Resource("Topic", &sns.Topic{AWSCloudFormationCondition: "IsProd"}, "")
		}, `s: Topic: Condition: condition "IsProd" is not declared in Conditions`},
		{"dangling if", func(t *Template) {
			t.Output("X", cloudformation.Output{Value: map[string]any{"Fn::If": []any{"IsProd", "a", "b"}}})
		}, `s: X: Value: !If IsProd: condition "IsProd" is not declared in Conditions`},
		{"dangling condition function", func(t *Template) {
			t.Condition("A", map[string]any{"Fn::Not": []any{map[string]any{"Condition": "B"}}})
		}, `s: A: !Condition B: condition "B" is not declared in Conditions`},
		{"dangling mapping", func(t *Template) {
			t.Output("X", cloudformation.Output{Value: cloudformation.FindInMap("Regions", "a", "b")})
		}, `s: X: Value: !FindInMap Regions: mapping "Regions" is not declared in Mappings`},
		{"bad logical id", func(t *Template) {
			t.Resource("my-topic", &sns.Topic{}, "")
		}, `s: my-topic: logical id "my-topic" in Resources must be 1 to 255 letters and digits`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tp := New("s", "")
			c.build(tp)
			out, err := Render(tp, YAML, EngineRules())
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected findings: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want finding %q, got none; output:\n%s", c.want, out)
			}
			if _, ok := err.(Findings); !ok {
				t.Errorf("error is %T, want Findings", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
			if out != nil {
				t.Errorf("a template with findings must not be encoded")
			}
		})
	}
}
