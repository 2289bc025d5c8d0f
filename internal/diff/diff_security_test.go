package diff

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// TestExposureRulesCatchPlantedChanges: every security rule has a planted
// change under testdata that it must report as broadening access.
func TestExposureRulesCatchPlantedChanges(t *testing.T) {
	for _, tc := range []struct {
		fixture, resource, kind, risk string
	}{
		{"exposure-sg-world", "Bastion", KindIngress, "open to the internet"},
		{"exposure-sg-world", "Bastion", KindEgress, "open to the internet"},
		{"exposure-sg-world", "WebHttpsV6", KindIngress, "open to the internet"},
		{"exposure-sg-world", "Admin", KindIngress, "open to the internet"}, // a parameter's Default
		{"exposure-sg-widened", "Api", KindIngress, "widened from tcp 443 from 10.0.0.0/16"},
		{"exposure-sg-widened", "DatabaseFromApp", KindIngress, "widened from tcp 5432 from 10.1.0.0/24"},
		{"exposure-sg-widened", "DatabaseFromApi", KindIngress, "widened from tcp 5432"},
		{"exposure-public-access", "Assets", KindPublicAccess, "BlockPublicPolicy is off"},
		{"exposure-public-access", "Exports", KindPublicAccess, "public access block is removed"},
		{"exposure-public-access", "ExportsPoint", KindPublicAccess, "BlockPublicPolicy is off"},
		{"exposure-public-access", "Downloads", KindPublicAccess, "BlockPublicAcls is off"},
		{"exposure-public-access", "Downloads", KindPublicACL, "grants everyone"},
		{"exposure-any-principal", "SitePolicy", KindResourcePolicy, "any principal"},
		{"exposure-any-principal", "AlertsPolicy", KindResourcePolicy, "any principal"},
		{"exposure-any-principal", "InboxPolicy", KindResourcePolicy, "any principal"},
		{"exposure-any-principal", "Deployer", KindTrustPolicy, "any principal"},
		{"exposure-function-url", "ApiUrl", KindFunctionURL, "public function URL"},
		{"exposure-function-url", "ApiInvoke", KindInvoke, "anyone on the internet"},
		{"exposure-function-url", "ApiInvokeAnyone", KindInvoke, "anyone on the internet"},
		{"iam-fn-if", "DataKey", KindResourcePolicy, "any principal"},
		{"yaml11-quoted", "Site", KindPublicAccess, "BlockPublicPolicy is off"},
	} {
		r := diffCase(t, tc.fixture)
		found := false
		for _, e := range r.Stacks[0].Exposure {
			if e.Resource == tc.resource && e.Kind == tc.kind && e.Change == Add && e.Broadens && strings.Contains(e.Risk, tc.risk) {
				found = true
			}
		}
		if !found || !r.Broadens() {
			t.Errorf("%s: want %s %s flagged %q and broadening, got %+v", tc.fixture, tc.resource, tc.kind, tc.risk, r.Stacks[0].Exposure)
		}
	}
}

// TestNarrowingDoesNotBroaden: the same exposures narrowed (a CIDR or port
// range, public access blocked, a principal or Condition added, an action
// wildcard replaced, a statement put behind an !If) broaden nothing.
func TestNarrowingDoesNotBroaden(t *testing.T) {
	r := diffCase(t, "exposure-narrowing")
	if r.Broadens() {
		t.Errorf("a narrowing change must not broaden access: %d broadening\n%s", r.Summary.Broadening, dump(r))
	}
	removed := 0
	for _, e := range r.Stacks[0].Exposure {
		if e.Change == Remove {
			removed++
		}
	}
	if removed < 8 {
		t.Errorf("want the narrowed exposures listed as removed, got %+v", r.Stacks[0].Exposure)
	}
	for _, name := range []string{"no-change", "yaml11-twins", "policy-json-text"} {
		if got := diffCase(t, name); name != "policy-json-text" && got.Broadens() {
			t.Errorf("%s: nothing broadens, got %d", name, got.Summary.Broadening)
		}
	}
}

