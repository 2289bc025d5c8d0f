package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// TestImportRefusesOtherDialects: a construct CloudFormation does not
// accept is refused at its line, with what it is and what expands it.
func TestImportRefusesOtherDialects(t *testing.T) {
	cases := []struct {
		name, template string
		line           int
		want           string
	}{
		{"rain module", `
Resources:
  LogBucketAccess:
    Type: !Rain::Module "./modules/bucket.yaml"
    Properties:
      Name: logs
`, 4, "!Rain::Module is rain's, not CloudFormation's: rain expands it (rain pkg TEMPLATE > expanded.yaml)"},
		{"rain directive in a property", `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code: !Rain::S3 ./src
`, 6, "!Rain::S3 is rain's"},
		{"rain key in JSON", `{"Resources": {"B": {"Type": "AWS::S3::Bucket",
  "Properties": {"BucketName": {"Rain::Constant": "x"}}}}}`, 2, "Rain::Constant is rain's"},
		{"another tool's tag", `
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Include name.txt
`, 6, "the tag !Include is not CloudFormation's: the tool that wrote this template expands it"},
		{"unknown function", `
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: {"Fn::Upper": abc}
`, 6, "Fn::Upper is not a CloudFormation function"},
		{"ForEach without its transform", `
Resources:
  Fn::ForEach::Topics:
    - Name
    - [Orders, Refunds]
    - Topic${Name}:
        Type: AWS::SNS::Topic
`, 3, "Fn::ForEach::Topics is a language extension: CloudFormation accepts it only under Transform: AWS::LanguageExtensions"},
		{"Length without its transform", `
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: {"Fn::Length": [a, b]}
`, 6, "Fn::Length is a language extension"},
		{"SAM type without its transform", `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k.zip
`, 4, "AWS::Serverless::Function is SAM's: CloudFormation accepts it only under Transform: AWS::Serverless-2016-10-31"},
		{"Globals without SAM", `
Globals:
  Function:
    Timeout: 10
Resources:
  Q:
    Type: AWS::SQS::Queue
`, 2, "the Globals section is SAM's"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Import("t.yaml", "t", []byte(c.template), Options{Rules: templates.EngineRules()})
			var bad *Error
			if !errors.As(err, &bad) {
				t.Fatalf("want a refusal at line %d, got %v", c.line, err)
			}
			if bad.Line != c.line || !strings.Contains(bad.Message, c.want) {
				t.Errorf("got line %d: %s\nwant line %d: %s", bad.Line, bad.Message, c.line, c.want)
			}
		})
	}
}

// TestImportAcceptsDialectsUnderTheirTransform: SAM and the language
// extensions import exactly under their transforms, a list of both
// included; Rules functions are CloudFormation's own.
func TestImportAcceptsDialectsUnderTheirTransform(t *testing.T) {
	src := mustImport(t, `
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Rules:
  Regions:
    Assertions:
      - Assert: !Contains [[eu-west-1, eu-central-1], !Ref AWS::Region]
Globals:
  Function:
    Timeout: 10
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k.zip
      Handler: index.handler
      Runtime: python3.12
      Environment:
        Variables:
          TOPICS: {"Fn::ToJsonString": [a, b]}
  Fn::ForEach::Topics:
    - Name
    - [Orders, Refunds]
    - Topic${Name}:
        Type: AWS::SNS::Topic
        Properties:
          DisplayName: {"Fn::Length": [a, b]}
`)
	for _, want := range []string{`t.Transform([]any{"AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"})`,
		`t.Resource("Fn", &serverless.Function{`, `t.ForEach("Resources", "Topics", "Name"`, `"Fn::Contains"`, `"Fn::ToJsonString"`} {
		if !strings.Contains(src, want) {
			t.Errorf("the Go has no %s:\n%s", want, src)
		}
	}
}
