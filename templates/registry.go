package templates

//go:generate python3 gen/registry.py registry_gen.go
//go:generate gofmt -w registry_gen.go

import (
	"regexp"
	"strings"
	"sync"
)

// ResourceAttributes returns the attribute names Fn::GetAtt accepts for a
// resource type, from CloudFormation's registry data. A name may be a regular
// expression (AWS::CloudFormation::Stack has Outputs\..*). known is false for
// types the registry does not describe (custom resources, Custom::*).
func ResourceAttributes(typeName string) (attrs []string, known bool) {
	entry, ok := registryData[typeName]
	if !ok {
		return nil, false
	}
	return strings.Fields(entry[0]), true
}

// HasAttribute reports whether typeName has the GetAtt attribute attr. It is
// true for types the registry does not know, which cannot be checked.
func HasAttribute(typeName, attr string) bool {
	attrs, known := ResourceAttributes(typeName)
	if !known {
		return true
	}
	for _, a := range attrs {
		if a == attr || (strings.ContainsAny(a, `\*`) && attributePattern(a).MatchString(attr)) {
			return true
		}
	}
	return false
}

var patterns sync.Map // string -> *regexp.Regexp

func attributePattern(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile("^(?:" + p + ")$")
	patterns.Store(p, re)
	return re
}

// CreateOnlyProperties returns the property paths (dotted, e.g. "BucketName",
// "VpcConfig.SubnetIds") whose change makes CloudFormation replace a resource
// of the type. known is false for types the registry does not describe.
func CreateOnlyProperties(typeName string) (props []string, known bool) {
	entry, ok := registryData[typeName]
	if !ok {
		return nil, false
	}
	return strings.Fields(entry[1]), true
}
