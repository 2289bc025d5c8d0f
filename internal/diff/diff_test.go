package diff

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

const diffTestdata = "testdata"

// readPair reads a case's base.* and head.* templates (YAML or JSON).
func readPair(t *testing.T, dir string) (base, head []byte) {
	t.Helper()
	read := func(side string) []byte {
		matches, _ := filepath.Glob(filepath.Join(dir, side+".*"))
		if len(matches) != 1 {
			t.Fatalf("%s: want exactly one %s.yaml or %s.json, found %v", dir, side, side, matches)
		}
		data, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	return read("base"), read("head")
}

// dump is the report as indented JSON, for failure messages (the text and
// Markdown forms are the report package's).
func dump(r Report) string {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b) + "\n"
}

func diffCase(t *testing.T, name string) Report {
	t.Helper()
	base, head := readPair(t, filepath.Join(diffTestdata, name))
	d, err := DiffTemplates(name, base, head)
	if err != nil {
		t.Fatal(err)
	}
	return NewReport([]StackDiff{d})
}

func findResource(t *testing.T, d StackDiff, id string) ResourceDiff {
	t.Helper()
	for _, r := range d.Resources {
		if r.LogicalID == id {
			return r
		}
	}
	t.Fatalf("%s: no change reported for %s", d.Stack, id)
	return ResourceDiff{}
}

func TestDiffRename(t *testing.T) {
	r := diffCase(t, "rename")
	d := r.Stacks[0]
	if got := findResource(t, d, "AlarmTopic"); got.RenamedFrom != "Topic" || got.Change != Add {
		t.Errorf("AlarmTopic: want an add flagged as rename of Topic, got %+v", got)
	}
	if got := findResource(t, d, "Logs"); got.RenamedTo != "FunctionLogs" || got.Change != Remove {
		t.Errorf("Logs: want a remove flagged as renamed to FunctionLogs, got %+v", got)
	}
	if r.Summary.LikelyRenames != 2 || r.Summary.DataAtRisk != 1 || r.Summary.DataUnprotected != 1 {
		t.Errorf("summary: want 2 renames and 1 unprotected log group at risk, got %+v", r.Summary)
	}
}

func TestDiffBucketReplacement(t *testing.T) {
	r := diffCase(t, "bucket-replacement")
	d := r.Stacks[0]
	bucket := findResource(t, d, "SiteBucket")
	if bucket.Replacement != ReplaceYes {
		t.Errorf("SiteBucket: a new BucketName must replace the bucket, got %q", bucket.Replacement)
	}
	for _, p := range bucket.Properties {
		want := ReplaceNo
		if p.Path == "Properties.BucketName" {
			want = ReplaceYes
		}
		if p.Replaces != want {
			t.Errorf("SiteBucket %s: replaces = %q, want %q", p.Path, p.Replaces, want)
		}
	}
	for _, id := range []string{"SiteBucketPolicy", "SyncLogs"} {
		if got := findResource(t, d, id); got.Replacement != ReplaceYes {
			t.Errorf("%s refers to the replaced bucket in a create-only property: want replacement, got %+v", id, got)
		}
	}
	risks := map[string]DataRisk{}
	for _, risk := range r.DataAtRisk {
		risks[risk.LogicalID] = risk
	}
	if risk := risks["SiteBucket"]; risk.Change != "replace" || risk.Protected {
		t.Errorf("SiteBucket: want an unprotected replacement at risk, got %+v", risk)
	}
	if risk := risks["AccessLogs"]; risk.Change != Remove || !risk.Protected {
		t.Errorf("AccessLogs: want a removal protected by DeletionPolicy Retain, got %+v", risk)
	}
	if risk := risks["SyncLogs"]; risk.Change != "replace" {
		t.Errorf("SyncLogs: the cascaded replacement of a log group is data at risk, got %+v", risk)
	}
}

