package importer

import (
	"bytes"
	"errors"
	"go/format"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

func mustImport(t *testing.T, template string) string {
	t.Helper()
	out, err := Import("test.yaml", "test", []byte(template), Options{Rules: templates.EngineRules()})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return string(out)
}

// TestImportWrites checks, rule by rule, the Go the importer writes. Every
// import is also a round trip: Import refuses to return source whose
// template differs from the input.
func TestImportWrites(t *testing.T) {
	cases := []struct {
		name, template string
		want           []string
		not            []string
	}{
		{"typed resource, helpers for intrinsics", `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-logs"
      VersioningConfiguration:
        Status: Enabled
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Deny
            Resource: !Join ["", [!GetAtt Bucket.Arn, "/*"]]
`, []string{`t.Resource("Bucket", &s3.Bucket{`, `cloudformation.SubPtr("${AWS::StackName}-logs")`,
			`VersioningConfiguration: &s3.Bucket_VersioningConfiguration{Status: "Enabled"}`, `Bucket: cloudformation.Ref("Bucket")`,
			`cloudformation.Join("", []string{cloudformation.GetAtt("Bucket", "Arn"), "/*"})`}, nil},
		{"multi-line strings as raw strings", `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/x
      Code:
        ZipFile: |
          def handler(event, context):
              return "ok"
`, []string{"ZipFile: cloudformation.String(`def handler(event, context):\n    return \"ok\"\n`)"}, nil},
		{"one-line comment is the resource comment, longer ones Go comments", `
Resources:
  # where orders wait
  Queue:
    Type: AWS::SQS::Queue
  # first line
  # second line
  Topic:
    Type: AWS::SNS::Topic
  Other: # on the key's line
    Type: AWS::SNS::Topic
`, []string{`t.Resource("Queue", &sqs.Queue{}, "where orders wait")`, "// first line\n\t// second line\n\tt.Resource(\"Topic\", &sns.Topic{}, \"\")",
			`t.Resource("Other", &sns.Topic{}, "on the key's line")`}, nil},
		{"a property goformation lacks is an override, with the reason", `
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
      BrandNewProperty: {Enabled: true}
`, []string{`QueueName: cloudformation.String("orders")`, "// goformation v7 has no field for BrandNewProperty in sqs.Queue",
			`t.Override("Queue", "Properties.BrandNewProperty", map[string]any{"Enabled": true})`}, nil},
		{"an intrinsic in a number field is an override", `
Parameters:
  Timeout: {Type: Number}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !Ref Timeout
      DelaySeconds: "5"
`, []string{"// goformation types sqs.Queue.VisibilityTimeout as *int, which cannot hold a !Ref",
			`t.Override("Queue", "Properties.VisibilityTimeout", cloudformation.Ref("Timeout"))`, `DelaySeconds: cloudformation.Int(5)`}, nil},
		{"an unknown type is untyped, exactly", `
Resources:
  Thing:
    Type: AWS::Brand::New
    DependsOn: Queue
    Properties:
      Size: 3
  Queue:
    Type: AWS::SQS::Queue
`, []string{"// goformation v7 has no type AWS::Brand::New", `&templates.Untyped{`, `Type:       "AWS::Brand::New"`,
			`Attributes: map[string]any{"DependsOn": "Queue"}`, `Properties: map[string]any{"Size": 3}`}, nil},
		{"a custom resource is untyped", `
Resources:
  Seed:
    Type: Custom::Seed
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:seed
`, []string{"// a custom resource", `Type: "Custom::Seed"`}, nil},
		{"attributes", `
Conditions:
  IsProd: !Equals [!Ref "AWS::Region", us-east-1]
  Both: !And [!Condition IsProd, !Not [!Condition IsProd]]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Condition: IsProd
    DeletionPolicy: Retain
    UpdateReplacePolicy: Snapshot
    DependsOn: Queue
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
  Queue:
    Type: AWS::SQS::Queue
`, []string{`t.Condition("IsProd", cloudformation.Equals(cloudformation.Ref("AWS::Region"), "us-east-1"))`,
			`cloudformation.And([]string{`, `templates.Condition("IsProd"),`, `cloudformation.Not([]string{templates.Condition("IsProd")}),`,
			`AWSCloudFormationCondition:           "IsProd"`, `AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Retain")`,
			`AWSCloudFormationDependsOn:           []string{"Queue"}`}, nil},
		{"parameters, groups, outputs", `
Metadata:
  AWS::CloudFormation::Interface:
    ParameterGroups:
      - Label: {default: Network}
        Parameters: [Vpc]
Parameters:
  Vpc:
    Type: AWS::EC2::VPC::Id
    Description: the VPC
  Size:
    Type: Number
    MinValue: 1
    Default: 2
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
Outputs:
  GroupId:
    Value: !GetAtt Group.GroupId
    Export: {Name: !Sub "${AWS::StackName}-group"}
`, []string{`t.ParameterGroup("Network", "Vpc")`, `t.Parameter("Vpc", cloudformation.Parameter{`, `MinValue: cloudformation.Float64(1)`,
			`Default:  2`, `t.Output("GroupId", cloudformation.Output{`, `Export: &cloudformation.Export{Name: cloudformation.Sub("${AWS::StackName}-group")}`}, nil},
		{"SAM: transform, Globals, findings waived", `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 10}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(e, c): pass"
Outputs:
  Role:
    Value: !GetAtt FnRole.Arn
`, []string{`t.Transform("AWS::Serverless-2016-10-31")`, `t.Section("Globals", map[string]any{"Function": map[string]any{"Timeout": 10}})`,
			`&serverless.Function{`, `t.Waive("Role", "references_declared", "imported as deployed: !GetAtt FnRole: no resource is named \"FnRole\"")`}, nil},
		{"language extensions loops", `
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [Orders, Refunds]
    - ${Name}Topic:
        Type: AWS::SNS::Topic
`, []string{`t.ForEach("Resources", "Topics", "Name", []any{"Orders", "Refunds"}, map[string]any{`}, nil},
		{"numbers keep their meaning", `
Mappings:
  Sizes:
    small: {Cpu: 0.25, Big: 12345678901234567890, Exp: 1e3}
Resources:
  Queue:
    Type: AWS::SQS::Queue
`, []string{`"Cpu": 0.25`, `json.Number("12345678901234567890")`, `json.Number("1e3")`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := mustImport(t, c.template)
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("the source has no %q:\n%s", w, out)
				}
			}
			for _, n := range c.not {
				if strings.Contains(out, n) {
					t.Errorf("the source has %q:\n%s", n, out)
				}
			}
			if formatted, err := format.Source([]byte(out)); err != nil || !bytes.Equal(formatted, []byte(out)) {
				t.Errorf("the source is not gofmt'd (%v)", err)
			}
		})
	}
}

