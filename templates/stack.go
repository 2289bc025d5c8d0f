package templates

import (
	"fmt"
	"slices"
	"strings"
)

// Stack is a named template definition: what a team registers with the CLI
// and what golden/ holds one file of.
type Stack struct {
	// Name is the CLI argument and the golden file name: lower-case, dashes.
	Name string
	// Description is one line for `formwork list` and the template.
	Description string
	// Build declares the template. It must be deterministic.
	Build func(t *Template)
}

// Template builds the stack's template.
func (s Stack) Template() *Template {
	t := New(s.Name, s.Description)
	s.Build(t)
	return t
}

// Render builds, checks and encodes the stack.
func (s Stack) Render(f Format) ([]byte, error) {
	return Render(s.Template(), f)
}

// CheckStacks refuses a list of stacks that the CLI and golden/ cannot tell
// apart: an empty or malformed name, two stacks of one name, or no Build.
func CheckStacks(list []Stack) error {
	seen := map[string]bool{}
	for _, s := range list {
		if !isStackName(s.Name) {
			return fmt.Errorf("stack name %q must be lower-case letters, digits and dashes, starting with a letter (it is a CLI argument and a file name)", s.Name)
		}
		if seen[s.Name] {
			return fmt.Errorf("two stacks are named %q: give one of them another Name", s.Name)
		}
		if s.Build == nil {
			return fmt.Errorf("stack %q has no Build function", s.Name)
		}
		seen[s.Name] = true
	}
	return nil
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

// Registry collects a repository's stacks, typically from init functions,
// one file a stack, so that adding a file adds a stack to the CLI and to
// golden/:
//
//	var registry templates.Registry
//
//	func init() { registry.Add(templates.Stack{Name: "billing-queue", ...}) }
//
// The zero value is ready to use.
type Registry struct {
	stacks []Stack
}

// Add registers a stack. It panics on a name already registered, a mistake
// every test run then reports.
func (r *Registry) Add(s Stack) {
	for _, have := range r.stacks {
		if have.Name == s.Name {
			panic(fmt.Sprintf("templates: two stacks are named %q: give one of them another Name", s.Name))
		}
	}
	r.stacks = append(r.stacks, s)
}

// Stacks returns the registered stacks sorted by name.
func (r *Registry) Stacks() []Stack {
	out := slices.Clone(r.stacks)
	slices.SortFunc(out, func(a, b Stack) int { return strings.Compare(a.Name, b.Name) })
	return out
}