// TestConditionalReplacement: the registry calls KeySchema and
// InstanceType conditionally create-only; AWS documents a key schema
// change as a replacement and an instance type change as an interruption.
// A replacement under UpdateReplacePolicy Retain moves the service to an
// empty table: data at risk, not protected.
func TestConditionalReplacement(t *testing.T) {
	r := diffCase(t, "conditional-replacement")
	d := r.Stacks[0]
	for id, want := range map[string]Replacement{"Orders": ReplaceYes, "Events": ReplaceYes, "Worker": ReplaceNo} {
		if got := findResource(t, d, id); got.Replacement != want {
			t.Errorf("%s: want replacement %s, got %q", id, want, got.Replacement)
		}
	}
	if w := findResource(t, d, "Worker"); !strings.Contains(w.Properties[0].Why, "interruption") {
		t.Errorf("Worker: the instance type change must say it interrupts: %+v", w.Properties)
	}
	for _, res := range d.Resources {
		if res.LogicalID == "ScratchAttachment" {
			t.Errorf("ScratchAttachment refers to an instance updated in place: no change, got %+v", res)
		}
	}
	risks := map[string]DataRisk{}
	for _, risk := range r.DataAtRisk {
		risks[risk.LogicalID] = risk
	}
	if risks["Orders"].Change != "replace" || risks["Orders"].Protected {
		t.Errorf("want Orders replaced and unprotected: %+v", risks["Orders"])
	}
	if e := risks["Events"]; e.Change != "replace" || e.Protected || !strings.Contains(e.Note, "the service moves to it") {
		t.Errorf("want Events replaced and not protected by UpdateReplacePolicy Retain, saying the service moves: %+v", e)
	}
	if r.Summary.ResourcesReplaced != 2 || r.Summary.ResourcesMaybeReplaced != 0 || r.Summary.DataUnprotected != 2 {
		t.Errorf("summary: want 2 replaced, none maybe, 2 unprotected, got %+v", r.Summary)
	}
}

func TestIAMInsideFnIf(t *testing.T) {
	d := diffCase(t, "iam-fn-if").Stacks[0]
	if key := findResource(t, d, "DataKey"); len(key.Properties) != 1 || key.Properties[0].New != seeIAM {
		t.Errorf("DataKey: a statement added behind !If changes the key policy, got %+v", key.Properties)
	}
	want := map[string]string{
		"DataKey kms:Decrypt":     "ShareKey",
		"AppRole sqs:SendMessage": "IsProd",
		"AppRole sqs:*":           "not IsProd",
		"AppRole (managed policy) arn:aws:iam::aws:policy/AdministratorAccess": "not IsProd",
		"JobsPolicy sqs:SendMessage": "ShareKey",
	}
	got := map[string]string{}
	for _, s := range d.IAM {
		if s.Change != Add {
			continue
		}
		key := s.Resource + " " + strings.Join(s.Actions, ",")
		if s.Actions[0] == "(managed policy)" {
			key += " " + s.Resources[0]
		}
		got[key] = s.When
	}
	for k, when := range want {
		if got[k] != when {
			t.Errorf("%s: want when %q, got %q (all: %v)", k, when, got[k], got)
		}
	}
}

func TestPolicyTextsAreDocuments(t *testing.T) {
	d := diffCase(t, "policy-json-text").Stacks[0]
	if len(d.Resources) != 1 || d.Resources[0].LogicalID != "UploadsPolicy" {
		t.Errorf("a JSON policy text reformatted or rewritten as YAML is no change; want only UploadsPolicy, got %+v", d.Resources)
	}
	if len(d.IAM) != 1 || d.IAM[0].Principal != "*" || d.IAM[0].Resources[0] != "!Sub arn:${AWS::Partition}:s3:::${Uploads}/*" {
		t.Errorf("want the statement added inside the !Sub JSON text, got %+v", d.IAM)
	}
}

