package diff

// Performance of the diff on a synthetic pair of 1,000-resource templates
// (twice CloudFormation's limit per stack, as a whole repository's diff
// might be). `make bench` runs BenchmarkDiff1000 and TestDiffBudget, which
// enforces the budget: under 50 ms, parsing both sides included.

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

const (
	benchResources = 1000
	diffBudget     = 50 * time.Millisecond
)

// syntheticPair builds base and head templates of n resources (a multiple
// of 10), block style as formwork writes them, in units of bucket, bucket policy (JSON text), security group,
// ingress rule, role (policies, one behind !If), queue, queue policy,
// function, permission and log group. Every fifth unit changes in head: a
// widened statement, a world-open rule, a loosened public access block, a
// renamed log group, a new memory size.
func syntheticPair(n int) (base, head []byte) {
	var b, h strings.Builder
	header := "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: Synthetic pair\n" +
		"Parameters:\n  Env:\n    Type: String\n    AllowedValues:\n      - dev\n      - prod\n" +
		"Conditions:\n  IsProd: !Equals\n    - !Ref Env\n    - prod\nResources:\n"
	b.WriteString(header)
	h.WriteString(header)
	for i := 0; i < n/10; i++ {
		b.WriteString(benchUnit(i, false))
		h.WriteString(benchUnit(i, i%5 == 0))
	}
	return []byte(b.String()), []byte(h.String())
}

func benchUnit(i int, changed bool) string {
	cidr, block, action, memory, logs := "10.0.0.0/16", "true", "s3:GetObject", 128, fmt.Sprintf("Logs%d", i)
	if changed {
		cidr, block, action, memory, logs = "0.0.0.0/0", "false", "s3:*", 256, fmt.Sprintf("FunctionLogs%d", i)
	}
	return fmt.Sprintf(`  Bucket%[1]d:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: %[3]s
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  BucketPolicy%[1]d:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket%[1]d
      PolicyDocument: !Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "${Bucket%[1]d.Arn}/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}'
  Group%[1]d:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: unit %[1]d
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: %[2]s
  GroupIngress%[1]d:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Group%[1]d.GroupId
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      SourceSecurityGroupId: !GetAtt Group%[1]d.GroupId
  Role%[1]d:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: %[4]s
                Resource: !Sub ${Bucket%[1]d.Arn}/*
              - !If
                - IsProd
                - Effect: Allow
                  Action: sqs:SendMessage
                  Resource: !GetAtt Queue%[1]d.Arn
                - !Ref AWS::NoValue
  Queue%[1]d:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  QueuePolicy%[1]d:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues:
        - !Ref Queue%[1]d
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: events.amazonaws.com
            Action: sqs:SendMessage
            Resource: !GetAtt Queue%[1]d.Arn
  Function%[1]d:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      MemorySize: %[5]d
      Role: !GetAtt Role%[1]d.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              return %[1]d
  Permission%[1]d:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Function%[1]d
      Principal: events.amazonaws.com
  %[6]s:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/${Function%[1]d}
      RetentionInDays: 30
`, i, cidr, block, action, memory, logs)
}

func diffPair(tb testing.TB, base, head []byte) Report {
	d, err := DiffTemplates("synthetic", base, head)
	if err != nil {
		tb.Fatal(err)
	}
	return NewReport([]StackDiff{d})
}

// TestSyntheticPair keeps the benchmark honest: the pair parses, and the
// diff finds what head changed.
func TestSyntheticPair(t *testing.T) {
	base, head := syntheticPair(benchResources)
	r := diffPair(t, base, head)
	units := benchResources / 10 / 5
	if s := r.Summary; s.LikelyRenames != units || s.Broadening < 3*units || s.ResourcesModified < 4*units {
		t.Errorf("want %d renames and every changed unit broadening, got %+v", units, s)
	}
	if r := diffPair(t, base, base); r.HasDifferences() {
		t.Errorf("a template differs from itself:\n%s", dump(r)[:min(2000, len(dump(r)))])
	}
}

// BenchmarkDiff1000: parse both sides, diff and build the report.
func BenchmarkDiff1000(b *testing.B) {
	base, head := syntheticPair(benchResources)
	b.SetBytes(int64(len(base) + len(head)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		diffPair(b, base, head)
	}
}

func TestDiffBudget(t *testing.T) {
	if os.Getenv("FORMWORK_BUDGET") == "" {
		t.Skip("timing budget: run with `make bench` (FORMWORK_BUDGET=1)")
	}
	base, head := syntheticPair(benchResources)
	diffPair(t, base, head) // warm up
	var fastest, total time.Duration
	const runs = 15
	for i := 0; i < runs; i++ {
		start := time.Now()
		diffPair(t, base, head)
		took := time.Since(start)
		total += took
		if fastest == 0 || took < fastest {
			fastest = took
		}
	}
	t.Logf("diff of two %d-resource templates (%d + %d bytes): fastest %s, mean %s of %d runs (budget %s)",
		benchResources, len(base), len(head), fastest.Round(10*time.Microsecond), (total / runs).Round(10*time.Microsecond), runs, diffBudget)
	if fastest > diffBudget {
		t.Errorf("diff of %d resources took %s at best, budget %s", benchResources, fastest, diffBudget)
	}
}
