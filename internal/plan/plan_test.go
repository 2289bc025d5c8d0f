package plan

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/diff"
	"github.com/formwork-dev/formwork/internal/diff/report"
	"github.com/formwork-dev/formwork/templates"
)

// The recorded change sets are AWS's documented examples (testdata/aws-docs/SOURCE.md),
// all made from the stack of testdata/aws-docs/ec2-instance.json with these values.
var deployedValues = map[string]string{"Purpose": "testing", "KeyPairName": "MyKeyName", "InstanceType": "t2.micro"}

func recorded(t *testing.T, name string) cloud.ChangeSet {
	t.Helper()
	var out cfn.DescribeChangeSetOutput
	if err := json.Unmarshal(readFixture(t, name+".json"), &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cloud.FromOutput(&out)
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "aws-docs", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleTemplate is the documented sample template with edit applied to
// its text.
func sampleTemplate(t *testing.T, old, new string) []byte {
	t.Helper()
	base := string(readFixture(t, "ec2-instance.json"))
	if !strings.Contains(base, old) {
		t.Fatalf("the sample template has no %q", old)
	}
	return []byte(strings.Replace(base, old, new, 1))
}

// planOf merges a change set with formwork's prediction of head deployed
// with the planned values over the sample stack.
func planOf(t *testing.T, cs cloud.ChangeSet, head []byte, planned map[string]string) Report {
	t.Helper()
	tree, err := templates.Parse(head)
	if err != nil {
		t.Fatal(err)
	}
	params := ParameterChanges(templates.Parameters(tree), deployedValues, planned)
	var changed []string
	for _, p := range params {
		if p.Change == diff.Modify {
			changed = append(changed, p.Name)
		}
	}
	predicted, err := diff.DiffDeployment("sample", readFixture(t, "ec2-instance.json"), head, changed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return New(Report{Stack: "sample", StackName: "SampleStack", Region: "us-east-1"}, cs, predicted, params, tree)
}

func with(values map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range deployedValues {
		out[k] = v
	}
	for k, v := range values {
		out[k] = v
	}
	return out
}

const tag = `"Key" : "Purpose",`

func TestMergeAgreesWithTheDocumentedChangeSets(t *testing.T) {
	unchanged := readFixture(t, "ec2-instance.json")
	cases := []struct {
		fixture     string
		head        []byte
		planned     map[string]string
		summary     Summary
		replacement string           // CloudFormation's for MyEC2Instance
		predicted   diff.Replacement // formwork's replacement for MyEC2Instance
	}{
		{"direct", sampleTemplate(t, tag, tag+` "Owner": "ops", "Extra" : "x",`), deployedValues, Summary{Modify: 1}, "False", "no"},
		{"parameter", unchanged, with(map[string]string{"Purpose": "production"}), Summary{Modify: 1, Parameters: 1}, "False", "no"},
		{"multiple", unchanged, with(map[string]string{"Purpose": "production", "KeyPairName": "MyNewKeyName", "InstanceType": "t2.small"}),
			Summary{Modify: 1, Replace: 1, Parameters: 3}, "True", "yes"},
	}
	for _, c := range cases {
		r := planOf(t, recorded(t, c.fixture), c.head, c.planned)
		if r.Summary != c.summary {
			t.Errorf("%s: summary %+v, want %+v", c.fixture, r.Summary, c.summary)
		}
		if len(r.Resources) != 1 {
			t.Fatalf("%s: %+v", c.fixture, r.Resources)
		}
		res := r.Resources[0]
		if res.LogicalID != "MyEC2Instance" || res.Action != "Modify" || res.Source != "cloudformation" ||
			res.Replacement != c.replacement || res.Predicted.Replacement != c.predicted || res.Disagreement != "" {
			t.Errorf("%s: %+v", c.fixture, res)
		}
		if len(res.Causes) == 0 || res.PhysicalID == "" {
			t.Errorf("%s: causes or physical id lost: %+v", c.fixture, res)
		}
	}

	r := planOf(t, recorded(t, "addremove"), []byte(addRemove), deployedValues)
	if r.Summary != (Summary{Add: 2, Remove: 1}) {
		t.Errorf("addremove: %+v %+v", r.Summary, r.Resources)
	}
	for _, res := range r.Resources {
		if res.Disagreement != "" || res.Predicted.Change == "" {
			t.Errorf("addremove: %s: %+v", res.LogicalID, res)
		}
	}
}

// addRemove is the sample template with the instance replaced by an Auto
// Scaling group and its launch configuration (the page does not print it).
const addRemove = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "Purpose": {"Type": "String", "Default": "testing", "AllowedValues": ["testing", "production"]},
    "KeyPairName": {"Type": "AWS::EC2::KeyPair::KeyName"},
    "InstanceType": {"Type": "String", "Default": "t2.micro", "AllowedValues": ["t2.micro", "t2.small", "t2.medium"]}
  },
  "Resources": {
    "AutoScalingGroup": {"Type": "AWS::AutoScaling::AutoScalingGroup",
      "Properties": {"MinSize": "1", "MaxSize": "1", "AvailabilityZones": ["us-east-1a"], "LaunchConfigurationName": {"Ref": "LaunchConfig"}}},
    "LaunchConfig": {"Type": "AWS::AutoScaling::LaunchConfiguration",
      "Properties": {"ImageId": "ami-8fcee4e5", "KeyName": {"Ref": "KeyPairName"}, "InstanceType": {"Ref": "InstanceType"}}}
  }
}`

func TestMergeFlagsDisagreements(t *testing.T) {
	unchanged := readFixture(t, "ec2-instance.json")
	onlyInstanceType := recorded(t, "multiple")
	onlyInstanceType.Changes[0].Replacement = "Conditional"
	onlyInstanceType.Changes[0].Details = keep(onlyInstanceType.Changes[0].Details, "InstanceType")
	replacedByCloudFormation := recorded(t, "direct")
	replacedByCloudFormation.Changes[0].Replacement = "True"
	replacedByCloudFormation.Changes[0].Details[0].RequiresRecreation = "Always"
	conditionalTags := recorded(t, "direct")
	conditionalTags.Changes[0].Replacement = "Conditional"
	conditionalTags.Changes[0].Details[0].RequiresRecreation = "Conditionally"
	empty := recorded(t, "parameter")
	empty.Changes = nil // what moto answers for a parameter-only change
	onlyParameterCause := recorded(t, "parameter")
	onlyParameterCause.Changes[0].Details = onlyParameterCause.Changes[0].Details[1:]

	cases := []struct {
		name    string
		cs      cloud.ChangeSet
		head    []byte
		planned map[string]string
		want    string // "" = no disagreement
		source  string
	}{
		{"conditional replacement AWS documents as in place (InstanceType interrupts)", onlyInstanceType, unchanged,
			with(map[string]string{"InstanceType": "t2.small"}), "", "cloudformation"},
		{"conditional replacement formwork does not predict", conditionalTags, sampleTemplate(t, tag, tag+` "Extra": "x",`), deployedValues,
			"CloudFormation may replace it (Tags); formwork predicts an update in place", "cloudformation"},
		{"replacement formwork does not predict", replacedByCloudFormation, sampleTemplate(t, tag, tag+` "Extra": "x",`), deployedValues,
			"CloudFormation replaces it (Tags); formwork predicts an update in place", "cloudformation"},
		{"formwork predicts a replacement CloudFormation does not", recorded(t, "direct"), sampleTemplate(t, `"ami-8fcee4e5"`, `"ami-0123456789abcdef0"`), deployedValues,
			"formwork predicts a replacement (Properties.ImageId: create-only property ImageId); CloudFormation updates it in place", "cloudformation"},
		{"a change only formwork predicts", empty, unchanged, with(map[string]string{"Purpose": "production"}),
			"CloudFormation lists no change; formwork predicts modify in place (Properties.Tags)", "formwork"},
		{"a direct change formwork does not see", recorded(t, "direct"), unchanged, deployedValues,
			"CloudFormation modifies it; formwork sees no change in its template or parameters", "cloudformation"},
		{"a change caused only by a parameter is explained", onlyParameterCause, unchanged, deployedValues, "", "cloudformation"},
	}
	for _, c := range cases {
		r := planOf(t, c.cs, c.head, c.planned)
		if len(r.Resources) != 1 {
			t.Fatalf("%s: %+v", c.name, r.Resources)
		}
		res := r.Resources[0]
		if res.Disagreement != c.want || res.Source != c.source {
			t.Errorf("%s:\n got %q (%s)\nwant %q (%s)", c.name, res.Disagreement, res.Source, c.want, c.source)
		}
		wantCount := 0
		if c.want != "" {
			wantCount = 1
		}
		if r.Summary.Disagreements != wantCount {
			t.Errorf("%s: summary counts %d disagreements, want %d", c.name, r.Summary.Disagreements, wantCount)
		}
	}
}

func keep(details []cloud.Detail, name string) []cloud.Detail {
	var out []cloud.Detail
	for _, d := range details {
		if d.Name == name {
			out = append(out, d)
		}
	}
	return out
}

func TestFailedChangeSets(t *testing.T) {
	unchanged := readFixture(t, "ec2-instance.json")
	cases := []struct {
		reason, status string
	}{
		{"The submitted information didn't contain changes. Submit different information to create a change set.", NoChanges},
		{"No updates are to be performed.", NoChanges},
		{"Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template", Failed},
	}
	for _, c := range cases {
		cs := recorded(t, "direct")
		cs.Status, cs.StatusReason, cs.Changes = "FAILED", c.reason, nil
		r := planOf(t, cs, unchanged, deployedValues)
		if r.Status != c.status || r.HasChanges() || len(r.Resources) != 0 {
			t.Errorf("%q: status %s, %+v", c.reason, r.Status, r.Resources)
		}
		if c.status == Failed && (r.Reason != c.reason || !strings.Contains(r.Text(), c.reason)) {
			t.Errorf("%q: the reason is not reported:\n%s", c.reason, r.Text())
		}
	}
}

func TestParameterChanges(t *testing.T) {
	specs := []templates.Parameter{
		{Name: "Same", HasDefault: true, Default: "a"},
		{Name: "Changed"},
		{Name: "ToDefault", HasDefault: true, Default: "d"},
		{Name: "Secret", NoEcho: true},
		{Name: "New", HasDefault: true, Default: "n"},
	}
	deployed := map[string]string{"Same": "a", "Changed": "1", "ToDefault": "x", "Secret": "****", "Dropped": "z"}
	planned := map[string]string{"Changed": "2", "Secret": "hunter2"}
	got := ParameterChanges(specs, deployed, planned)
	want := []ParameterChange{
		{Name: "Changed", Change: diff.Modify, Old: "1", New: "2"},
		{Name: "ToDefault", Change: diff.Modify, Old: "x", New: "d"},
		{Name: "New", Change: diff.Add, New: "n"},
		{Name: "Dropped", Change: diff.Remove, Old: "z"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReportFormats(t *testing.T) {
	r := planOf(t, recorded(t, "multiple"), readFixture(t, "ec2-instance.json"),
		with(map[string]string{"Purpose": "production", "KeyPairName": "MyNewKeyName", "InstanceType": "t2.small"}))
	r.Environment = "prod"
	text := r.Text()
	for _, want := range []string{
		"sample (prod: SampleStack in us-east-1), change set SampleChangeSet-multiple: 0 to add, 1 to modify, 0 to remove, 1 replaced, 3 parameters changed",
		"~ MyEC2Instance (AWS::EC2::Instance): replacement True (formwork: yes)",
		"Properties.KeyName (ParameterReference, KeyPairName, recreation: Always)",
		`~ KeyPairName: "MyKeyName" -> "MyNewKeyName"`,
		"plan --keep keeps it",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "Properties.KeyName") != 1 {
		t.Errorf("the dynamic twin of a static cause is shown:\n%s", text)
	}
	md := r.Markdown()
	for _, want := range []string{MarkdownMarker + " sample prod -->", "| Modify | `MyEC2Instance` | AWS::EC2::Instance | True | modify, replacement yes |", "| `InstanceType` | modify | `t2.micro` | `t2.small` |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown report lacks %q:\n%s", want, md)
		}
	}
	var b strings.Builder
	if err := r.Write(&b, report.FormatJSON); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "null") || !strings.Contains(b.String(), `"schemaVersion": 1`) {
		t.Errorf("JSON report:\n%s", b.String())
	}
}

var update = flag.Bool("update", false, "rewrite testdata/reports/ from the reports (review the diff)")

// TestReportsMatchTheirFiles holds every recorded change set's whole report,
// in text, Markdown and JSON, in testdata/reports/<case>/: a change to a
// report is a reviewed diff of those files (go test ./internal/plan -update).
func TestReportsMatchTheirFiles(t *testing.T) {
	unchanged := readFixture(t, "ec2-instance.json")
	cases := []struct {
		name    string
		head    []byte
		planned map[string]string
	}{
		{"direct", sampleTemplate(t, tag, tag+` "Owner": "ops", "Extra" : "x",`), deployedValues},
		{"parameter", unchanged, with(map[string]string{"Purpose": "production"})},
		{"multiple", unchanged, with(map[string]string{"Purpose": "production", "KeyPairName": "MyNewKeyName", "InstanceType": "t2.small"})},
		{"addremove", []byte(addRemove), deployedValues},
	}
	for _, c := range cases {
		r := planOf(t, recorded(t, c.name), c.head, c.planned)
		r.Environment = "prod"
		for _, f := range []struct {
			file   string
			format report.Format
		}{{"report.txt", report.FormatText}, {"report.md", report.FormatMarkdown}, {"report.json", report.FormatJSON}} {
			var got bytes.Buffer
			if err := r.Write(&got, f.format); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "reports", c.name, f.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v: run go test ./internal/plan -update and review the files", err)
			}
			if !bytes.Equal(want, got.Bytes()) {
				t.Errorf("%s differs from the report (run go test ./internal/plan -update and review the diff):\n%s", path, got.String())
			}
		}
	}
}

// TestSecretsNeverCryWolf: a NoEcho parameter passed again is never shown as
// changed, and the function that reads it is no disagreement, whether
// CloudFormation modifies it (the value changed) or not.
func TestSecretsNeverCryWolf(t *testing.T) {
	body := []byte(`Parameters:
  WebhookSecret: {Type: String, NoEcho: true}
Resources:
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: x}
      Runtime: python3.12
      Handler: index.handler
      Environment:
        Variables:
          SECRET: !Ref WebhookSecret
