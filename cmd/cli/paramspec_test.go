package cli

import (
	"strings"
	"testing"

	cfn "github.com/awslabs/goformation/v7/cloudformation/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

func TestCheckValue(t *testing.T) {
	required := paramSpec{Name: "R", Type: "String"}
	pattern := paramSpec{Name: "P", Type: "String", HasDefault: true, AllowedPattern: `[a-z]+`}
	bad := paramSpec{Name: "B", Type: "String", HasDefault: true, AllowedPattern: `(?<=x)y`} // not RE2: not checked here
	list := paramSpec{Name: "L", Type: "List<AWS::EC2::Subnet::Id>", AllowedValues: []string{"subnet-1"}}
	num := paramSpec{Name: "N", Type: "Number", HasDefault: true}
	ranged := paramSpec{Name: "M", Type: "Number", HasDefault: true, MinValue: "2", MaxValue: "60"}
	short := paramSpec{Name: "S", Type: "String", HasDefault: true, MaxLength: "3"}
	long := paramSpec{Name: "T", Type: "String", HasDefault: true, MinLength: "2"}
	cases := []struct {
		p     paramSpec
		value string
		want  string // "" = accepted
	}{
		{required, "", "has no default, so it needs a value"},
		{required, "x", ""},
		{pattern, "abc", ""},
		{pattern, "abc1", `parameter P is "abc1": it must match [a-z]+`},
		{pattern, "", `parameter P is "": it must match`},
		{bad, "anything", ""},
		{list, "subnet-1,subnet-2", ""},
		{num, "1.5", ""},
		{num, "-3", ""},
		{num, "3x", "is a Number"},
		{ranged, "2", ""},
		{ranged, "60", ""},
		{ranged, "1", `parameter M is "1": it must be 2 to 60`},
		{ranged, "61", "it must be 2 to 60"},
		{short, "äöü", ""},
		{short, "abcd", `parameter S is "abcd": it must be at most 3 characters`},
		{long, "a", "it must be at least 2 characters"},
	}
	for _, c := range cases {
		got := c.p.checkValue(c.value)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s=%q: got %q, want %q", c.p.Name, c.value, got, c.want)
		}
	}
}

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
