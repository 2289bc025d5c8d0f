package importer

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// numbersTemplate holds the inputs that changed silently before (issue 23):
// account ids written as plain numbers, an octal, a huge integer and a
// decimal with a trailing zero.
const numbersTemplate = `Parameters:
  Account:
    Type: String
    Default: 012345678901
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 3600
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: 098765432198}
            Action: sts:AssumeRole
          - Effect: Allow
            Principal: {AWS: [012345670123, 123456789012345678901234]}
            Action: sts:AssumeRole
            Condition: {NumericLessThan: {"aws:MultiFactorAuthAge": 1.50}}
`

// TestImportNumbersExact: numbers travel as the text they were written as,
// into the Go and back into the rendered YAML; what CloudFormation reads
// differently from how it is written is a finding with the fix.
func TestImportNumbersExact(t *testing.T) {
	r, err := ImportStack("numbers.yaml", "numbers", []byte(numbersTemplate), Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := string(r.Source)
	for _, want := range []string{`Default: "012345678901"`, `"AWS": "098765432198"`,
		`json.Number("123456789012345678901234")`, `json.Number("1.50")`, `cloudformation.Int(3600)`, `1402433619`} {
		if !strings.Contains(src, want) {
			t.Errorf("the Go has no %s:\n%s", want, src)
		}
	}
	for _, bad := range []string{"e+10", "e+23", "9.8765432198"} {
		if strings.Contains(src, bad) {
			t.Errorf("the Go has %s, a number that lost its text:\n%s", bad, src)
		}
	}
	want := map[int]string{
		4:  `012345678901 is text to CloudFormation (YAML 1.1) but a number to YAML 1.2 tools, and the stack keeps the text: quote it ("012345678901")`,
		13: `098765432198 is text to CloudFormation`,
		16: `012345670123 is the octal number 1402433619 to CloudFormation (YAML 1.1), and the stack keeps 1402433619: if it is text such as an account id, quote it ("012345670123")`,
	}
	if len(r.Findings) != len(want) {
		t.Fatalf("findings %v, want lines 4, 13, 16", r.Findings)
	}
	for _, f := range r.Findings {
		if !strings.Contains(f.Message, want[f.Line]) {
			t.Errorf("line %d: %q, want %q", f.Line, f.Message, want[f.Line])
		}
		if !strings.Contains(src, f.String()) {
			t.Errorf("the Go does not carry the finding %q", f)
		}
	}

	// and back into YAML: render the template the source builds
	tree, s, _ := parse([]byte(numbersTemplate))
	g := newGenerator("numbers", s.comments, map[string]bool{})
	g.template(tree)
	out, err := templates.Render(g.tmpl, templates.YAML, templates.EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Default: "012345678901"`, `AWS: "098765432198"`, "123456789012345678901234", "aws:MultiFactorAuthAge: 1.50", "- 1402433619"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the rendered YAML has no %s:\n%s", want, out)
		}
	}
}

// TestNumberFindings: each form YAML 1.1 and 1.2 read differently, and
// those they read the same.
func TestNumberFindings(t *testing.T) {
	cases := map[string]string{
		"012":          "the octal number 10",
		"-0_17":        "the octal number -15",
		"08":           "is text to CloudFormation",
		"0o17":         "is text to CloudFormation",
		"12:30":        "base-60",
		"0":            "",
		"00":           "",
		"12":           "",
		"1.50":         "",
		"0.5":          "",
		"123456789012": "",
	}
	for text, want := range cases {
		got := numberFinding(text)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", text, got, want)
		}
	}
	r, err := ImportStack("keys.yaml", "keys", []byte("Mappings:\n  Accounts:\n    012345670123: {Name: a}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Line != 3 || !strings.Contains(r.Findings[0].Message, `the key 012345670123`) {
		t.Errorf("a number-like key: %v", r.Findings)
	}
}

// TestImportWaivesLintFindings: each linter finding on an entry becomes a
// waiver naming the rule, one per rule and entry, with the finding as its
// reason; one on the template as a whole is returned to be reported.
func TestImportWaivesLintFindings(t *testing.T) {
	tmpl := "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n"
	first, err := ImportStack("q.yaml", "q", []byte(tmpl), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rendered, err := first.Rendered(); err != nil || !strings.Contains(string(rendered), "DeletionPolicy: Retain") {
		t.Errorf("Rendered is not the stack's template (%v):\n%s", err, rendered)
	}
	r, err := ImportStack("q.yaml", "q", []byte(tmpl), Options{Lint: []Lint{
		{"Q", "cfn-lint:W3011", "cfn-lint W3011 (warning): Both 'UpdateReplacePolicy' and 'DeletionPolicy' are needed"},
		{"Q", "cfn-lint:W3011", "cfn-lint W3011 (warning): again"},
		{"", "cfn-lint:E1001", "cfn-lint E1001 (error): template-wide"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `t.Waive("Q", "cfn-lint:W3011", "imported as deployed: cfn-lint W3011 (warning): Both 'UpdateReplacePolicy' and 'DeletionPolicy' are needed (and 1 more)")`
	if !strings.Contains(string(r.Source), want) || strings.Count(string(r.Source), "t.Waive(") != 1 {
		t.Errorf("want one waiver %s:\n%s", want, r.Source)
	}
	if len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "template-wide: no waiver can name the template as a whole") {
		t.Errorf("findings %v", r.Findings)
	}
}
