package importer

import "github.com/formwork-dev/formwork/templates"

// A Pattern recognises resources that a building block expresses, and
// returns a note for each (by logical id) that the importer writes as a Go
// comment above the resource. The resources themselves are imported as
// they are: rewriting them with the block would change the template.
type Pattern func(tree *templates.Map) map[string]string

// Options are what the importer's caller hands it: the rules the imported
// stack will be rendered with (each finding of the template as it is
// becomes a waiver, so it renders as deployed), the patterns whose notes
// it writes, and a linter's findings to waive.
type Options struct {
	Rules    templates.Rules
	Patterns []Pattern
	// Lint are a linter's findings on the rendered template (cfn-lint's on
	// Result.Rendered): each is written as a waiver, so the stack passes
	// formwork validate as it is deployed.
	Lint []Lint
}

// hints runs the patterns over a template.
func hints(tree *templates.Map, list []Pattern) map[string]string {
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
