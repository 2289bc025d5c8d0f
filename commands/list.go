package commands

import (
	"fmt"
	"text/tabwriter"

	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// listCommand is formwork list.
func listCommand() *cli.Command {
	return &cli.Command{
		Name:         "list",
		Usage:        "list the stacks: name, resource count, description",
		UsageText:    "formwork list\n\nExample:\n   formwork list",
		Action:       listStacks,
		BashComplete: func(*cli.Context) {},
	}
}

func listStacks(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("list takes no arguments: run formwork list")
	}
	w := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "STACK\tRESOURCES\tDESCRIPTION")
	for _, s := range catalog(c) {
		tree, err := s.Template().Tree()
		if err != nil {
			w.Flush()
			return renderFailed(c.App.ErrWriter, err)
		}
		fmt.Fprintf(w, "%s\t%d\t%s\n", s.Name, templates.Section(tree, "Resources").Len(), s.Description)
	}
	return w.Flush()
}