func TestDiffIAMWidening(t *testing.T) {
	d := diffCase(t, "iam-widening").Stacks[0]
	var flags []string
	for _, s := range d.IAM {
		if s.Change == Add {
			flags = append(flags, s.Flags...)
		}
	}
	joined := strings.Join(flags, "\n")
	for _, want := range []string{"all s3 actions", "all resources", "wildcard resource arn:aws:logs:*:*:*", "AmazonDynamoDBFullAccess", "any principal"} {
		if !strings.Contains(joined, want) {
			t.Errorf("IAM flags miss %q; got:\n%s", want, joined)
		}
	}
	code := findResource(t, d, "Function")
	if len(code.Properties) != 1 || !strings.Contains(code.Properties[0].TextDiff, "+     for key in") {
		t.Errorf("Function: want a line diff of the inline code, got %+v", code.Properties)
	}
	if perm := findResource(t, d, "SchedulePermission"); perm.Replacement != ReplaceYes {
		t.Errorf("SchedulePermission: Principal is create-only, want replacement, got %q", perm.Replacement)
	}
}

func TestDiffParameterChange(t *testing.T) {
	d := diffCase(t, "parameter-change").Stacks[0]
	changes := map[string]EntryDiff{}
	for _, e := range d.Parameters {
		changes[e.Name] = e
	}
	if changes["Schedule"].Change != Modify || changes["AlarmEmail"].Change != Add || changes["LegacyFlag"].Change != Remove {
		t.Errorf("parameters: want Schedule modified, AlarmEmail added, LegacyFlag removed, got %+v", d.Parameters)
	}
	if len(changes["AlarmEmail"].Notes) == 0 || len(changes["Environment"].Notes) == 0 {
		t.Errorf("want notes on a required new parameter and narrowed AllowedValues, got %+v", d.Parameters)
	}
	if len(d.Outputs) != 1 || len(d.Outputs[0].Failures) == 0 {
		t.Errorf("want the renamed export flagged, got %+v", d.Outputs)
	}
	if len(d.Sections) != 1 || d.Sections[0].Name != "Conditions.IsProd" {
		t.Errorf("want Conditions.IsProd changed, got %+v", d.Sections)
	}
}

func TestDiffNoChange(t *testing.T) {
	r := diffCase(t, "no-change")
	if r.HasDifferences() {
		t.Errorf("JSON long form and YAML short form of the same template must not differ:\n%s", dump(r))
	}
}

func TestDiffAddedAndRemovedStack(t *testing.T) {
	_, head := readPair(t, filepath.Join(diffTestdata, "rename"))
	added, err := DiffTemplates("new", nil, head)
	if err != nil {
		t.Fatal(err)
	}
	removed, err := DiffTemplates("old", head, nil)
	if err != nil {
		t.Fatal(err)
	}
	if added.Status != StackAdded || len(added.Resources) != 3 || added.Resources[0].Change != Add {
		t.Errorf("a stack with no base must be added with every resource, got %+v", added)
	}
	if removed.Status != StackRemoved || len(removed.Resources) != 3 || removed.Resources[0].Change != Remove {
		t.Errorf("a stack with no head must be removed with every resource, got %+v", removed)
	}
}

func TestSizeWarnings(t *testing.T) {
	small, big, huge := make([]byte, 1000), make([]byte, DirectBodyLimit+1), make([]byte, S3BodyLimit+1)
	if w := sizeDiff(small, small).Warnings; len(w) != 0 {
		t.Errorf("small template: no warning expected, got %v", w)
	}
	if w := sizeDiff(small, big).Warnings; len(w) != 1 || !strings.Contains(w[0], "now over 51,200") {
		t.Errorf("crossing 51,200 bytes: got %v", w)
	}
	if w := sizeDiff(big, huge).Warnings; len(w) != 1 || !strings.Contains(w[0], "1 MB") {
		t.Errorf("over 1 MB: got %v", w)
	}
}

func TestDiffChangedDefaultMayReplace(t *testing.T) {
	d := diffCase(t, "parameter-change").Stacks[0]
	logs := findResource(t, d, "RuleLogs")
	if logs.Replacement != ReplaceUnknown || len(logs.Properties) != 1 || logs.Properties[0].Change != Indirect {
		t.Errorf("RuleLogs names itself after a parameter whose Default changed: want replacement unknown, got %+v", logs)
	}
}

