package commands

import (
	"strings"
	"testing"
)

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "complete -o default -F _formwork_complete formwork",
		"zsh":  "#compdef formwork",
		"fish": "complete -c formwork",
	} {
		r := formwork(t, "completion", shell).wantExit(t, exitOK)
		if !strings.Contains(r.stdout, want) {
			t.Errorf("completion %s lacks %q:\n%s", shell, want, r.stdout)
		}
	}
}

func TestCompletionBadShell(t *testing.T) {
	formwork(t, "completion", "tcsh").wantUsage(t, `completion: unknown shell "tcsh": use bash, zsh or fish`)
	formwork(t, "completion").wantUsage(t, "completion takes one shell name")
}

func TestCompletionCandidates(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	cases := map[string][]string{
		"":                     {"check", "deploy", "params", "render", "validate"},
		"deploy":               {"demo-app", "named-role"},
		"deploy --par":         {"--param", "--params", "--execute"},
		"render demo-app --fo": {"--format", "--out"},
	}
	for typed, want := range cases {
		args := append(strings.Fields(typed), completionFlag)
		r := formwork(t, args...).wantExit(t, exitOK)
		for _, w := range want {
			if !strings.Contains("\n"+r.stdout, "\n"+w+"\n") {
				t.Errorf("completing %q: %q missing from\n%s", typed, w, r.stdout)
			}
		}
	}
}
