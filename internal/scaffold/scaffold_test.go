package scaffold

import (
	"strings"
	"testing"
)

// TestREADMECommentsLineUp renders the README for binary names of several
// lengths: in every indented code block, the comments start in one column.
func TestREADMECommentsLineUp(t *testing.T) {
	for _, name := range []string{"x", "infra", "a-rather-long-infrastructure-name"} {
		body, err := File("README.md", Repo{Module: "example.com/" + name, Binary: name, Replace: "/src/formwork"})
		if err != nil {
			t.Fatal(err)
		}
		blocks, col, gap := 0, -1, 0
		closeBlock := func() {
			if col >= 0 && gap != 3 {
				t.Errorf("%s: the longest command of a block is %d spaces from its comment, want 3", name, gap)
			}
			col = -1
		}
		for _, l := range append(strings.Split(string(body), "\n"), "") {
			if !strings.HasPrefix(l, "    ") {
				closeBlock()
				continue
			}
			i := strings.Index(l, "  # ")
			if i < 0 {
				continue
			}
			i += 2
			g := i - len(strings.TrimRight(l[:i], " "))
			switch {
			case col < 0:
				col, gap = i, g
				blocks++
			case i != col:
				t.Errorf("%s: comment at column %d, the block's others at %d: %q", name, i, col, l)
			}
			gap = min(gap, g)
		}
		if blocks < 3 {
			t.Errorf("%s: %d commented code blocks, want at least 3:\n%s", name, blocks, body)
		}
	}
}

// A released formwork is a plain requirement; a checkout is a replace.
func TestGoModRequiresTheReleaseOrReplacesWithTheCheckout(t *testing.T) {
	released := string(Repo{Module: "github.com/acme/infra", GoVersion: "1.26.8", Version: "v0.1.0"}.goMod())
	want := "module github.com/acme/infra\n\ngo 1.26.8\n\nrequire github.com/formwork-dev/formwork v0.1.0\n"
	if released != want {
		t.Errorf("go.mod for a released formwork:\n%s\nwant:\n%s", released, want)
	}
	checkout := string(Repo{Module: "example.com/infra", GoVersion: "1.26.8", Replace: "/src/formwork"}.goMod())
	if !strings.Contains(checkout, "\nreplace github.com/formwork-dev/formwork => /src/formwork\n") {
		t.Errorf("go.mod for a checkout lacks the replace:\n%s", checkout)
	}
}
