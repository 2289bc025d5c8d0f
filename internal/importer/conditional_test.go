package importer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// The family of Fn::If / AWS::NoValue shapes real templates use (widdix's
// kms-key and access-logs-anonymizer templates among them): optional list
// items, optional properties, nested conditions, and mappings whose keys are
// not in sorted order, in each place goformation types differently (a
// policy document is map[string]any, Tags a typed list, a property a
// pointer to a struct). Every combination must import and round-trip.

// optionalItems are the shapes of a list item that may be absent.
var optionalItems = []struct{ name, yaml string }{
	{"plain", `- %s`},
	{"if-novalue", `- !If [IsProd, %s, !Ref AWS::NoValue]`},
	{"novalue-if", `- !If [IsProd, !Ref AWS::NoValue, %s]`},
	{"nested", `- !If [IsProd, !If [HasName, %s, !Ref AWS::NoValue], !Ref AWS::NoValue]`},
	{"long-form", `- Fn::If: [IsProd, %s, {Ref: AWS::NoValue}]`},
	{"either", `- !If [IsProd, %s, {Effect: Deny, Action: "s3:*", Resource: "*"}]`},
}

// statements are policy statements with mappings in unsorted key order.
var statements = []string{
	`{Effect: Allow, Principal: {AWS: "*"}, Action: ["kms:Encrypt", "kms:Decrypt"], Resource: "*", Condition: {StringEquals: {"kms:ViaService": !Sub "s3.${AWS::Region}.amazonaws.com", "kms:CallerAccount": !Ref AWS::AccountId}}}`,
	`{Effect: Allow, Action: "s3:ListBucket", Resource: !Sub ["arn:${Partition}:s3:::${Name}", {Partition: !Ref AWS::Partition, Name: !ImportValue {"Fn::Sub": "${Name}-Bucket"}}]}`,
	`{Effect: Allow, Principal: {Service: cloudtrail.amazonaws.com}, Action: "kms:CreateGrant", Resource: "*", Condition: {Bool: {"kms:GrantIsForAWSResource": true}}}`,
}

// placeholders a statement list is put into, by resource.
var policyPlaces = []struct{ name, yaml string }{
	{"kms key policy", `
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: !If [IsProd, true, !Ref AWS::NoValue]
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
%s`},
	{"role inline policy", `
  Role:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !If [IsProd, !Ref Name, !Ref AWS::NoValue]
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
%s`},
	{"bucket tags and optional struct", `
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: !If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]
      LoggingConfiguration: !If [HasName, !If [IsProd, {DestinationBucketName: !Ref Name, LogFilePrefix: logs/}, !Ref AWS::NoValue], !Ref AWS::NoValue]
      Tags:
%s`},
}

const conditionalHeader = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name:
    Type: String
    Default: ""
  Env:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  HasName: !Not [!Equals [!Ref Name, ""]]
Resources:`

func TestImportConditionalFamily(t *testing.T) {
	tag := `{Value: !If [IsProd, prod, !Ref AWS::NoValue], Key: env}`
	count := 0
	for _, place := range policyPlaces {
		indent := "              "
		if place.name != "role inline policy" {
			indent = "          "
		}
		for _, shape := range optionalItems {
			for si, st := range statements {
				item := st
				if strings.HasPrefix(place.name, "bucket") {
					item = tag
					if si > 0 {
						continue
					}
				}
				var list strings.Builder
				for _, s := range optionalItems {
					body := item
					if s.name == shape.name || s.name == "plain" {
						fmt.Fprintf(&list, "%s%s\n", indent, fmt.Sprintf(s.yaml, body))
					}
				}
				if strings.HasPrefix(place.name, "bucket") && shape.name == "either" {
					continue // a tag list's alternative is a tag, not a statement
				}
				src := conditionalHeader + fmt.Sprintf(place.yaml, list.String())
				name := fmt.Sprintf("%s/%s/%d", place.name, shape.name, si)
				count++
				t.Run(name, func(t *testing.T) {
					if _, err := Import("family.yaml", "family", []byte(src), Options{Rules: templates.EngineRules()}); err != nil {
						t.Fatalf("%v\n%s", err, src)
					}
				})
			}
		}
	}
	if count < 30 {
		t.Fatalf("the family has %d members, want at least 30", count)
	}
}

// TestProofNamesTheDifference: when the built template differs, the
// message names the first path and both values, exactly as written.
func TestProofNamesTheDifference(t *testing.T) {
	want, err := templates.Parse([]byte(`
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Principal: {AWS: "012345678901"}
          - Principal: {AWS: 012345670123}
`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := templates.Parse([]byte(`
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Principal: {AWS: 12345678901}
          - Principal: {AWS: "012345670123"}
      Path: /x/
`))
	if err != nil {
		t.Fatal(err)
	}
	found := differences(want, got)
	if len(found) != 3 {
		t.Fatalf("want 3 differences, got %v", found)
	}
	msg := summary(found)
	for _, w := range []string{
		`at Resources.Role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.AWS the template has "012345678901", the stack renders 12345678901`,
		`(and 2 more)`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q\nlacks %q", msg, w)
		}
	}
	if s := found[1].String(); !strings.Contains(s, `Statement[1].Principal.AWS the template has 1402433619, the stack renders "012345670123"`) {
		t.Errorf("second difference: %s", s)
	}
	if s := found[2].String(); !strings.Contains(s, `Properties.Path the template has (nothing), the stack renders /x/`) {
		t.Errorf("second difference: %s", s)
	}
}
