package stacks_test

import (
	"testing"

	"github.com/formwork-dev/formwork/stacks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// BenchmarkRenderCatalogue builds, checks and encodes every stack of the
// catalogue, as `formwork render` does in one process.
func BenchmarkRenderCatalogue(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range stacks.Catalogue() {
			if _, err := templates.Render(s.Template(), templates.YAML, rules.All()); err != nil {
				b.Fatal(err)
			}
		}
	}
}
