package blocks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeSections are the README sections whose Go snippets show blocks.
var readmeSections = []string{"### How assets work", "## Blocks: a new service in a few dozen lines"}

// TestREADMEBlockSnippetsAreRun: every line of the Go snippets the README
// and its help topics show in the blocks and assets sections is a line of a test of this
// package, so what a reader copies compiles and renders.
func TestREADMEBlockSnippetsAreRun(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	topics, _ := filepath.Glob("../../commands/help/*.md") // the guides the README links to
	for _, topic := range topics {
		body, err := os.ReadFile(topic)
		if err != nil {
			t.Fatal(err)
		}
		readme = append(append(readme, '\n'), body...)
	}
	tests := testSources(t)
	snippets := 0
	for _, heading := range readmeSections {
		_, section, found := strings.Cut(string(readme), "\n"+heading+"\n")
		if !found {
			t.Fatalf("the README has no section %q", heading)
		}
		if end := regexp.MustCompile(`\n#{2,3} `).FindStringIndex(section); end != nil {
			section = section[:end[0]]
		}
		for _, m := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(section, -1) {
			snippets++
			for _, line := range strings.Split(m[1], "\n") {
				line = strings.TrimSpace(line)
				if line != "" && !strings.Contains(tests, line) {
					t.Errorf("README (%s) shows %q, which no test of stacks/blocks runs", heading, line)
				}
			}
		}
	}
	if snippets < 2 {
		t.Fatalf("found %d Go snippets in the README's blocks sections, want 2 or more", snippets)
	}
}

// testSources is the text of this package's tests, each line trimmed.
func testSources(t *testing.T) string {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(text), "\n") {
			b.WriteString(strings.TrimSpace(line) + "\n")
		}
	}
	return b.String()
}
