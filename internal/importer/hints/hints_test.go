package hints

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/importer"
	"github.com/formwork-dev/formwork/stacks/rules"
)

const privateBucketTemplate = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt Logs.Arn, !Sub "${Logs.Arn}/*"]
            Condition:
              Bool:
                aws:SecureTransport: %s
`

func TestImportNotesPrivateBucket(t *testing.T) {
	for _, c := range []struct {
		secureTransport string
		noted           bool
	}{{"false", true}, {"'false'", true}, {"true", false}} {
		out, err := importer.Import("t.yaml", "t", []byte(strings.Replace(privateBucketTemplate, "%s", c.secureTransport, 1)), importer.Options{Rules: rules.All(), Patterns: Blocks()})
		if err != nil {
			t.Fatal(err)
		}
		noted := strings.Contains(string(out), `// blocks.PrivateBucket{ID: "Logs"} expresses this pattern`)
		if noted != c.noted {
			t.Errorf("aws:SecureTransport %s: noted %v, want %v:\n%s", c.secureTransport, noted, c.noted, out)
		}
	}
	public := strings.Replace(strings.Replace(privateBucketTemplate, "%s", "false", 1), "RestrictPublicBuckets: true", "RestrictPublicBuckets: false", 1)
	out, _ := importer.Import("t.yaml", "t", []byte(public), importer.Options{Rules: rules.All(), Patterns: Blocks()})
	if strings.Contains(string(out), `blocks.PrivateBucket{ID: "Logs"} expresses this pattern`) {
		t.Errorf("a bucket that does not block public access is no PrivateBucket:\n%s", out)
	}
}

func TestImportNotesFunctionErrorsAlarm(t *testing.T) {
	const template = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(e, c): pass"}
      Handler: index.handler
      Runtime: python3.12
  FnErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: %s
      Dimensions: [{Name: FunctionName, Value: !Ref Fn}]
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
`
	for metric, noted := range map[string]bool{"Errors": true, "Throttles": false} {
		out, err := importer.Import("t.yaml", "t", []byte(strings.Replace(template, "%s", metric, 1)), importer.Options{Rules: rules.All(), Patterns: Blocks()})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(out), `// blocks.FunctionErrorsAlarm(t, "FnErrors", "Fn", topic) expresses this alarm`); got != noted {
			t.Errorf("metric %s: noted %v, want %v:\n%s", metric, got, noted, out)
		}
	}
}
