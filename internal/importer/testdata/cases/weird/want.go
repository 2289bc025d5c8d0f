// Imported from template.yaml by formwork import. It renders that template
// exactly (formwork diff shows no change): edit it as your own from here on.

package stacks

import (
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/awslabs/goformation/v7/cloudformation/ssm"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
	"github.com/formwork-dev/formwork/templates"
)

// Weird is the stack "weird", imported by formwork import.
func Weird() templates.Stack {
	return templates.Stack{
		Name: "weird",
		Description: `folded description with two lines
`,
		Build: buildWeird,
	}
}

func buildWeird(t *templates.Template) {
	// CloudFormation reads these values of template.yaml differently from how they are written:
	//
	//	line 31: 0755 is the octal number 493 to CloudFormation (YAML 1.1), and the stack keeps 493: if it is text such as an account id, quote it ("0755")
	//	line 49: 0o17 is text to CloudFormation (YAML 1.1) but a number to YAML 1.2 tools, and the stack keeps the text: quote it ("0o17") so every reader agrees
	//	line 52: 12:30 is a base-60 number to CloudFormation (YAML 1.1) but text to formwork, which renders it quoted: if the number is meant, write it in decimal; if the text is, quote it ("12:30")

	t.Parameter("Name", cloudformation.Parameter{
		Type:           "String",
		Default:        "back`tick",
		AllowedPattern: cloudformation.String("^[a-z`]+$"),
	})
	// cloudformation.Parameter cannot hold this parameter exactly: it is declared as written
	t.Entry("Parameters", "Sloppy", map[string]any{"Type": "String", "Description": nil})

	t.Resource("Topic1", &sns.Topic{
		TopicName:   cloudformation.String("yes"),
		DisplayName: cloudformation.RefPtr("Name"),
	}, "")

	t.Resource("Topic2", &sns.Topic{
		DisplayName: cloudformation.String("line1\r\nline2"),
		Tags:        []tags.Tag{{Key: "kubernetes.io/cluster/x", Value: "owned"}},
	}, "")

	t.Resource("Param", &ssm.Parameter{
		Type: "String",
		Value: templates.Intrinsic("Fn::Sub", []any{
			"${A}-${B}",
			map[string]any{"A": cloudformation.GetAtt("Topic1", "TopicName"), "B": 493},
		}),
		Tags: map[string]string{
			"kubernetes.io/cluster/x": "owned",
			"a.b":                     cloudformation.Ref("Name"),
		},
	}, "")

	t.Resource("Func", &lambda.Function{
		Role:    templates.Intrinsic("Fn::GetAtt", []any{"Role", cloudformation.Ref("Name")}),
		Runtime: cloudformation.String("nodejs20.x"),
		Handler: cloudformation.String("index.handler"),
		Code: &lambda.Function_Code{
			ZipFile: cloudformation.String("exports.handler = async () => `template ${literal}`;\n"),
		},
		Environment: &lambda.Function_Environment{},
	}, "")
	// goformation types lambda.Function_Environment.Variables as map[string]string, which cannot hold this mapping
	t.Override("Func", "Properties.Environment.Variables", map[string]any{
		"EMPTY":   "",
		"ON":      true,
		"NUM":     1000,
		"OCT":     "0o17",
		"HEX":     31,
		"DATE":    "2024-01-01",
		"TIME":    "12:30",
		"NULLISH": nil,
	})
	// goformation types lambda.Function.MemorySize as *int, which cannot hold 1.28e2
	t.Override("Func", "Properties.MemorySize", json.Number("1.28e2"))
	// goformation types lambda.Function.Timeout as *int, which cannot hold 30.0
	t.Override("Func", "Properties.Timeout", json.Number("30.0"))

	t.Resource("Role", &iam.Role{
		AssumeRolePolicyDocument: "{\"Version\": \"2012-10-17\", \"Statement\": []}",
	}, "")
	// goformation types iam.Role.Description as *string, which cannot hold null
	t.Override("Role", "Properties.Description", nil)

	// a custom resource: its properties are the handler's, written as the template has them
	t.Resource("Custom", &templates.Untyped{
		Type:       "AWS::CloudFormation::CustomResource",
		Attributes: map[string]any{"Version": "1.0"},
		Properties: map[string]any{
			"ServiceToken": cloudformation.ImportValue("shared-token"),
			"List":         []any{},
			"Map":          map[string]any{},
			"Nested":       []any{[]any{1, 2}, []any{map[string]any{"a": nil}}},
		},
	}, "")
}
