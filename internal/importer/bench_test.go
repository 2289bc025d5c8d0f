package importer

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/templates"
)

// template500 is a 500-resource template of the kinds real stacks hold:
// buckets with nested configuration, roles with policy documents, functions
// with inline code and !Sub, queues with !GetAtt, and outputs.
func template500() []byte {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: five hundred resources\n")
	b.WriteString("Parameters:\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\n    Default: dev\n")
	b.WriteString("Conditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n")
	for i := 0; i < 125; i++ {
		fmt.Fprintf(&b, `  # bucket %[1]d
  Bucket%[1]d:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub "${AWS::StackName}-data-%[1]d"
      VersioningConfiguration:
        Status: Enabled
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      Tags:
        - Key: env
          Value: !Ref Env
  Queue%[1]d:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Bucket%[1]d.Arn
        maxReceiveCount: 5
  Role%[1]d:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: !Sub "${Bucket%[1]d.Arn}/*"
  Function%[1]d:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role%[1]d.Arn
      Timeout: !If [IsProd, 30, 10]
      Code:
        ZipFile: |
          import os
          def handler(event, context):
              return os.environ["QUEUE"]
      Environment:
        Variables:
          QUEUE: !Ref Queue%[1]d
`, i)
	}
	b.WriteString("Outputs:\n")
	for i := 0; i < 125; i++ {
		fmt.Fprintf(&b, "  Bucket%[1]dArn:\n    Value: !GetAtt Bucket%[1]d.Arn\n    Export:\n      Name: !Sub \"${AWS::StackName}-bucket-%[1]d\"\n", i)
	}
	return []byte(b.String())
}

func TestTemplate500Imports(t *testing.T) {
	out, err := Import("big.yaml", "big", template500(), Options{Rules: templates.EngineRules()})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "t.Resource("); n != 500 {
		t.Fatalf("%d resources imported, want 500", n)
	}
}

// BenchmarkImport500 imports a 500-resource template: parse, generate,
// build the template in memory, diff it with the input, gofmt. The budget,
// enforced by TestImportBudget, is 100 ms. It measures the import as
// `formwork import` runs it: with the garbage collector off (commands.Main turns
// it off for a run of milliseconds); memory is collected between imports,
// outside the timing.
func BenchmarkImport500(b *testing.B) {
	data := template500()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Import("big.yaml", "big", data, Options{Rules: templates.EngineRules()}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
	}
}

// importBudget is what importing a 500-resource template may take.
const importBudget = 100 * time.Millisecond

// TestImportBudget fails when the fastest of several imports of a
// 500-resource template exceeds the budget. It runs only under `make bench`
// (FORMWORK_BUDGET=1): timing on a shared machine is not a unit test. The
// garbage collector is off, as in the CLI (commands.Main).
func TestImportBudget(t *testing.T) {
	if os.Getenv("FORMWORK_BUDGET") == "" {
		t.Skip("timing budget: run with `make bench` (FORMWORK_BUDGET=1)")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	data := template500()
	best := time.Duration(1 << 62)
	for range 15 {
		runtime.GC()
		start := time.Now()
		if _, err := Import("big.yaml", "big", data, Options{Rules: templates.EngineRules()}); err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	t.Logf("importing 500 resources: %s at best of 15 (budget %s)", best.Round(time.Millisecond/10), importBudget)
	if best > importBudget {
		t.Errorf("importing 500 resources took %s at best, budget %s", best, importBudget)
	}
}
