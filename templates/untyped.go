package templates

import (
	"encoding/base64"
	"encoding/json"
)

// Untyped is a resource of a type goformation has no struct for: a custom
// resource (Custom::*), a macro's or a registry extension's type, or a type
// CloudFormation added after goformation's last release (April 2024). Its
// attributes (Condition, DependsOn, DeletionPolicy, Metadata, ...) and
// properties are written exactly as given; nothing is checked against a
// schema, so prefer a goformation type when one exists.
//
//	t.Resource("Dashboard", &templates.Untyped{
//		Type:       "AWS::New::Thing",
//		Attributes: map[string]any{"DependsOn": "Bucket"},
//		Properties: map[string]any{"Name": cloudformation.Ref("Name")},
//	}, "")
type Untyped struct {
	Type       string
	Attributes map[string]any
	// Properties is written as the resource's Properties: a mapping, or an
	// intrinsic such as templates.Intrinsic("Fn::Transform", ...).
	Properties any
}

// AWSCloudFormationType returns the resource type.
func (r *Untyped) AWSCloudFormationType() string { return r.Type }

// MarshalJSON writes Type, the attributes and Properties (omitted when nil).
func (r Untyped) MarshalJSON() ([]byte, error) {
	body := make(map[string]any, len(r.Attributes)+2)
	for k, v := range r.Attributes {
		body[k] = v
	}
	body["Type"] = r.Type
	if r.Properties != nil {
		body["Properties"] = r.Properties
	}
	return json.Marshal(body)
}

// Intrinsic returns any intrinsic function call in the string form
// goformation's helpers (cloudformation.Ref, Sub, ...) use, so that it fits
// wherever those fit, including string fields. It is for the functions
// goformation has no helper for (Fn::Length, Fn::ToJsonString, Condition in
// a condition expression) and for arguments its helpers cannot encode (a
// number in Fn::Cidr):
//
//	templates.Intrinsic("Fn::Length", cloudformation.Ref("Subnets"))
//
// Like goformation's helpers it panics if arg cannot be marshalled to JSON.
func Intrinsic(name string, arg any) string {
	data, err := json.Marshal(map[string]any{name: arg})
	if err != nil {
		panic("templates.Intrinsic: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(data)
}

// Condition returns a reference to a named condition ({"Condition": name}),
// the operand of cloudformation.And, Or and Not that goformation has no
// helper for:
//
//	cloudformation.And([]string{templates.Condition("IsProd"), templates.Condition("HasBucket")})
func Condition(name string) string { return Intrinsic(FnCondition, name) }
