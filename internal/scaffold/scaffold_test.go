package scaffold

import (
	"strings"
	"testing"
)

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
