package rules

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

func param(kv ...any) *templates.Map {
	m := templates.NewMap()
	for i := 0; i+1 < len(kv); i += 2 {
		m.Set(kv[i].(string), kv[i+1])
	}
	return m
}

func TestCodeParameterProblem(t *testing.T) {
	cases := []struct {
		name string
		p    *templates.Map
		want string // "" means safe
	}{
		{"number", param("Type", "Number"), ""},
		{"vpc id", param("Type", "AWS::EC2::VPC::Id"), ""},
		{"ssm value is free text", param("Type", "AWS::SSM::Parameter::Value<String>"), "no AllowedPattern"},
		{"free text", param("Type", "String"), "no AllowedPattern"},
		{"safe values", param("Type", "String", "AllowedValues", []any{"red", "green"}), ""},
		{"quoted value", param("Type", "String", "AllowedValues", []any{"red", `gr"een`}), `allowed value "gr\"een"`},
		{"old access point pattern accepts a line break", param("Type", "String", "AllowedPattern", `^[^"\\]+$`), `"\n0"`},
		{"old url pattern accepts a single quote", param("Type", "String", "AllowedPattern", `^https://[^"\\\s]+$`), `"https://'0"`},
		{"safe text pattern", param("Type", "String", "AllowedPattern", SafeTextPattern), ""},
		{"identifier pattern", param("Type", "String", "AllowedPattern", `[A-Za-z0-9._-]+`), ""},
		{"alternation accepting a quote", param("Type", "String", "AllowedPattern", `prod|dev'`), `"dev'"`},
		{"dot accepts everything but newline", param("Type", "String", "AllowedPattern", `^.+$`), `"\"a"`},
		{"unreadable pattern", param("Type", "String", "AllowedPattern", `a++`), "cannot be checked"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CodeParameterProblem(c.p)
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Errorf("CodeParameterProblem = %q, want %q", got, c.want)
			}
		})
	}
}

func TestRuntimeProblem(t *testing.T) {
	saved := today
	t.Cleanup(func() { today = saved })
	today = func() string { return "2026-12-01" }
	cases := []struct {
		runtime any
		want    string
	}{
		{"python3.13", ""},
		{"provided.al2023", ""},
		{"nodejs22.x", ""},
		{"python3.9", "deprecated since 2025-12-15"},
		{"nodejs20.x", "move to nodejs24.x"},
		{"python4.0", "is not a Lambda runtime"},
		{templates.Fn{Name: templates.FnRef, Arg: "Runtime"}, "not a literal runtime name"},
		{nil, "has no Runtime"},
	}
	for _, c := range cases {
		if got := runtimeProblem(c.runtime); (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("runtimeProblem(%v) = %q, want %q", c.runtime, got, c.want)
		}
	}
	today = func() string { return "2027-04-30" }
	if runtimeProblem("nodejs22.x") == "" {
		t.Error("nodejs22.x is deprecated on 2027-04-30, and the rule did not say so on that day")
	}
}

func TestCoversPassRole(t *testing.T) {
	for action, want := range map[string]bool{
		"iam:PassRole": true, "iam:passrole": true, "iam:*": true, "iam:Pass*": true, "*": true, "iam:P?ssRole": true,
		"iam:GetRole": false, "iam:PassRoles": false, "sts:*": false,
	} {
		if got := coversPassRole(action); got != want {
			t.Errorf("coversPassRole(%q) = %v, want %v", action, got, want)
		}
	}
}

// Every action allowed on Resource "*" is written out: the allow-list has
// no wildcards, so it grows one reviewed action at a time.
func TestUnscopedActionsAreExact(t *testing.T) {
	for a := range unscopedActions {
		if strings.ContainsAny(a, "*?") || !strings.Contains(a, ":") {
			t.Errorf("unscopedActions holds %q: list exact service:Action names", a)
		}
	}
}

func TestAllHoldsEveryRuleOnce(t *testing.T) {
	all := All()
	if err := all.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, id := range append(Security().IDs(), Wiring().IDs()...) {
		if _, ok := all.Lookup(id); !ok {
			t.Errorf("rule %s is not in All()", id)
		}
	}
	if want := len(templates.EngineRules()) + len(Wiring()) + len(Security()); len(all) != want {
		t.Errorf("All() has %d rules, want %d", len(all), want)
	}
}
