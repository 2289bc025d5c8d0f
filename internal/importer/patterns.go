package importer

import (
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

// A Pattern recognises resources that a building block expresses, and
// returns a note for each (by logical id) that the importer writes as a Go
// comment above the resource. The resources themselves are imported as
// they are: rewriting them with the block would change the template.
type Pattern func(tree *templates.Map) map[string]string

var (
	patternsMu sync.Mutex
	patterns   []Pattern
)

// AddPattern registers a pattern, typically from a block package's init.
func AddPattern(p Pattern) {
	patternsMu.Lock()
	defer patternsMu.Unlock()
	patterns = append(patterns, p)
}

// hints runs every registered pattern over a template.
func hints(tree *templates.Map) map[string]string {
	patternsMu.Lock()
	list := append([]Pattern(nil), patterns...)
	patternsMu.Unlock()
	out := map[string]string{}
	for _, p := range list {
		for id, note := range p(tree) {
			if prev, ok := out[id]; ok {
				note = prev + "\n" + note
			}
			out[id] = note
		}
	}
	return out
}