`)
	tree, err := templates.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	specs := templates.Parameters(tree)
	deployed, planned := map[string]string{"WebhookSecret": "****"}, map[string]string{"WebhookSecret": "hunter2"}
	params := ParameterChanges(specs, deployed, planned)
	if len(params) != 0 {
		t.Errorf("a NoEcho value passed again is shown as a change: %+v", params)
	}
	predicted, err := diff.DiffDeployment("s", body, body, nil, Unreadable(specs, deployed, planned))
	if err != nil {
		t.Fatal(err)
	}
	for name, cs := range map[string]cloud.ChangeSet{
		"no change":   {Name: "c", Status: "CREATE_COMPLETE", Changes: []cloud.Change{}},
		"CF modifies": {Name: "c", Status: "CREATE_COMPLETE", Changes: []cloud.Change{{Action: "Modify", LogicalID: "Handler", Type: "AWS::Lambda::Function", Replacement: "False"}}},
	} {
		r := New(Report{Stack: "s", StackName: "S"}, cs, predicted, params, tree)
		if r.Summary.Disagreements != 0 || strings.Contains(r.Text(), "hunter2") {
			t.Errorf("%s: %d disagreements:\n%s", name, r.Summary.Disagreements, r.Text())
		}
	}
}

// TestPlanShowsWhatTheDiffShows: data at risk (by the worse of the two
// verdicts), IAM and exposure, in text, Markdown and JSON.
func TestPlanShowsWhatTheDiffShows(t *testing.T) {
	deployed := []byte(`Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Uploads:
    Type: AWS::S3::Bucket
    UpdateReplacePolicy: Snapshot
  ListRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: api-1
      RouteKey: GET /orders
      AuthorizationType: AWS_IAM
