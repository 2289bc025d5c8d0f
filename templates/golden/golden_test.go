package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/formwork-dev/formwork/templates"
)

func topicStack(name, display string) templates.Stack {
	return templates.Stack{Name: name, Description: "a topic", Build: func(t *templates.Template) {
		t.Resource("Topic", &sns.Topic{DisplayName: &display}, "")
	}}
}

func TestCompareFindsStaleMissingAndExtraFiles(t *testing.T) {
	dir := t.TempDir()
	list := []templates.Stack{topicStack("alpha", "A"), topicStack("beta", "B")}
	if err := Write(list, dir, templates.EngineRules()); err != nil {
		t.Fatal(err)
	}
	if diffs, err := Compare(list, dir, templates.EngineRules()); err != nil || len(diffs) != 0 {
		t.Fatalf("fresh golden/ differs: %v %v", diffs, err)
	}
	os.WriteFile(filepath.Join(dir, "alpha.yaml"), []byte("old\n"), 0o644)
	os.Remove(filepath.Join(dir, "beta.yaml"))
	os.WriteFile(filepath.Join(dir, "gone.yaml"), []byte("x\n"), 0o644)
	diffs, err := Compare(list, dir, templates.EngineRules())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diffs {
		got = append(got, d.File+" "+d.Kind)
	}
	if strings.Join(got, ", ") != "alpha.yaml stale, beta.yaml missing, gone.yaml extra" {
		t.Errorf("got %v", got)
	}
	if !strings.Contains(diffs[0].Diff, "--- a/alpha.yaml\n+++ b/alpha.yaml\n") || !strings.Contains(diffs[0].Diff, "-old\n") {
		t.Errorf("stale diff is not a unified diff from golden to render:\n%s", diffs[0].Diff)
	}
	if !strings.Contains(diffs[1].Diff, "--- /dev/null") || !strings.Contains(diffs[2].Diff, "+++ /dev/null") {
		t.Errorf("missing/extra diffs must come from/go to /dev/null:\n%s%s", diffs[1].Diff, diffs[2].Diff)
	}
	if err := Write(list, dir, templates.EngineRules()); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("Write must leave exactly the stacks' files, got %v", entries)
	}
}

// recorder is a testing.TB that keeps what a test reported.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatal(a ...any) { r.fatal = true; r.errors = append(r.errors, fmt.Sprint(a...)) }

func TestTestReportsEachDifferenceAndUpdates(t *testing.T) {
	dir := t.TempDir()
	list := []templates.Stack{topicStack("alpha", "A")}
	r := &recorder{TB: t}
	Test(r, dir, list, templates.EngineRules(), false)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "alpha.yaml is missing: run make golden") {
		t.Errorf("want one missing-file error, got %q", r.errors)
	}
	r = &recorder{TB: t}
	Test(r, dir, list, templates.EngineRules(), true)
	if len(r.errors) != 0 {
		t.Errorf("after update: %q", r.errors)
	}
	r = &recorder{TB: t}
	Test(r, dir, append(list, topicStack("alpha", "again")), templates.EngineRules(), false)
	if !r.fatal || !strings.Contains(r.errors[0], `two stacks are named "alpha"`) {
		t.Errorf("a duplicate name must stop the test, got %q", r.errors)
	}
}

func TestWriteWritesNothingWhenAStackFails(t *testing.T) {
	dir := t.TempDir()
	broken := templates.Stack{Name: "broken", Build: func(t *templates.Template) {
		t.Resource("Topic", &sns.Topic{}, "")
		t.Fail("Topic", "", "planted failure")
	}}
	if err := Write([]templates.Stack{topicStack("alpha", "A"), broken}, dir, templates.EngineRules()); err == nil {
		t.Fatal("Write succeeded with a failing stack")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Write left %v", entries)
	}
}