func TestImportRefuses(t *testing.T) {
	cases := []struct {
		name, template string
		line           int
		message        string
	}{
		{"YAML syntax", "Resources:\n  Q:\n    Type: [\n", 3, "not a valid YAML template"},
		{"duplicate key", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SNS::Topic\n", 4, `key "Q" appears twice`},
		{"duplicate key in JSON", "{\"Resources\": {\n\"Q\": {\"Type\": \"AWS::SQS::Queue\"},\n\"Q\": {\"Type\": \"AWS::SNS::Topic\"}}}", 3, `key "Q" appears twice`},
		{"JSON syntax", "{\"Resources\": {\n\"Q\": }\n}", 2, "not a valid JSON template"},
		{"not a mapping", "- a\n- b\n", 1, "a template must be a mapping"},
		{"not a template", "version: 3\nservices: {}\n", 1, `"version" is not a section`},
		{"no resources", "Description: x\n", 1, "needs a Resources section"},
		{"empty resources", "Resources: {}\n", 1, "needs a Resources section"},
		{"resource without type", "Resources:\n  Q:\n    Properties: {}\n", 2, "resource Q has no Type"},
		{"resource not a mapping", "Resources:\n  Q: 5\n", 2, "resource Q must be a mapping"},
		{"section not a mapping", "Parameters: 3\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n", 1, "Parameters must be a mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Import("t.yaml", "t", []byte(c.template), Options{Rules: templates.EngineRules()})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want an *Error, got %v", err)
			}
			if e.Line != c.line || !strings.Contains(e.Message, c.message) || strings.Contains(e.Message, "\n") {
				t.Errorf("got line %d %q, want line %d and %q on one line", e.Line, e.Message, c.line, c.message)
			}
		})
	}
}

