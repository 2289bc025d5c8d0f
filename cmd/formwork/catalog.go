package main

import (
	"github.com/formwork-dev/formwork/stacks"
)

// catalog lists the stacks the CLI works on, sorted by name. Tests replace
// it with stacks of their own, so they do not depend on which stacks exist.
var catalog = stacks.All

// lookupStack finds a stack by name; the error names the closest stack.
func lookupStack(name string) (stacks.Stack, error) {
	var names []string
	for _, s := range catalog() {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	if guess := stacks.Closest(name, names); guess != "" {
		return stacks.Stack{}, usageError("unknown stack %q: did you mean %q? (formwork list shows all)", name, guess)
	}
	return stacks.Stack{}, usageError("unknown stack %q: formwork list shows all", name)
}

// selectStacks returns the named stacks in the order given, or every stack
// when no name is given. Each stack appears once.
func selectStacks(names []string) ([]stacks.Stack, error) {
	if len(names) == 0 {
		return catalog(), nil
	}
	seen := map[string]bool{}
	var out []stacks.Stack
	for _, n := range names {
		s, err := lookupStack(n)
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
func oneStack(command string, args []string) (stacks.Stack, error) {
	if len(args) != 1 {
		return stacks.Stack{}, usageError("%s takes one stack name, got %d arguments: e.g. formwork %s STACK (formwork list shows all)", command, len(args), command)
	}
	return lookupStack(args[0])
}
