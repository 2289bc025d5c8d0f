package commands_test

import (
	"os"

	"github.com/formwork-dev/formwork/commands"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// A repository's whole CLI is Main with its stacks; Run is the same with
// the arguments and outputs given, for tests.
func ExampleRun() {
	exports := templates.Stack{
		Name:        "exports",
		Description: "Nightly order exports",
		Build: func(t *templates.Template) {
			blocks.PrivateBucket{ID: "Exports", Comment: "nightly order exports; retained: the only copy", ExpireAfterDays: 90, Retention: blocks.Retain}.Add(t)
		},
	}
	code := commands.Run([]string{"formwork", "list"}, os.Stdout, os.Stderr, []templates.Stack{exports})
	if code != 0 {
		return
	}
	// Output:
	// STACK    RESOURCES  DESCRIPTION
	// exports  2          Nightly order exports
}
