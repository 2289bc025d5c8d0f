package stacks

import (
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// lookup finds a catalogue stack by name.
func lookup(name string) (templates.Stack, bool) {
	for _, s := range Catalogue() {
		if s.Name == name {
			return s, true
		}
	}
	return templates.Stack{}, false
}

func TestCatalogueIsSortedAndDistinct(t *testing.T) {
	list := Catalogue()
	if err := templates.CheckStacks(list); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(list); i++ {
		if list[i-1].Name >= list[i].Name {
			t.Errorf("Catalogue is not sorted: %s before %s", list[i-1].Name, list[i].Name)
		}
	}
	if len(list) != 8 {
		t.Errorf("the catalogue has %d stacks, want 8", len(list))
	}
}
