package commands

import (
	"strings"
	"testing"

	cfn "github.com/awslabs/goformation/v7/cloudformation/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

func TestCapabilities(t *testing.T) {
	cases := map[string]struct {
		build func(*templates.Template)
		want  string
	}{
		"none":       {func(t *templates.Template) { t.Resource("Topic", &sns.Topic{}, "") }, ""},
		"iam":        {demoApp.Build, "CAPABILITY_IAM"},
		"named role": {namedRole.Build, "CAPABILITY_NAMED_IAM"},
		"named policy": {func(t *templates.Template) {
			t.Resource("Policy", &iam.ManagedPolicy{ManagedPolicyName: ptr("p"), PolicyDocument: trustLambda}, "")
		}, "CAPABILITY_NAMED_IAM"},
		"inline policy is not a name": {func(t *templates.Template) {
			t.Resource("Policy", &iam.Policy{PolicyName: "p", PolicyDocument: trustLambda, Roles: []string{"r"}}, "")
		}, "CAPABILITY_IAM"},
		"transform": {transformed.Build, "CAPABILITY_AUTO_EXPAND"},
		"nested stack and role": {func(t *templates.Template) {
			t.Resource("Child", &cfn.Stack{TemplateURL: "https://example.com/t.yaml"}, "")
			t.Resource("Role", &iam.Role{AssumeRolePolicyDocument: trustLambda}, "")
		}, "CAPABILITY_IAM CAPABILITY_AUTO_EXPAND"},
		"Fn::Transform": {func(t *templates.Template) {
			t.Resource("Topic", &sns.Topic{}, "")
			t.Override("Topic", "Properties.Fn::Transform", map[string]any{"Name": "AWS::Include", "Parameters": map[string]any{"Location": "s3://b/k"}})
		}, "CAPABILITY_AUTO_EXPAND"},
	}
	for name, c := range cases {
		tpl := templates.New("x", "")
		c.build(tpl)
		tree, err := tpl.Tree()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := strings.Join(templates.Capabilities(tree), " "); got != c.want {
			t.Errorf("%s: capabilities %q, want %q", name, got, c.want)
		}
	}
}
