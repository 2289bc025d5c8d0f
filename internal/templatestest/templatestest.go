// Package templatestest helps the tests of blocks and stacks: render a
// throw-away stack, and look for a finding in its error.
package templatestest

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// Render builds a stack named "test-stack" with build and renders it as YAML
// under rules.
func Render(t testing.TB, rules templates.Rules, build func(*templates.Template)) (string, error) {
	t.Helper()
	tmpl := templates.New("test-stack", "blocks under test")
	build(tmpl)
	out, err := templates.Render(tmpl, templates.YAML, rules)
	return string(out), err
}

// RenderError renders a throw-away stack named "test" under rules and
// returns its error.
func RenderError(rules templates.Rules, build func(*templates.Template)) error {
	_, err := templates.Stack{Name: "test", Description: "test", Build: build}.Render(templates.YAML, rules)
	return err
}

// WantFinding fails unless err holds a line with every part, in order.
func WantFinding(t testing.TB, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("render succeeded; want a finding %q", strings.Join(parts, " … "))
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if hasInOrder(line, parts) {
			return
		}
	}
	t.Fatalf("no finding has %q; got:\n%v", strings.Join(parts, " … "), err)
}

func hasInOrder(line string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(line, p)
		if i < 0 {
			return false
		}
		line = line[i+len(p):]
	}
	return true
}

// Tool returns the path of a command a test needs. When it is missing the
// test skips with a one-line reason, and fails instead under CI=true, where
// every tool the tests need is installed. why says what is skipped, e.g.
// "inline Python was not compiled (apt-get install python3)".
func Tool(t testing.TB, name, why string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	Missing(t, name+" is not on PATH: "+why)
	return ""
}

// Missing skips the test for reason, or fails it under CI=true.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(reason + " (CI=true: required)")
	}
	t.Skip(reason)
}
