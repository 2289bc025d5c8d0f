package stacks

// Security rules (stacks/testdata/guard/*.guard) run by cfn-guard over every
// golden template, and over the fixtures of the Go rule of the same name
// (stacks/rules/testdata/<rule>/): a rule that cannot fail is a defect.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// guardFinding is one resource that one rule rejected.
type guardFinding struct {
	File     string // template path as given to cfn-guard
	Rule     string
	Resource string // logical id, or "-" when cfn-guard names none
	Message  string
}

func (f guardFinding) String() string {
	return fmt.Sprintf("%s: rule %s: resource %s: %s", f.File, f.Rule, f.Resource, f.Message)
}

// guardRuleFiles returns the project's rule files.
func guardRuleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(guardDir, "*.guard"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files in %s: %v", guardDir, err)
	}
	sort.Strings(files)
	return files
}

var ruleDecl = regexp.MustCompile(`(?m)^rule\s+([A-Za-z0-9_]+)\s*(\(?)`)

// guardRuleNames returns the names of the rules that templates are checked
// against (not the parameterized helper rules they call).
func guardRuleNames(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, f := range guardRuleFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ruleDecl.FindAllStringSubmatch(string(b), -1) {
			if m[2] == "" {
				names = append(names, m[1])
			}
		}
	}
	sort.Strings(names)
	return names
}

