package commands

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// fixturesDir holds, per rule, violation.yaml: resources the rule must flag,
// but for the Given* context they need (shared with the rules' table test
// and cfn-guard's).
const fixturesDir = "../stacks/rules/testdata"

// rawResource is a resource given as its JSON body, to declare a parsed
// template's resources in a stack.
type rawResource struct {
	typ  string
	body json.RawMessage
}

func (r rawResource) AWSCloudFormationType() string { return r.typ }
func (r rawResource) MarshalJSON() ([]byte, error)  { return r.body, nil }

// plantStack is the stack a rule's violation fixture declares, named after
// the rule, and the resources the rule must refuse in it.
func plantStack(t *testing.T, rule string) (templates.Stack, []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, rule, "violation.yaml"))
	if err != nil {
		t.Fatalf("rule %s has no violation fixture: %v", rule, err)
	}
	tree, err := templates.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	body, err := templates.Encode(tree, nil, templates.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Parameters map[string]cloudformation.Parameter
		Resources  map[string]json.RawMessage
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, r := range templates.Resources(tree) {
		if !strings.HasPrefix(r.ID, "Given") {
			bad = append(bad, r.ID)
		}
	}
	stack := templates.Stack{Name: strings.ReplaceAll(rule, "_", "-"), Description: "violations of " + rule,
		Build: func(tm *templates.Template) {
			for _, p := range templates.Section(tree, "Parameters").Keys() {
				tm.Parameter(p, doc.Parameters[p])
			}
			for _, r := range templates.Resources(tree) {
				tm.Resource(r.ID, rawResource{r.Type, doc.Resources[r.ID]}, "")
			}
		}}
	return stack, bad
}

// TestValidateRefusesEveryPlantedViolationWithoutTools runs formwork validate
// with nothing on PATH (no node, npm, python or cfn-lint): the security rules
// are Go, and refuse each planted violation, naming the resource and rule.
func TestValidateRefusesEveryPlantedViolationWithoutTools(t *testing.T) {
	var plants []templates.Stack
	bad := map[string][]string{}
	for _, id := range rules.Security().IDs() {
		s, b := plantStack(t, id)
		plants, bad[s.Name] = append(plants, s), b
	}
	if len(plants) < 15 {
		t.Fatalf("%d rules declared; the blocks' security rules are not registered", len(plants))
	}
	useStacks(t, plants...)
	t.Setenv("PATH", t.TempDir())
	for _, tool := range []string{"node", "npm", "python3", "cfn-lint", "cfn-guard"} {
		if _, err := exec.LookPath(tool); err == nil {
			t.Fatalf("%s is still on PATH", tool)
		}
	}
	for _, s := range plants {
		rule := strings.ReplaceAll(s.Name, "-", "_")
		r := formwork(t, "validate", s.Name).wantExit(t, exitFindings)
		for _, id := range bad[s.Name] {
			if !hasLine(r.stdout, s.Name+": "+id+": ", "["+rule+"]") {
				t.Errorf("validate %s does not refuse %s under rule %s:\n%s", s.Name, id, rule, r.stdout)
			}
		}
		if !strings.Contains(r.stderr, "cfn-lint is not on PATH") {
			t.Errorf("validate %s: %s", s.Name, r.stderr)
		}
	}
}

func hasLine(out, prefix, suffix string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) && strings.HasSuffix(line, suffix) {
			return true
		}
	}
	return false
}

// openTopic is a stack with one waived finding.
var openTopic = templates.Stack{Name: "open-topic", Description: "a topic any service may publish to", Build: func(t *templates.Template) {
	t.Resource("Topic", &sns.Topic{}, "")
	t.Resource("TopicPolicy", &sns.TopicPolicy{
		Topics: []string{cloudformation.Ref("Topic")},
		PolicyDocument: map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Service": "events.amazonaws.com"},
			"Action": "sns:Publish", "Resource": cloudformation.Ref("Topic"),
		}}},
	}, "")
	t.Waive("TopicPolicy", "service_principal_scoped", "rules of every account in the organisation publish here")
}}

func TestValidateListsWaivers(t *testing.T) {
	useStacks(t, openTopic, demoApp)
	r := formwork(t, "validate", "--waivers").wantExit(t, exitOK)
	want := "open-topic: TopicPolicy: service_principal_scoped: rules of every account in the organisation publish here\n"
	if r.stdout != want || r.stderr != "formwork: 1 waiver in 2 stacks\n" {
		t.Errorf("validate --waivers printed %q / %q, want %q", r.stdout, r.stderr, want)
	}
	formwork(t, "validate", "--no-cfn-lint").wantExit(t, exitOK)
}

func TestValidateListsTheCataloguesWaivers(t *testing.T) {
	r := formwork(t, "validate", "--waivers").wantExit(t, exitOK)
	for _, want := range []string{
		"hexo-site: LogBucket: bucket_acls_disabled: CloudFront standard logging",
		"templates-pipeline: DeployedRoleBoundary: no_service_wildcard: a permissions boundary is a ceiling",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("validate --waivers lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestValidateListsRules(t *testing.T) {
	r := formwork(t, "validate", "--rules").wantExit(t, exitOK)
	for _, rule := range rules.All() {
		if !strings.Contains(r.stdout, rule.ID+": "+rule.Summary+"; why: ") {
			t.Errorf("validate --rules lacks %s:\n%s", rule.ID, r.stdout)
		}
	}
	formwork(t, "validate", "--rules", "demo-app").wantUsage(t, "--rules takes no stack")
}

func TestRenderRefusesAnUnwaivedFinding(t *testing.T) {
	unwaived := openTopic
	unwaived.Name = "unwaived"
	unwaived.Build = func(t *templates.Template) {
		openTopic.Build(t)
		t.Waive("Topic", "bucket_encryption", "")
	}
	useStacks(t, unwaived)
	r := formwork(t, "render", "unwaived")
	r.wantExit(t, exitUsage)
	if !strings.Contains(r.stderr, "unwaived: Topic: waiver of rule bucket_encryption has no reason") {
		t.Errorf("render did not refuse the waiver without a reason:\n%s", r.stderr)
	}
}
