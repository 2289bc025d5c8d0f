package templates

import (
	"slices"
	"testing"
)

// TestRegistryReplacementData: the generated registry data holds the
// create-only, conditionally create-only and custom-name properties of
// CloudFormation's schemas.
func TestRegistryReplacementData(t *testing.T) {
	for _, tc := range []struct {
		typ, createOnly, conditional, name string
	}{
		{"AWS::DynamoDB::Table", "TableName", "KeySchema", "TableName"},
		{"AWS::EC2::Instance", "ImageId", "InstanceType", ""},
		{"AWS::S3::Bucket", "BucketName", "", "BucketName"},
		{"AWS::SQS::Queue", "QueueName", "", "QueueName"},
		{"AWS::Events::Rule", "Name", "EventBusName", "Name"},
		{"AWS::IAM::Role", "RoleName", "", "RoleName"},
		{"AWS::CloudFormation::CustomResource", "ServiceToken", "", ""},
	} {
		createOnly, known := CreateOnlyProperties(tc.typ)
		conditional, _ := ConditionalCreateOnlyProperties(tc.typ)
		if !known || !slices.Contains(createOnly, tc.createOnly) {
			t.Errorf("%s: create-only %v, want %s", tc.typ, createOnly, tc.createOnly)
		}
		if tc.conditional != "" && !slices.Contains(conditional, tc.conditional) {
			t.Errorf("%s: conditionally create-only %v, want %q", tc.typ, conditional, tc.conditional)
		}
		if got := CustomNameProperty(tc.typ); got != tc.name {
			t.Errorf("%s: custom name %q, want %q", tc.typ, got, tc.name)
		}
	}
	if _, known := ConditionalCreateOnlyProperties("Vendor::Thing::Widget"); known {
		t.Error("a type the registry does not describe must be unknown")
	}
}
