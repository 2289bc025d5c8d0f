package stacks

import (
	"flag"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden/ from the stacks")

const goldenDir = "../golden"

// TestGolden fails when a stack changed and golden/ was not regenerated. Every
// registered stack is covered: adding a stack adds its golden file here.
func TestGolden(t *testing.T) {
	if *update {
		if err := WriteGolden(goldenDir); err != nil {
			t.Fatal(err)
		}
	}
	diffs, err := CompareGolden(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("golden/%s is %s: run make golden, then review the diff\n%s", d.File, d.Kind, d.Diff)
	}
}
