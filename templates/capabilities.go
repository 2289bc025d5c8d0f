package templates

import (
	"strings"
)

// namedIAMProperty is the property that gives an IAM resource a custom name,
// which makes CloudFormation require CAPABILITY_NAMED_IAM.
var namedIAMProperty = map[string]string{
	"AWS::IAM::Role":            "RoleName",
	"AWS::IAM::User":            "UserName",
	"AWS::IAM::Group":           "GroupName",
	"AWS::IAM::ManagedPolicy":   "ManagedPolicyName",
	"AWS::IAM::InstanceProfile": "InstanceProfileName",
}

// Capabilities returns the capabilities a template needs to be deployed:
// CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM instead when one of
// them sets its own name, and CAPABILITY_AUTO_EXPAND for a Transform, a
// Fn::Transform or a nested stack.
func Capabilities(tree *Map) []string {
	iam, named, expand := false, false, false
	if _, ok := tree.Get("Transform"); ok {
		expand = true
	}
	for _, r := range Resources(tree) {
		if strings.HasPrefix(r.Type, "AWS::IAM::") {
			iam = true
			named = named || setsProperty(r, namedIAMProperty[r.Type])
		}
		if r.Type == "AWS::CloudFormation::Stack" || strings.HasPrefix(r.Type, "AWS::Serverless::") {
			expand = true
		}
		expand = expand || hasTransform(r.Body)
	}
	var out []string
	switch {
	case named:
		out = append(out, "CAPABILITY_NAMED_IAM")
	case iam:
		out = append(out, "CAPABILITY_IAM")
	}
	if expand {
		out = append(out, "CAPABILITY_AUTO_EXPAND")
	}
	return out
}

// setsProperty reports whether r sets property name ("" is never set).
func setsProperty(r Resource, name string) bool {
	_, ok := r.Properties.Get(name)
	return name != "" && ok
}

// hasTransform finds a Fn::Transform, as a function or as a mapping key.
func hasTransform(v any) bool {
	switch x := v.(type) {
	case Fn:
		return x.Name == FnTransform || hasTransform(x.Arg)
	case *Map:
		for _, k := range x.Keys() {
			child, _ := x.Get(k)
			if k == FnTransform || hasTransform(child) {
				return true
			}
		}
	case []any:
		for _, item := range x {
			if hasTransform(item) {
				return true
			}
		}
	}
	return false
}