func diffYAML(t *testing.T, base, head string) StackDiff {
	t.Helper()
	d, err := DiffTemplates("t", []byte(base), []byte(head))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReplacementRules(t *testing.T) {
	const instance = `
Resources:
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      InstanceType: t3.micro
      Monitoring: false
      Tenancy: default
      CpuOptions: {CoreCount: 2, ThreadsPerCore: 1}
      NetworkInterfaces:
        - DeviceIndex: "0"
          SubnetId: subnet-1
`
	for _, tc := range []struct {
		name, from, to string
		want           Replacement
	}{
		{"plain property", "Monitoring: false", "Monitoring: true", ReplaceNo},
		{"conditionally create-only property", "Tenancy: default", "Tenancy: dedicated", ReplaceMaybe},
		{"documented as an interruption", "InstanceType: t3.micro", "InstanceType: t3.small", ReplaceNo},
		{"create-only property", "ImageId: ami-1", "ImageId: ami-2", ReplaceYes},
		{"inside a create-only mapping", "CoreCount: 2", "CoreCount: 4", ReplaceYes},
		{"inside a create-only list", "SubnetId: subnet-1", "SubnetId: subnet-2", ReplaceYes},
		{"type change", "AWS::EC2::Instance", "AWS::EC2::Volume", ReplaceYes},
		{"custom resource token: rejected, not replaced", "AWS::EC2::Instance", "Custom::Thing", ReplaceNo},
	} {
		head := strings.Replace(instance, tc.from, tc.to, 1)
		base := instance
		if strings.HasPrefix(tc.name, "custom resource token") {
			base = strings.Replace(instance, tc.from, tc.to, 1)
			head = strings.Replace(base, "ImageId: ami-1", "ServiceToken: arn", 1)
			base = strings.Replace(base, "ImageId: ami-1", "ServiceToken: arn0", 1)
		}
		d := diffYAML(t, base, head)
		if len(d.Resources) != 1 || d.Resources[0].Replacement != tc.want {
			t.Errorf("%s: want replacement %q, got %+v", tc.name, tc.want, d.Resources)
		}
	}
	unknown := diffYAML(t, "Resources:\n  X:\n    Type: Vendor::Thing::Widget\n    Properties: {A: 1}\n",
		"Resources:\n  X:\n    Type: Vendor::Thing::Widget\n    Properties: {A: 2}\n")
	if unknown.Resources[0].Replacement != ReplaceUnknown {
		t.Errorf("a type the registry does not know: want replacement unknown, got %+v", unknown.Resources[0])
	}
}

func TestListChangesAreAligned(t *testing.T) {
	d := diffYAML(t, "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [a, b, c]\n",
		"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [a, c, d, e]\n")
	var got []string
	for _, p := range d.Resources[0].Properties {
		got = append(got, p.Change+" "+p.Path+" "+p.Old+p.New)
	}
	want := "remove Properties.ManagedPolicyArns[1] b|add Properties.ManagedPolicyArns[2] d|add Properties.ManagedPolicyArns[3] e"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
}

func TestStatementFlags(t *testing.T) {
	for _, tc := range []struct {
		row  StatementDiff
		want string
	}{
		{StatementDiff{Effect: "Allow", Actions: []string{"*"}, Resources: []string{"*"}}, "all actions; all resources"},
		{StatementDiff{Effect: "Allow", Actions: []string{"s3:Get*"}, Resources: []string{"arn:aws:s3:::b/*"}}, "wildcard action s3:Get*"},
		{StatementDiff{Effect: "Allow", Actions: []string{"NOT iam:*"}, Resources: []string{"arn:aws:iam::*:role/x"}}, "NotAction: allows every other action; wildcard resource arn:aws:iam::*:role/x"},
		{StatementDiff{Effect: "Deny", Principal: "*", Actions: []string{"*"}, Resources: []string{"*"}}, ""},
		{StatementDiff{Effect: "Allow", Principal: "{AWS: *}", Actions: []string{"sqs:SendMessage"}, Resources: []string{"!GetAtt Q.Arn"}}, "any principal"},
	} {
		if got := strings.Join(statementFlags(tc.row), "; "); got != tc.want {
			t.Errorf("%+v: flags %q, want %q", tc.row, got, tc.want)
		}
	}
}

// FuzzParse: any input parses or fails with an error, never a panic, and a
// parsed template diffs clean against itself.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Sub '${AWS::StackName}'}\n",
		"{\"Resources\": {\"A\": {\"Type\": \"X\", \"Properties\": {\"P\": {\"Fn::GetAtt\": [\"B\", \"Arn\"]}}}}}",
		"a: &x [1, 2]\nb: *x\nc: {<<: {k: v}}\n",
		"x: !GetAtt\n  - A\n  - B\ny: !Unknown {a: 1}\nz: !Ref\n",
	} {
		f.Add([]byte(seed))
	}
	for _, seed := range testdataTemplates(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := templates.Parse(data)
		if err != nil {
			return
		}
		d := DiffTrees("fuzz", tree, tree)
		if d.Changed() {
			t.Errorf("a template differs from itself: %+v", d)
		}
	})
}

