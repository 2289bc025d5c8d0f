package blocks

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestBuildspecTextKeepsShellSyntax(t *testing.T) {
	commands := []string{
		`echo "endpoint: $(cat service_endpoint.txt)"`,
		"echo `date -u`",
		`aws cloudformation describe-stacks --query "Stacks[0].Outputs[?OutputKey=='ServiceEndpoint'].OutputValue" --output text > service_endpoint.txt`,
		`echo "${HOME:-/root}" 'single' # not a comment`,
		"yes",
		"- dash first",
	}
	text, err := Buildspec{
		Phases:    BuildPhases{Install: &BuildPhase{RuntimeVersions: map[string]string{"nodejs": "22"}}, Build: Commands(commands...)},
		Artifacts: &BuildArtifacts{Files: []string{"frontend/**/*", "service_endpoint.txt"}},
	}.Text()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "version: \"0.2\"\n") {
		t.Errorf("buildspec must start with the version, got:\n%s", text)
	}
	var back struct {
		Version   string
		Phases    map[string]map[string]any
		Artifacts map[string][]string
	}
	if err := yaml.Unmarshal([]byte(text), &back); err != nil {
		t.Fatalf("buildspec is not YAML: %v\n%s", err, text)
	}
	got := back.Phases["build"]["commands"].([]any)
	for i, c := range commands {
		if got[i] != c {
			t.Errorf("command %d: got %q, want %q", i, got[i], c)
		}
	}
	if back.Phases["install"]["runtime-versions"].(map[string]any)["nodejs"] != "22" {
		t.Errorf("runtime version lost:\n%s", text)
	}
}

func TestBuildspecRejectsEmptyPhases(t *testing.T) {
	for name, b := range map[string]Buildspec{
		"no phase":        {},
		"empty phase":     {Phases: BuildPhases{Build: Commands()}},
		"empty artifacts": {Phases: BuildPhases{Build: Commands("make")}, Artifacts: &BuildArtifacts{}},
		"multi-line":      {Phases: BuildPhases{Build: Commands("a\nb")}},
		"misplaced rt":    {Phases: BuildPhases{Build: &BuildPhase{RuntimeVersions: map[string]string{"go": "1.22"}, Commands: []string{"make"}}}},
	} {
		if _, err := b.Text(); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}