`)
	head := []byte(strings.Replace(strings.Replace(string(deployed), "KeyType: HASH}]", "KeyType: RANGE}]", 1), "AuthorizationType: AWS_IAM", "AuthorizationType: NONE", 1))
	tree, err := templates.Parse(head)
	if err != nil {
		t.Fatal(err)
	}
	predicted, err := diff.DiffDeployment("orders", deployed, head, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs := cloud.ChangeSet{Name: "c", Status: "CREATE_COMPLETE", Changes: []cloud.Change{
		{Action: "Modify", LogicalID: "Orders", Type: "AWS::DynamoDB::Table", Replacement: "Conditional"},
		{Action: "Modify", LogicalID: "Uploads", Type: "AWS::S3::Bucket", Replacement: "True",
			Details: []cloud.Detail{{Attribute: "Properties", Name: "BucketName", ChangeSource: "ResourceReference", RequiresRecreation: "Always"}}},
		{Action: "Modify", LogicalID: "ListRoute", Type: "AWS::ApiGatewayV2::Route", Replacement: "False"},
	}}
	r := New(Report{Stack: "orders", StackName: "Orders"}, cs, predicted, []ParameterChange{}, tree)
	if r.Summary.DataAtRisk != 2 || r.Summary.DataUnprotected != 2 || r.Summary.Broadening != 1 {
		t.Errorf("summary: want 2 data resources at risk, both unprotected, 1 broadening: %+v\n%s", r.Summary, r.Text())
	}
	text := r.Text()
	for _, want := range []string{"2 data resources at risk (2 unprotected)", "DATA AT RISK", "orders/Orders (AWS::DynamoDB::Table) replaced, UpdateReplacePolicy: Retain: NOT protected",
		"orders/Uploads (AWS::S3::Bucket) replaced, UpdateReplacePolicy: Snapshot: NOT protected", "Exposure", "ListRoute API route: route GET /orders: AuthorizationType NONE  [broadens access]"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	md := r.Markdown()
	for _, want := range []string{"[!CAUTION]", "Exposure: +1 −0, :warning: 1 broadening access"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var b strings.Builder
	if err := r.Write(&b, report.FormatJSON); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"dataAtRisk": [`, `"exposure": [`, `"iam": []`, `"broadening": 1`, `"schemaVersion": 1`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b.String())
		}
	}
}