// jsonNull finds a null value in an indented JSON report.
var jsonNull = regexp.MustCompile(`: null(,?)\n`)

// testdataTemplates are the base and head templates of every case.
func testdataTemplates(f *testing.F) [][]byte {
	files, _ := filepath.Glob(filepath.Join(diffTestdata, "*", "*.*"))
	var out [][]byte
	for _, file := range files {
		if name := filepath.Base(file); strings.HasPrefix(name, "base.") || strings.HasPrefix(name, "head.") {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, data)
		}
	}
	return out
}

// FuzzDiffPair: any two templates diff without a panic, and the report's
// JSON keeps its promise of lists, never null.
func FuzzDiffPair(f *testing.F) {
	seeds := testdataTemplates(f)
	for i := 0; i+1 < len(seeds); i += 2 {
		f.Add(seeds[i], seeds[i+1])
	}
	f.Fuzz(func(t *testing.T, base, head []byte) {
		d, err := DiffTemplates("fuzz", base, head)
		if err != nil {
			return
		}
		if js := dump(NewReport([]StackDiff{d})); jsonNull.MatchString(js) {
			t.Errorf("null in the JSON report:\n%s", js)
		}
	})
}

// TestSameMeaningIsNoChange lists texts that differ without changing what
// CloudFormation does, and changes that must still show.
func TestSameMeaningIsNoChange(t *testing.T) {
	const queue = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
	cases := []struct {
		name, base, head string
		changed          bool
	}{
		{"absent version is the only version", queue, "AWSTemplateFormatVersion: \"2010-09-09\"\n" + queue, false},
		{"DependsOn: X is [X]", queue + "    DependsOn: Queue\n  B:\n    Type: AWS::SNS::Topic\n",
			queue + "    DependsOn: [Queue]\n  B:\n    Type: AWS::SNS::Topic\n", false},
		{"empty Properties and Metadata are none", queue + "    Properties: {}\n    Metadata: {}\n", queue, false},
		{"empty template Metadata is none", "Metadata: {}\n" + queue, queue, false},
		{"a DependsOn change shows", queue + "    DependsOn: A\n", queue + "    DependsOn: B\n", true},
		{"a Globals change shows", "Globals:\n  Function: {Timeout: 3}\n" + queue, "Globals:\n  Function: {Timeout: 5}\n" + queue, true},
		{"a loop change shows", "Resources:\n  Fn::ForEach::T:\n    - N\n    - [a]\n    - ${N}: {Type: AWS::SNS::Topic}\n",
			"Resources:\n  Fn::ForEach::T:\n    - N\n    - [a, b]\n    - ${N}: {Type: AWS::SNS::Topic}\n", true},
		{"an equal loop is no change", "Resources:\n  Fn::ForEach::T:\n    - N\n    - [a]\n    - ${N}: {Type: AWS::SNS::Topic}\n",
			"Resources:\n  Fn::ForEach::T: [N, [a], {\"${N}\": {Type: AWS::SNS::Topic}}]\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := DiffTemplates("s", []byte(c.base), []byte(c.head))
			if err != nil {
				t.Fatal(err)
			}
			if d.Changed() != c.changed {
				t.Errorf("Changed() = %v, want %v: %+v", d.Changed(), c.changed, d)
			}
		})
	}
}

// TestScalarsByWrittenText: CloudFormation passes property values on as
// text, so a number is compared by how it is written.
func TestScalarsByWrittenText(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"V: 80", `V: "80"`, true},
		{"V: true", `V: "true"`, true},
		{"V: 1.0", "V: 1", false},
		{`V: "012"`, "V: 12", false},
		{"V: 1e3", "V: 1000", false},
	} {
		a, err := templates.Parse([]byte(c.a))
		if err != nil {
			t.Fatal(err)
		}
		b, err := templates.Parse([]byte(c.b))
		if err != nil {
			t.Fatal(err)
		}
		if got := SameValue(a.Value("V"), b.Value("V")); got != c.same {
			t.Errorf("%s vs %s: same = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
