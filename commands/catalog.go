package commands

import (
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// stacksKey is where Run keeps the stacks the CLI serves in the app's
// metadata, so every command sees exactly the list its caller gave.
const stacksKey = "stacks"

// rulesKey is where Run keeps the rule set every render must pass.
const rulesKey = "rules"

// ruleSet is the rules the CLI renders and validates with.
func ruleSet(c *cli.Context) templates.Rules {
	rs, _ := c.App.Metadata[rulesKey].(templates.Rules)
	return rs
}

// catalog lists the stacks the CLI works on, in the order they were given.
func catalog(c *cli.Context) []templates.Stack {
	list, _ := c.App.Metadata[stacksKey].([]templates.Stack)
	return list
}

// lookupStack finds a stack by name; the error names the closest stack.
func lookupStack(c *cli.Context, name string) (templates.Stack, error) {
	var names []string
	for _, s := range catalog(c) {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	if guess := templates.Closest(name, names); guess != "" {
		return templates.Stack{}, usageError("unknown stack %q: did you mean %q? (formwork list shows all)", name, guess)
	}
	return templates.Stack{}, usageError("unknown stack %q: formwork list shows all", name)
}

// selectStacks returns the named stacks in the order given, or every stack
// when no name is given. Each stack appears once.
func selectStacks(c *cli.Context, names []string) ([]templates.Stack, error) {
	if len(names) == 0 {
		return catalog(c), nil
	}
	seen := map[string]bool{}
	var out []templates.Stack
	for _, n := range names {
		s, err := lookupStack(c, n)
		if err != nil {
			return nil, err
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// oneStack reads the single STACK argument of a command.
func oneStack(c *cli.Context) (templates.Stack, error) {
	command, args := c.Command.Name, c.Args().Slice()
	if len(args) != 1 {
		return templates.Stack{}, usageError("%s takes one stack name, got %d arguments: e.g. formwork %s STACK (formwork list shows all)", command, len(args), command)
	}
	return lookupStack(c, args[0])
}