func TestStateWarning(t *testing.T) {
	for _, c := range []struct{ status, reason, drift, want string }{
		{"UPDATE_COMPLETE", "", "IN_SYNC", ""},
		{"CREATE_COMPLETE", "", "NOT_CHECKED", ""},
		{"REVIEW_IN_PROGRESS", "", "", ""},
		{"UPDATE_ROLLBACK_COMPLETE", "Resource Queue failed:\n  bad", "", "stack s is UPDATE_ROLLBACK_COMPLETE (Resource Queue failed: bad): its last update failed and was rolled back"},
		{"ROLLBACK_COMPLETE", "", "", "its creation failed and it holds nothing; it cannot be updated: delete it"},
		{"UPDATE_ROLLBACK_FAILED", "", "", "stack s is UPDATE_ROLLBACK_FAILED: an operation on it failed and CloudFormation could not undo it"},
		{"UPDATE_IN_PROGRESS", "", "", "another operation on it is running"},
		{"UPDATE_COMPLETE", "", "DRIFTED", "stack s has drifted"},
	} {
		got := StateWarning("s", c.status, c.reason, c.drift)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s/%s: %q, want %q", c.status, c.drift, got, c.want)
		}
	}
}

func TestReportShowsTheStackStateFirst(t *testing.T) {
	r := Report{Stack: "demo", StackName: "demo", ChangeSet: "p", Status: Changes,
		Warning: StateWarning("demo", "UPDATE_ROLLBACK_COMPLETE", "", "")}
	if text := r.Text(); !strings.HasPrefix(text, "! stack demo is UPDATE_ROLLBACK_COMPLETE: ") {
		t.Errorf("text:\n%s", text)
	}
	md := r.Markdown()
	if i, j := strings.Index(md, "> ⚠️ stack demo is UPDATE_ROLLBACK_COMPLETE"), strings.Index(md, "**demo (demo)"); i < 0 || j < i {
		t.Errorf("markdown must warn before the headline:\n%s", md)
	}
}