func TestImportWritesAnEntryItsStructCannotHold(t *testing.T) {
	out := mustImport(t, "Parameters:\n  P: {Type: String, Description: null}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  O: {Value: !Ref Q, Colour: red}\n")
	for _, want := range []string{`t.Entry("Parameters", "P", map[string]any{"Type": "String", "Description": nil})`,
		`t.Entry("Outputs", "O", map[string]any{"Value": cloudformation.Ref("Q"), "Colour": "red"})`,
		"// cloudformation.Parameter cannot hold this parameter exactly"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func TestImportIsDeterministic(t *testing.T) {
	data := template500()
	first, err := Import("big.yaml", "big", data, Options{Rules: templates.EngineRules()})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, _ := Import("big.yaml", "big", data, Options{Rules: templates.EngineRules()})
		if !bytes.Equal(first, again) {
			t.Fatal("two imports of one template differ")
		}
	}
}

func TestStackName(t *testing.T) {
	for file, want := range map[string]string{
		"network.yaml": "network", "dir/Web_Server.template": "web-server", "MyApp.JSON": "myapp",
		"2024-vpc.yml": "stack-2024-vpc", "a..b--c.yaml": "a-b-c", "___.yaml": "",
	} {
		if got := StackName(file); got != want {
			t.Errorf("StackName(%q) = %q, want %q", file, got, want)
		}
	}
	if got := FuncName("web-server"); got != "buildWebServer" {
		t.Errorf("FuncName = %q", got)
	}
}

func TestImportSectionLevelTransform(t *testing.T) {
	out := mustImport(t, `
Transform: AWS::Include
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Fn::Transform:
    Name: AWS::Include
    Parameters: {Location: "s3://bucket/shared.yaml"}
Outputs:
  Fn::Transform:
    Name: AWS::Include
    Parameters: {Location: "s3://bucket/outputs.yaml"}
`)
	for _, want := range []string{`t.Include("Resources", map[string]any{`, `t.Include("Outputs", map[string]any{`} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

// FuzzImport: whatever the input, Import returns an error about the input
// or gofmt'd Go, and never panics. `go test` runs the seeds; fuzz with
// go test ./internal/importer -run '^$' -fuzz FuzzImport -fuzztime 60s
func FuzzImport(f *testing.F) {
	for _, seed := range []string{
		"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {DelaySeconds: !Ref D}\n",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: [{Key: a, Value: !If [C, x, y]}]\n",
		`{"Resources": {"T": {"Type": "Custom::X", "Properties": {"A": [1, {"B": null}]}}}}`,
		"Conditions:\n  C: !Or [!Condition D, !Equals [1, 2]]\nResources:\n  Q:\n    Type: AWS::SNS::Topic\n    Condition: C\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Import("fuzz.yaml", "fuzz", data, Options{Rules: templates.EngineRules()})
		if err != nil {
			if strings.Contains(err.Error(), "bug in formwork import") {
				t.Fatal(err)
			}
			return
		}
		if formatted, ferr := format.Source(out); ferr != nil || !bytes.Equal(formatted, out) {
			t.Fatalf("not gofmt'd Go (%v):\n%s", ferr, out)
		}
	})
}
