package templates

//go:generate python3 gen/registry.py registry_gen.go
//go:generate gofmt -w registry_gen.go

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// registryEntry is one row of registryData.
type registryEntry struct {
	typeName, attrs, createOnly, conditionalCreateOnly, customName string
}

// lookupRegistry finds a type in registryData, which is sorted by type name.
func lookupRegistry(typeName string) (registryEntry, bool) {
	i := sort.Search(len(registryData), func(i int) bool { return registryData[i].typeName >= typeName })
	if i < len(registryData) && registryData[i].typeName == typeName {
		return registryData[i], true
	}
	return registryEntry{}, false
}

// ResourceAttributes returns the attribute names Fn::GetAtt accepts for a
// resource type, from CloudFormation's registry data. A name may be a regular
// expression (AWS::CloudFormation::Stack has Outputs\..*). known is false for
// types the registry does not describe (custom resources, Custom::*).
func ResourceAttributes(typeName string) (attrs []string, known bool) {
	entry, ok := lookupRegistry(typeName)
	if !ok {
		return nil, false
	}
	return strings.Fields(entry.attrs), true
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
	entry, ok := lookupRegistry(typeName)
	if !ok {
		return nil, false
	}
	return strings.Fields(entry.createOnly), true
}

// ConditionalCreateOnlyProperties returns the property paths whose change
// may make CloudFormation replace a resource of the type, depending on the
// old and new values (DynamoDB KeySchema, EC2 InstanceType). known is false
// for types the registry does not describe.
func ConditionalCreateOnlyProperties(typeName string) (props []string, known bool) {
	entry, ok := lookupRegistry(typeName)
	if !ok {
		return nil, false
	}
	return strings.Fields(entry.conditionalCreateOnly), true
}

// CustomNameProperty returns the create-only property that gives a resource
// of the type its physical name when a template sets it (BucketName,
// RoleName, QueueName, Name), or "" when the type has none. Two resources of
// the type cannot hold the same custom name at the same time.
func CustomNameProperty(typeName string) string {
	entry, _ := lookupRegistry(typeName)
	return entry.customName
}
