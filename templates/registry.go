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
	typeName, attrs, createOnly string
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
