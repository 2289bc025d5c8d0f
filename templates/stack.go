package templates

import (
	"fmt"
)

// Stack is a named template definition: what a team registers with the CLI
// and what golden/ holds one file of.
type Stack struct {
	// Name is the CLI argument and the golden file name: lower-case, dashes.
	Name string
	// Description is one line for `formwork list` and the template.
	Description string
	// Build declares the template. It must be deterministic, and it may run
	// at the same time as other stacks' Build (formwork renders stacks
	// concurrently): it must not change state that another Build reads.
	Build func(t *Template)
}

// Template builds the stack's template.
func (s Stack) Template() *Template {
	t := New(s.Name, s.Description)
	s.Build(t)
	return t
}

// Render builds the stack, checks it against rules and encodes it.
func (s Stack) Render(f Format, rules Rules) ([]byte, error) {
	return Render(s.Template(), f, rules)
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
