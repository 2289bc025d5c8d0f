package templates

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/sns"
)

// testRule finds every AWS::SNS::Topic whose logical id starts with
// "Flagged": a rule for the waiver tests that nothing else trips.
const testRule = "test_flagged_topic"

var flaggedTopics = Rule{ID: testRule, Summary: "topics are not flagged", Why: "the waiver tests need a rule",
	Check: func(stack string, tree *Map) []Finding {
		var out []Finding
		for _, r := range ResourcesOfType(tree, "AWS::SNS::Topic") {
			if strings.HasPrefix(r.ID, "Flagged") {
				out = append(out, Finding{Stack: stack, LogicalID: r.ID, Message: "flagged"})
			}
		}
		return out
	}}

func renderWaived(build func(*Template)) error {
	t := New("s", "")
	build(t)
	_, err := Render(t, YAML, append(EngineRules(), flaggedTopics))
	return err
}

func TestWaivers(t *testing.T) {
	cases := []struct {
		name  string
		build func(*Template)
		want  string // "" means the render succeeds
	}{
		{"finding names its rule", func(t *Template) {
			t.Resource("FlaggedTopic", &sns.Topic{}, "")
		}, "s: FlaggedTopic: flagged [test_flagged_topic]"},
		{"waiver excuses the finding", func(t *Template) {
			t.Resource("FlaggedTopic", &sns.Topic{}, "")
			t.Waive("FlaggedTopic", testRule, "the test says so")
		}, ""},
		{"waiver excuses only its resource", func(t *Template) {
			t.Resource("FlaggedTopic", &sns.Topic{}, "")
			t.Resource("FlaggedOther", &sns.Topic{}, "")
			t.Waive("FlaggedTopic", testRule, "the test says so")
		}, "s: FlaggedOther: flagged [test_flagged_topic]"},
		{"waiver needs a reason", func(t *Template) {
			t.Resource("FlaggedTopic", &sns.Topic{}, "")
			t.Waive("FlaggedTopic", testRule, "  ")
		}, "s: FlaggedTopic: waiver of rule test_flagged_topic has no reason: write why the resource is safe as it is"},
		{"unknown rule", func(t *Template) {
			t.Resource("FlaggedTopic", &sns.Topic{}, "")
			t.Waive("FlaggedTopic", "test_flaged_topic", "typo")
		}, `s: FlaggedTopic: waiver names rule "test_flaged_topic", which is not declared: did you mean "test_flagged_topic"?`},
		{"unknown resource", func(t *Template) {
			t.Waive("Gone", testRule, "it was removed")
		}, "s: Gone: waiver of rule test_flagged_topic names Gone, which the template does not declare"},
		{"stale waiver", func(t *Template) {
			t.Resource("Topic", &sns.Topic{}, "")
			t.Waive("Topic", testRule, "it used to be flagged")
		}, "s: Topic: waiver of rule test_flagged_topic excuses no finding on Topic: the resource follows the rule now, so delete the waiver"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := renderWaived(c.build)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("render failed: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestWaiversAreListed(t *testing.T) {
	tmpl := New("s", "")
	tmpl.Waive("A", testRule, "first")
	tmpl.Waive("B", testRule, "second")
	got := tmpl.Waivers()
	if len(got) != 2 || got[0].String() != "s: A: test_flagged_topic: first" || got[1].LogicalID != "B" {
		t.Errorf("Waivers() = %v", got)
	}
}

func TestRenderWithoutTheRuleRefusesItsWaiver(t *testing.T) {
	tmpl := New("s", "")
	tmpl.Resource("FlaggedTopic", &sns.Topic{}, "")
	tmpl.Waive("FlaggedTopic", testRule, "the test says so")
	_, err := Render(tmpl, YAML, EngineRules())
	if err == nil || !strings.Contains(err.Error(), `waiver names rule "test_flagged_topic", which is not declared`) {
		t.Errorf("a waiver of a rule the render does not run: got %v", err)
	}
}

func TestRulesValidate(t *testing.T) {
	noop := func(string, *Map) []Finding { return nil }
	cases := map[string]struct {
		rules Rules
		want  string
	}{
		"engine rules":  {EngineRules(), ""},
		"no id":         {Rules{{Summary: "x", Check: noop}}, "a rule has no ID"},
		"no check":      {Rules{{ID: "a"}}, "rule a has no Check function"},
		"id used twice": {Rules{{ID: "a", Check: noop}, {ID: "a", Check: noop}}, `two rules have the id "a"`},
	}
	for name, c := range cases {
		err := c.rules.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: Validate() = %v, want %q", name, err, c.want)
		}
	}
}

func TestRulesAreSorted(t *testing.T) {
	rules := append(EngineRules(), flaggedTopics).Sorted()
	for i := 1; i < len(rules); i++ {
		if rules[i-1].ID > rules[i].ID {
			t.Fatalf("Sorted() not sorted: %s before %s", rules[i-1].ID, rules[i].ID)
		}
	}
	if _, ok := rules.Lookup(testRule); !ok {
		t.Error("Lookup cannot find a rule of the set")
	}
}

// TestCfnLintWaivers: a waiver of a cfn-lint rule is checked for its form
// and its entry at render time; whether it excuses a finding is for
// formwork validate, which runs cfn-lint.
func TestCfnLintWaivers(t *testing.T) {
	topic := func(t *Template) { t.Resource("Topic", &sns.Topic{}, "") }
	cases := []struct {
		rule, id, want string
	}{
		{"cfn-lint:W3011", "Topic", ""},
		{"cfn-lint:E3002", "Topic", ""},
		{"cfn-lint:W30", "Topic", `waiver names cfn-lint rule "cfn-lint:W30": write the id cfn-lint prints, as in cfn-lint:W3011`},
		{"cfn-lint:W3011", "Queue", "waiver of rule cfn-lint:W3011 names Queue, which the template does not declare"},
	}
	for _, c := range cases {
		err := renderWaived(func(t *Template) {
			topic(t)
			t.Waive(c.id, c.rule, "a reason")
		})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s on %s: got %v, want %q", c.rule, c.id, err, c.want)
		}
	}
}