func TestPolicyTextForms(t *testing.T) {
	doc := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:${AWS::Partition}:s3:::b/*"}]}`
	for _, tc := range []struct {
		name string
		v    any
		ok   bool
	}{
		{"string", `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`, true},
		{"!Sub text", templates.Fn{Name: templates.FnSub, Arg: doc}, true},
		{"!Sub with variables", templates.Fn{Name: templates.FnSub, Arg: []any{doc, templates.NewMap()}}, true},
		{"Fn::ToJsonString", templates.Fn{Name: templates.FnToJSON, Arg: mustTree(t, `{"Statement": []}`)}, true},
		{"not JSON", `{"Statement": [`, false},
		{"JSON without Statement", `{"Version": "2012-10-17"}`, false},
		{"plain text", "Statement of work", false},
	} {
		texts := newPolicyTexts()
		got, ok := texts.policyText(tc.v)
		if ok != tc.ok {
			t.Errorf("%s: read as a policy document = %v, want %v", tc.name, ok, tc.ok)
		}
		if again, okAgain := texts.policyText(tc.v); okAgain != ok || !identical(again, got) {
			t.Errorf("%s: read again (%v, %v), want what the first reading gave (%v, %v)", tc.name, again, okAgain, got, ok)
		}
		if ok && tc.name == "!Sub text" {
			st := statements(got)[0]
			if fn, isSub := st.Value("Resource").(templates.Fn); !isSub || fn.Name != templates.FnSub {
				t.Errorf("a ${} variable in a !Sub text must read as !Sub, got %#v", st.Value("Resource"))
			}
		}
	}
}

func mustTree(t *testing.T, src string) *templates.Map {
	t.Helper()
	m, err := templates.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRejectedUpdates(t *testing.T) {
	r := diffCase(t, "update-rejected")
	got := map[string]string{}
	for _, f := range r.Failures {
		got[f.Name] += f.Reason
	}
	for id, want := range map[string]string{
		"Seed":          "Modifying service token is not allowed",
		"DnsRecord":     "Modifying service token is not allowed",
		"ArchiveBucket": "keeps the custom name in Properties.BucketName",
		"JobQueue":      "keeps the custom name in Properties.QueueName",
	} {
		if !strings.Contains(got[id], want) {
			t.Errorf("%s: want a failure saying %q, got %q", id, want, got[id])
		}
	}
	if len(got) != 4 {
		t.Errorf("want exactly 4 failures, got %v", got)
	}
}

func TestYAML11Booleans(t *testing.T) {
	if r := diffCase(t, "yaml11-twins"); r.HasDifferences() {
		t.Errorf("a JSON template and its YAML twin with yes/on/y booleans must not differ:\n%s", dump(r))
	}
	d := diffCase(t, "yaml11-quoted").Stacks[0]
	if p := findResource(t, d, "Feature").Properties; len(p) != 1 || p[0].Old != "Yes" || p[0].New != "true" {
		t.Errorf(`Value: "Yes" -> Value: Yes must be a change to true, got %+v`, p)
	}
}

func TestPolicyRenameIsNoGrantChange(t *testing.T) {
	d := diffCase(t, "policy-rename").Stacks[0]
	for _, s := range d.IAM {
		if strings.HasPrefix(s.Actions[0], "ssm:") {
			t.Errorf("a renamed inline policy with the same statements changes no grant, got %+v", s)
		}
	}
	if len(d.IAM) != 2 {
		t.Errorf("want the widened logs policy as one removed and one added statement, got %+v", d.IAM)
	}
}

func TestConditionAddedMeansDeletedWhereFalse(t *testing.T) {
	r := diffCase(t, "condition-added")
	logs := findResource(t, r.Stacks[0], "AuditLogs")
	if len(logs.Notes) != 1 || !strings.Contains(logs.Notes[0], "deletes this resource from every deployment where IsProd is false") {
		t.Errorf("AuditLogs: %+v", logs.Notes)
	}
	risks := map[string]DataRisk{}
	for _, risk := range r.DataAtRisk {
		risks[risk.LogicalID] = risk
	}
	if risks["AuditLogs"].Change != "maybe-remove" || risks["AuditLogs"].Protected || !risks["Reports"].Protected {
		t.Errorf("want AuditLogs at risk unprotected, Reports protected by Retain: %+v", r.DataAtRisk)
	}
	if r.Broadens() || len(r.Stacks[0].Exposure) != 0 {
		t.Errorf("a resource made conditional exposes nothing new: %+v", r.Stacks[0].Exposure)
	}
}

func TestWhenLabel(t *testing.T) {
	conds := []string{"A", "B"}
	// Variant i assigns condition j = true when bit j of i is 0.
	for _, tc := range []struct {
		holds []bool
		want  string
	}{
		{[]bool{true, true, true, true}, ""},
		{[]bool{true, false, true, false}, "A"},
		{[]bool{false, true, false, true}, "not A"},
		{[]bool{true, false, false, false}, "A and B"},
		{[]bool{false, false, false, true}, "not A and not B"},
		{[]bool{true, false, false, true}, "(A and B) or (not A and not B)"},
	} {
		if got := whenLabel(conds, tc.holds); got != tc.want {
			t.Errorf("holds %v: got %q, want %q", tc.holds, got, tc.want)
		}
	}
	if got := joinWhen("IsProd", "(A and B) or (not A and not B)"); got != "IsProd and ((A and B) or (not A and not B))" {
		t.Errorf("joinWhen: %q", got)
	}
}

func TestResolveIfs(t *testing.T) {
	tree := mustTree(t, `
List: [a, !If [C, b, !Ref AWS::NoValue], !If [D, x, y]]
Key: !If [C, !Ref AWS::NoValue, kept]
`)
	got, _ := resolveIfs(tree, map[string]bool{"C": true})
	if s := canonical(got); s != canonical(mustTree(t, "List: [a, b, !If [D, x, y]]\n")) {
		t.Errorf("C true: %s", s)
	}
	got, _ = resolveIfs(tree, map[string]bool{"C": false, "D": false})
	if s := canonical(got); s != canonical(mustTree(t, "List: [a, y]\nKey: kept\n")) {
		t.Errorf("C, D false: %s", s)
	}
}

func TestCovers(t *testing.T) {
	allow := func(actions, resources []string) StatementDiff {
		return StatementDiff{Effect: "Allow", Policy: "p", Actions: actions, Resources: resources}
	}
	for _, tc := range []struct {
		name string
		a, b StatementDiff
		want bool
	}{
		{"service wildcard", allow([]string{"s3:*"}, []string{"*"}), allow([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/*"}), true},
		{"case of actions", allow([]string{"S3:Get*"}, []string{"*"}), allow([]string{"s3:getobject"}, []string{"x"}), true},
		{"other service", allow([]string{"s3:*"}, []string{"*"}), allow([]string{"sqs:SendMessage"}, []string{"*"}), false},
		{"narrower resource", allow([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/*"}), allow([]string{"s3:GetObject"}, []string{"*"}), false},
		{"resource glob", allow([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/*"}), allow([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/x/y"}), true},
		{"intrinsic matches itself only", allow([]string{"s3:*"}, []string{"!Sub ${B.Arn}/*"}), allow([]string{"s3:*"}, []string{"!Sub ${B.Arn}/x"}), false},
		{"NotAction", allow([]string{"NOT iam:*"}, []string{"*"}), allow([]string{"s3:GetObject"}, []string{"*"}), false},
		{"condition added", allow([]string{"s3:*"}, []string{"*"}), func() StatementDiff { s := allow([]string{"s3:*"}, []string{"*"}); s.Condition = "x"; return s }(), true},
		{"condition dropped", func() StatementDiff { s := allow([]string{"s3:*"}, []string{"*"}); s.Condition = "x"; return s }(), allow([]string{"s3:*"}, []string{"*"}), false},
		{"deny never covers allow", StatementDiff{Effect: "Deny", Policy: "p", Actions: []string{"*"}, Resources: []string{"*"}}, allow([]string{"s3:GetObject"}, []string{"*"}), false},
	} {
		if got := covers(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: covers = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNetRuleIncludes(t *testing.T) {
	rule := func(proto string, from, to int, peer string) *netRule {
		m := templates.NewMap()
		m.Set("IpProtocol", proto)
		m.Set("FromPort", json.Number(strconv.Itoa(from)))
		m.Set("ToPort", json.Number(strconv.Itoa(to)))
		m.Set("CidrIp", peer)
		return ruleFact("G", "G", KindIngress, m, nil).row.rule
	}
	for _, tc := range []struct {
		name string
		a, b *netRule
		want bool
	}{
		{"wider ports", rule("tcp", 0, 65535, "10.0.0.0/16"), rule("tcp", 443, 443, "10.0.0.0/16"), true},
		{"narrower ports", rule("tcp", 443, 443, "10.0.0.0/16"), rule("tcp", 0, 65535, "10.0.0.0/16"), false},
		{"wider CIDR", rule("tcp", 22, 22, "10.0.0.0/8"), rule("tcp", 22, 22, "10.1.0.0/24"), true},
		{"disjoint CIDR", rule("tcp", 22, 22, "192.0.2.0/24"), rule("tcp", 22, 22, "10.1.0.0/24"), false},
		{"all protocols", rule("-1", 0, 0, "10.0.0.0/8"), rule("udp", 53, 53, "10.0.0.0/8"), true},
		{"other protocol", rule("udp", 0, 65535, "10.0.0.0/8"), rule("tcp", 53, 53, "10.0.0.0/8"), false},
	} {
		if got := tc.a.includes(tc.b); got != tc.want {
			t.Errorf("%s: includes = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestDiffLeavesTreesAlone: reading policy texts and Fn::If branches copies
// what it changes; the caller's trees are not modified.
func TestDiffLeavesTreesAlone(t *testing.T) {
	for _, name := range []string{"policy-json-text", "iam-fn-if"} {
		base, head := readPair(t, "testdata/"+name)
		b, h := mustTree(t, string(base)), mustTree(t, string(head))
		before := canonical(b) + canonical(h)
		DiffTrees(name, b, h)
		if canonical(b)+canonical(h) != before {
			t.Errorf("%s: DiffTrees modified its input", name)
		}
	}
}

// TestRenamedGroupKeepsItsRules: a security group renamed with its rules
// (inline and standalone) exposes nothing new.
func TestRenamedGroupKeepsItsRules(t *testing.T) {
	group := func(id string) string {
		return "Resources:\n  " + id + ":\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n" +
			"      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 443\n          ToPort: 443\n          CidrIp: 0.0.0.0/0\n" +
			"  Http:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: !GetAtt " + id + ".GroupId\n" +
			"      IpProtocol: tcp\n      FromPort: 80\n      ToPort: 80\n      CidrIp: 0.0.0.0/0\n"
	}
	d := diffYAML(t, group("Web"), group("WebServers"))
	if got := findResource(t, d, "WebServers"); got.RenamedFrom != "Web" {
		t.Fatalf("want a likely rename, got %+v", got)
	}
	if r := NewReport([]StackDiff{d}); r.Broadens() || len(d.Exposure) != 0 {
		t.Errorf("a renamed group keeps its rules: %+v", d.Exposure)
	}
}

// TestDocumentedVerdicts: where AWS documents the update behaviour, the
// verdict is definite; a maybe names what decides it.
func TestDocumentedVerdicts(t *testing.T) {
	d := diffCase(t, "documented-verdicts").Stacks[0]
	for id, want := range map[string]Replacement{
		"RollingGroup": ReplaceNo, "ReplacingGroup": ReplaceYes, "PlainGroup": ReplaceNo, "EitherGroup": ReplaceMaybe,
		"Server": ReplaceNo, "Database": ReplaceYes, "Reporting": ReplaceNo, "Orders": ReplaceYes,
	} {
		if got := findResource(t, d, id); got.Replacement != want {
			t.Errorf("%s: want %s, got %s %+v", id, want, got.Replacement, got.Properties)
		}
	}
	for _, id := range []string{"Server", "Reporting"} {
		if p := findResource(t, d, id).Properties; !strings.Contains(p[0].Why, "interruption") {
			t.Errorf("%s: want an interruption named, got %+v", id, p)
		}
	}
	if p := findResource(t, d, "EitherGroup").Properties; !strings.Contains(p[0].Why, "WillReplace (!If") {
		t.Errorf("EitherGroup: a maybe must say what decides it, got %+v", p)
	}
}

// TestEveryMaybeSaysWhatDecides: a maybe from the registry points to the
// change set; every documented rule names its source.
func TestEveryMaybeSaysWhatDecides(t *testing.T) {
	for _, r := range updateRules {
		if !strings.HasPrefix(r.source, "https://docs.aws.amazon.com/") {
			t.Errorf("%s %s: no AWS documentation named", r.typ, r.property)
		}
	}
	cases, _ := os.ReadDir(diffTestdata)
	for _, c := range cases {
		if c.Name() == "fuzz" {
			continue
		}
		for _, res := range diffCase(t, c.Name()).Stacks[0].Resources {
			for _, p := range res.Properties {
				if p.Replaces == ReplaceMaybe && !strings.Contains(p.Why, "decides") && !strings.Contains(p.Why, " if ") {
					t.Errorf("%s/%s %s: a maybe that does not say what decides it: %q", c.Name(), res.LogicalID, p.Path, p.Why)
				}
			}
		}
	}
}

// TestRenameAwareAccess: a queue renamed. The grants that follow it, and
// the statements removed with a deleted queue, do not broaden; the one
// grant widened while re-pointed does.
func TestRenameAwareAccess(t *testing.T) {
	r := diffCase(t, "rename-access")
	d := r.Stacks[0]
	if q := findResource(t, d, "JobQueue"); q.RenamedFrom != "Jobs" {
		t.Fatalf("JobQueue: want a rename of Jobs, got %+v", q)
	}
	var broadening []string
	for _, s := range d.IAM {
		if s.Broadens {
			broadening = append(broadening, s.Resource+" "+strings.Join(s.Actions, ","))
		}
	}
	if len(broadening) != 1 || broadening[0] != "ProducerRole sqs:*" || r.Summary.Broadening != 1 {
		t.Errorf("want only ProducerRole's widened grant to broaden, got %v (summary %d):\n%s", broadening, r.Summary.Broadening, dump(r))
	}
}
