// Package templatestest helps the tests of blocks and stacks: render a
// throw-away stack, and look for a finding in its error.
package templatestest

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// Render builds a stack named "test-stack" with build and renders it as YAML.
func Render(t testing.TB, build func(*templates.Template)) (string, error) {
	t.Helper()
	tmpl := templates.New("test-stack", "blocks under test")
	build(tmpl)
	out, err := templates.Render(tmpl, templates.YAML)
	return string(out), err
}

// RenderError renders a throw-away stack named "test" and returns its error.
func RenderError(build func(*templates.Template)) error {
	_, err := templates.Stack{Name: "test", Description: "test", Build: build}.Render(templates.YAML)
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
