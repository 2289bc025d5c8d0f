package diff

// Performance of the diff on a synthetic pair of 1,000-resource templates
// (twice CloudFormation's limit per stack, as a whole repository's diff
// might be), and of pairs of 100 to 5,000 resources, whose cost per
// resource should stay flat. `make bench` runs the benchmarks and
// TestDiffBudget, which enforces the budget: 25 ms at best, parsing both
// sides included, and a flat cost per resource.

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	benchResources  = 1000
	diffBudget      = 25 * time.Millisecond
	maxScalingRatio = 2.0
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
	base, head = renamedBuckets(base, head)
	if s := diffPair(t, base, head).Summary; s.ResourcesReplaced != 2*benchResources/10 {
		t.Errorf("want every bucket and its policy replaced, got %+v", s)
	}
}

// renamedBuckets gives every bucket a new BucketName in head: each is
// replaced, and so is its bucket policy (whose Bucket is create-only).
func renamedBuckets(base, head []byte) ([]byte, []byte) {
	named := func(body []byte, name string) []byte {
		return []byte(strings.ReplaceAll(string(body), "    Type: AWS::S3::Bucket\n    Properties:\n",
			"    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "+name+"\n"))
	}
	return named(base, "old-name"), named(head, "new-name")
}

// workloads are BenchmarkDiffScaling's and TestDiffBudget's pairs: the
// synthetic pair, and the same with every bucket replaced.
var workloads = []struct {
	name string
	pair func(n int) (base, head []byte)
}{
	{"edits", syntheticPair},
	{"replacements", func(n int) ([]byte, []byte) { return renamedBuckets(syntheticPair(n)) }},
}

// scalingSizes are the sizes of BenchmarkDiffScaling and TestDiffBudget's
// check that the cost per resource stays flat.
var scalingSizes = []int{100, 1000, 5000}

// BenchmarkDiffScaling: the diff of a pair of n resources, per resource.
func BenchmarkDiffScaling(b *testing.B) {
	for _, w := range workloads {
		for _, n := range scalingSizes {
			base, head := w.pair(n)
			b.Run(fmt.Sprintf("%s/resources=%d", w.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					diffPair(b, base, head)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/resource")
			})
		}
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

// TestDiffBudget holds the diff to its budget: of 15 runs interleaved with
// the other sizes, the fastest diff of two 1,000-resource templates (both
// parsed at once, diffed, reported) takes at most diffBudget of wall time,
// and for every workload the CPU time per resource at 5,000 resources is at
// most maxScalingRatio times that at 100 (flat, not quadratic). The fastest
// of several runs is what the machine can do when nothing else runs; the
// CPU time, not the wall time, compares sizes, because on a loaded machine
// a long run is interrupted more often than a short one.
func TestDiffBudget(t *testing.T) {
	if os.Getenv("FORMWORK_BUDGET") == "" {
		t.Skip("timing budget: run with `make bench` (FORMWORK_BUDGET=1)")
	}
	const rounds = 15
	var report strings.Builder
	fmt.Fprintf(&report, "diff of two n-resource templates (parse, diff, report), %d interleaved runs per size:\n%14s %10s %12s %10s %10s %10s %14s\n",
		rounds, "workload", "resources", "bytes", "min", "median", "cpu", "cpu ns/res")
	for _, w := range workloads {
		pairs := map[int][2][]byte{}
		for _, n := range scalingSizes {
			base, head := w.pair(n)
			pairs[n] = [2][]byte{base, head}
		}
		timings := measureInterleaved(rounds, scalingSizes, func(n int) { diffPair(t, pairs[n][0], pairs[n][1]) })
		perResource := map[int]float64{}
		for _, n := range scalingSizes {
			m := timings[n]
			perResource[n] = float64(m.cpu.Nanoseconds()) / float64(n)
			fmt.Fprintf(&report, "%14s %10d %12d %10s %10s %10s %14.0f\n", w.name, n, len(pairs[n][0])+len(pairs[n][1]),
				round(m.min), round(m.median), round(m.cpu), perResource[n])
		}
		first, last := scalingSizes[0], scalingSizes[len(scalingSizes)-1]
		ratio := perResource[last] / perResource[first]
		fmt.Fprintf(&report, "%14s: CPU ns/resource at %d / at %d = %.2f (budget %.1f)\n", w.name, last, first, ratio, maxScalingRatio)
		if ratio > maxScalingRatio {
			t.Errorf("%s: time per resource grows with size: %.2fx from %d to %d resources, budget %.1fx", w.name, ratio, first, last, maxScalingRatio)
		}
		if fastest := timings[benchResources].min; w.name == "edits" && fastest > diffBudget {
			t.Errorf("diff of %d resources took %s at best, budget %s", benchResources, round(fastest), diffBudget)
		}
	}
	fmt.Fprintf(&report, "budget: the fastest edits diff at %d resources within %s", benchResources, diffBudget)
	t.Log("\n" + report.String())
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }

// timing is how long one call took: the fastest and the median wall time of
// several runs, and the mean CPU time the process spent (GC included).
type timing struct{ min, median, cpu time.Duration }

// measureInterleaved times f for every size, round after round, so that a
// burst of load elsewhere slows all sizes alike and the ratios stay fair
// (as templates' TestRenderBudget measures the render).
func measureInterleaved(rounds int, sizes []int, f func(n int)) map[int]timing {
	walls := map[int][]time.Duration{}
	cpus := map[int]time.Duration{}
	for _, n := range sizes {
		f(n) // warm up
	}
	for r := 0; r < rounds; r++ {
		for _, n := range sizes {
			cpu0, start := processCPU(), time.Now()
			f(n)
			walls[n] = append(walls[n], time.Since(start))
			cpus[n] += processCPU() - cpu0
		}
	}
	out := map[int]timing{}
	for _, n := range sizes {
		ds := walls[n]
		slices.Sort(ds)
		out[n] = timing{ds[0], ds[len(ds)/2], cpus[n] / time.Duration(rounds)}
	}
	return out
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
