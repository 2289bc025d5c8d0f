// Package stacks holds formwork's building blocks and the stacks composed from
// them. Each stack lives in its own file and registers itself in init, so
// adding a file adds a stack to the CLI, to golden/ and to the tests.
package stacks

import (
	"fmt"
	"sort"

	"github.com/formwork-dev/formwork/templates"
)

// Stack is a named template definition.
type Stack struct {
	// Name is the CLI argument and the golden file name: lower-case, dashes.
	Name string
	// Description is one line for `formwork list` and the template.
	Description string
	// Build declares the template. It must be deterministic.
	Build func(t *templates.Template)
}

var registry = map[string]Stack{}

// register adds a stack; it panics on a duplicate name, which is a
// programming error caught by every test run.
func register(s Stack) {
	if _, dup := registry[s.Name]; dup {
		panic("stacks: two stacks are named " + s.Name)
	}
	registry[s.Name] = s
}

// All returns every stack, sorted by name.
func All() []Stack {
	out := make([]Stack, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns every stack name, sorted.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// Lookup finds a stack by name; the error names the closest stack.
func Lookup(name string) (Stack, error) {
	if s, ok := registry[name]; ok {
		return s, nil
	}
	if guess := Closest(name, Names()); guess != "" {
		return Stack{}, fmt.Errorf("unknown stack %q: did you mean %q? (formwork list shows all)", name, guess)
	}
	return Stack{}, fmt.Errorf("unknown stack %q: formwork list shows all", name)
}

// Select returns the named stacks in the order given, or all stacks when no
// name is given.
func Select(names []string) ([]Stack, error) {
	if len(names) == 0 {
		return All(), nil
	}
	out := make([]Stack, 0, len(names))
	for _, n := range names {
		s, err := Lookup(n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Template builds the stack's template.
func (s Stack) Template() *templates.Template {
	t := templates.New(s.Name, s.Description)
	s.Build(t)
	return t
}

// Render builds, checks and encodes the stack.
func (s Stack) Render(f templates.Format) ([]byte, error) {
	return templates.Render(s.Template(), f)
}

// Closest returns the candidate with the smallest edit distance to name, if
// it is close enough to be a plausible typo.
func Closest(name string, candidates []string) string {
	best, bestDist := "", len(name)/2+2
	for _, c := range candidates {
		if d := editDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
