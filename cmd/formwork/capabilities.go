package main

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
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

// capabilities returns the --capabilities a template needs:
// CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM instead when one of
// them sets its own name, and CAPABILITY_AUTO_EXPAND for a Transform, a
// Fn::Transform or a nested stack.
func capabilities(tree *templates.Map) []string {
	iam, named, expand := false, false, false
	if _, ok := tree.Get("Transform"); ok {
		expand = true
	}
	resources := templates.Section(tree, "Resources")
	for _, id := range resources.Keys() {
		v, _ := resources.Get(id)
		body, _ := v.(*templates.Map)
		if body == nil {
			continue
		}
		typ := text(body, "Type")
		if strings.HasPrefix(typ, "AWS::IAM::") {
			iam = true
			named = named || setsProperty(body, namedIAMProperty[typ])
		}
		if typ == "AWS::CloudFormation::Stack" || strings.HasPrefix(typ, "AWS::Serverless::") {
			expand = true
		}
		expand = expand || hasTransform(body)
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

func setsProperty(body *templates.Map, name string) bool {
	if name == "" {
		return false
	}
	props, _ := body.Get("Properties")
	m, _ := props.(*templates.Map)
	if m == nil {
		return false
	}
	_, ok := m.Get(name)
	return ok
}

// hasTransform finds a Fn::Transform, as a function or as a mapping key.
func hasTransform(v any) bool {
	switch x := v.(type) {
	case templates.Fn:
		return x.Name == templates.FnTransform || hasTransform(x.Arg)
	case *templates.Map:
		for _, k := range x.Keys() {
			child, _ := x.Get(k)
			if k == templates.FnTransform || hasTransform(child) {
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
