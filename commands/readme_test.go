package commands

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEIsAFrontPage keeps the README short and pointing at every topic.
func TestREADMEIsAFrontPage(t *testing.T) {
	readme, err := os.ReadFile(formworkREADME)
	if err != nil {
		t.Fatal(err)
	}
	if words := len(strings.Fields(string(readme))); words > 2500 {
		t.Errorf("README.md has %d words: a front page has at most 2,500; move the detail into commands/help/", words)
	}
	for _, name := range requiredTopics {
		if !strings.Contains(string(readme), "(commands/help/"+name+".md)") {
			t.Errorf("README.md does not link commands/help/%s.md", name)
		}
	}
}