// runGuard validates the templates against every rule file.
func runGuard(t *testing.T, templates []string) []guardFinding {
	t.Helper()
	if len(templates) == 0 {
		return nil
	}
	args := []string{"validate", "--output-format", "json", "--structured", "--show-summary", "none"}
	for _, r := range guardRuleFiles(t) {
		args = append(args, "--rules", r)
	}
	for _, d := range templates {
		args = append(args, "--data", d)
	}
	cmd := exec.Command(guard(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 19) { // 19: some rule failed
		t.Fatalf("cfn-guard could not evaluate the rules: %v\n%s", err, stderr.String())
	}
	findings, perr := parseGuardReport(stdout.Bytes())
	if perr != nil {
		t.Fatalf("cannot read cfn-guard's report: %v\n%s", perr, stderr.String())
	}
	return findings
}

// parseGuardReport turns cfn-guard's structured JSON report into findings,
// one per (file, rule, resource).
func parseGuardReport(out []byte) ([]guardFinding, error) {
	var report []struct {
		Name         string `json:"name"`
		NotCompliant []struct {
			Rule struct {
				Name   string `json:"name"`
				Checks []any  `json:"checks"`
			} `json:"Rule"`
		} `json:"not_compliant"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, err
	}
	seen := map[guardFinding]bool{}
	var findings []guardFinding
	for _, file := range report {
		for _, nc := range file.NotCompliant {
			for _, c := range clauses(nc.Rule.Checks) {
				for _, res := range c.resources {
					f := guardFinding{File: file.Name, Rule: nc.Rule.Name, Resource: res, Message: c.message}
					key := f
					key.Message = ""
					if !seen[key] {
						seen[key] = true
						findings = append(findings, f)
					}
				}
			}
		}
	}
	return findings, nil
}

type clause struct {
	resources []string
	message   string
}

// clauses finds every failed clause in a rule's checks: an object with
// "messages" and a "check" whose subject path names a resource.
func clauses(v any) []clause {
	var out []clause
	walkObjects(v, func(obj map[string]any) (descend func(key string) bool) {
		if msgs, ok := obj["messages"].(map[string]any); ok {
			if check, ok := obj["check"]; ok {
				out = append(out, clause{subjectResources(check), clauseMessage(msgs)})
				return nil
			}
		}
		return everyKey
	})
	return out
}

// subjectResources returns the logical ids in the paths of what a check was
// about ("from", "value", "traversed_to"), not of what it was compared with
// ("to"). A check on a resource's key has the path /Resources and the id as
// its value.
func subjectResources(check any) []string {
	ids := map[string]bool{}
	walkObjects(check, func(obj map[string]any) (descend func(key string) bool) {
		if p, ok := obj["path"].(string); ok {
			if id, ok := strings.CutPrefix(p, "/Resources/"); ok {
				ids[strings.SplitN(id, "/", 2)[0]] = true
			} else if s, ok := obj["value"].(string); ok && p == "/Resources" {
				ids[s] = true
			}
		}
		return func(key string) bool { return key != "to" }
	})
	if len(ids) == 0 {
		return []string{"-"}
	}
	return sortedSet(ids)
}

// walkObjects calls visit for every JSON object in v, depth first. visit
// returns which of the object's keys to walk into; nil walks into none.
func walkObjects(v any, visit func(obj map[string]any) (descend func(key string) bool)) {
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			walkObjects(x, visit)
		}
	case map[string]any:
		descend := visit(t)
		for k, x := range t {
			if descend != nil && descend(k) {
				walkObjects(x, visit)
			}
		}
	}
}

func everyKey(string) bool { return true }

func clauseMessage(msgs map[string]any) string {
	if s, _ := msgs["custom_message"].(string); strings.Trim(s, "; \n\t") != "" {
		return strings.Join(strings.Fields(strings.ReplaceAll(s, ";", " ")), " ")
	}
	s, _ := msgs["error_message"].(string)
	return s
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// guardException allows one rule to reject one resource of one stack.
type guardException struct {
	Stack, Rule, Resource, Reason string
	Line                          int
}

const exceptionsFile = guardDir + "/exceptions"

// readGuardExceptions parses the exceptions file: one exception a line,
// "STACK RULE LOGICAL-ID REASON...", '#' comments. A reason is required.
func readGuardExceptions(t *testing.T) []guardException {
	t.Helper()
	f, err := os.Open(exceptionsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []guardException
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 {
			t.Errorf("%s:%d: want STACK RULE LOGICAL-ID REASON, and the reason may not be empty: %q", exceptionsFile, n, line)
			continue
		}
		out = append(out, guardException{fields[0], fields[1], fields[2], strings.Join(fields[3:], " "), n})
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGuardGoldenTemplates: every golden template passes every rule, but for
// the committed exceptions; every exception still matches a finding.
func TestGuardGoldenTemplates(t *testing.T) {
	files := goldenTemplates(t)
	exceptions := readGuardExceptions(t)
	rules := map[string]bool{}
	for _, r := range guardRuleNames(t) {
		rules[r] = true
	}
	for _, e := range exceptions {
		if !rules[e.Rule] {
			t.Errorf("%s:%d: no rule is named %s (rules: %s)", exceptionsFile, e.Line, e.Rule, strings.Join(sortedSet(rules), ", "))
		}
	}
	if len(files) == 0 {
		return
	}
	used := map[int]bool{}
	for _, f := range runGuard(t, files) {
		stack := strings.TrimSuffix(filepath.Base(f.File), ".yaml")
		excused := false
		for _, e := range exceptions {
			if e.Stack == stack && e.Rule == f.Rule && e.Resource == f.Resource {
				excused, used[e.Line] = true, true
			}
		}
		if !excused {
			t.Errorf("golden/%s.yaml: rule %s rejects %s: %s\n\tfix the stack, or add a line `%s %s %s <reason>` to %s",
				stack, f.Rule, f.Resource, f.Message, stack, f.Rule, f.Resource, exceptionsFile)
		}
	}
	for _, e := range exceptions {
		if !used[e.Line] {
			t.Errorf("%s:%d: stale exception: rule %s no longer rejects %s in golden/%s.yaml: delete the line",
				exceptionsFile, e.Line, e.Rule, e.Resource, e.Stack)
		}
	}
}

// TestGuardPlantedViolations: every cfn-guard rule reads the fixtures of
// the Go rule of its name (stacks/rules/testdata/<rule>/): it must reject
// every resource of violation.yaml but the Given* context, and accept
// compliant.yaml, which no guard rule may reject.
func TestGuardPlantedViolations(t *testing.T) {
	var files []string
	for _, r := range guardRuleNames(t) {
		for _, name := range []string{"violation.yaml", "compliant.yaml"} {
			path, _ := filepath.Abs(filepath.Join(fixturesDir, r, name))
			if _, err := os.Stat(path); err != nil {
				t.Errorf("cfn-guard rule %s has no %s: add %s (the Go rule's fixtures are the guard rule's too)", r, name, path)
				continue
			}
			files = append(files, path)
		}
	}
	rejected := map[string]map[string]bool{} // file -> resource -> rejected by the rule the fixture is of
	for _, f := range runGuard(t, files) {
		rule := filepath.Base(filepath.Dir(f.File))
		if filepath.Base(f.File) == "compliant.yaml" {
			t.Errorf("%s: rule %s rejects %s, which is compliant: %s", f.File, f.Rule, f.Resource, f.Message)
			continue
		}
		if f.Rule != rule {
			continue // other rules may reject a violation too; only the fixture's counts
		}
		if rejected[f.File] == nil {
			rejected[f.File] = map[string]bool{}
		}
		rejected[f.File][f.Resource] = true
	}
	for _, file := range files {
		if filepath.Base(file) != "violation.yaml" {
			continue
		}
		rule := filepath.Base(filepath.Dir(file))
		ids := resourceIDs(t, file)
		bad := 0
		for _, id := range ids {
			switch {
			case strings.HasPrefix(id, "Given"):
			case rejected[file][id]:
				bad++
			default:
				t.Errorf("cfn-guard rule %s does not reject %s in %s", rule, id, file)
			}
		}
		if bad == 0 {
			t.Errorf("%s holds no violation cfn-guard rule %s rejects", file, rule)
		}
		delete(rejected[file], "-")
		for id := range rejected[file] {
			if !contains(ids, id) {
				t.Errorf("rule %s reports %s in %s, which is no resource", rule, id, file)
			}
		}
	}
}

// resourceIDs lists the logical ids of a hand-written template: the keys
// indented by two spaces under Resources.
func resourceIDs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "Resources:"):
			in = true
		case line != "" && line[0] != ' ' && line[0] != '#':
			in = false
		case in && strings.HasPrefix(line, "  ") && len(line) > 2 && line[2] != ' ' && line[2] != '#':
			ids = append(ids, strings.TrimSuffix(strings.TrimSpace(line), ":"))
		}
	}
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestGuardReportParsing pins how findings are attributed to resources, so a
// change in cfn-guard's report format fails here rather than silently
// excusing everything.
func TestGuardReportParsing(t *testing.T) {
	report := `[{"name":"x.yaml","not_compliant":[{"Rule":{"name":"r","checks":[
	 {"Clause":{"Binary":{"messages":{"custom_message":"\n  Fix it\n  ","error_message":"e"},
	   "check":{"InResolved":{"from":{"path":"/Resources","value":"Bucket"},
	     "to":[{"path":"/Resources/Policy/Properties/Bucket/Ref","value":"Other"}]}}}}},
	 {"Clause":{"Unary":{"messages":{"custom_message":null,"error_message":"missing"},
	   "check":{"UnResolved":{"value":{"traversed_to":{"path":"/Resources/Role/Properties"}}}}}}}]}}]}]`
	got, err := parseGuardReport([]byte(report))
	if err != nil {
		t.Fatal(err)
	}
	want := []guardFinding{{"x.yaml", "r", "Bucket", "Fix it"}, {"x.yaml", "r", "Role", "missing"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parseGuardReport:\n got %v\nwant %v", got, want)
	}
}
