package stacks

import (
	"flag"
	"testing"

	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates/golden"
)

var update = flag.Bool("update", false, "rewrite golden/ from the stacks")

const goldenDir = "../golden"

// TestGolden fails when a stack changed and golden/ was not regenerated. Every
// catalogue stack is covered: adding a stack adds its golden file here.
func TestGolden(t *testing.T) {
	golden.Test(t, goldenDir, Catalogue(), rules.All(), *update)
}
