package environment

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
	"gopkg.in/yaml.v3"
)

// reader walks the YAML nodes of one file, so every finding has its line.
type reader struct{ env *Environment }

var (
	environmentKeys = []string{"account", "region", "tags", "stacks"}
	stackKeys       = []string{"stackName", "account", "region", "parameters", "tags"}
)

func (r reader) environment(n *yaml.Node) error {
	fields, err := r.mapping(n, "the file", environmentKeys)
	if err != nil {
		return err
	}
	e := r.env
	if e.Account, err = r.text(fields["account"], "account"); err != nil {
		return err
	}
	if e.Region, err = r.text(fields["region"], "region"); err != nil {
		return err
	}
	if e.Tags, err = r.tags(fields["tags"], "tags"); err != nil {
		return err
	}
	stacks := fields["stacks"]
	if stacks == nil {
		return e.fail(n.Line, "no stacks: list the stacks this environment deploys under stacks:")
	}
	if stacks.Kind != yaml.MappingNode {
		return e.fail(stacks.Line, "stacks must map each stack name to its settings")
	}
	if err := r.unique(stacks, "stacks"); err != nil {
		return err
	}
	for i := 0; i < len(stacks.Content); i += 2 {
		s, err := r.stack(stacks.Content[i], stacks.Content[i+1])
		if err != nil {
			return err
		}
		e.Stacks = append(e.Stacks, s)
	}
	return nil
}

func (r reader) stack(key, n *yaml.Node) (Stack, error) {
	e := r.env
	s := Stack{Name: key.Value, Line: key.Line, Account: e.Account, Region: e.Region, StackName: key.Value + "-" + e.Name}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		s.Tags = slices.Clone(e.Tags)
		return s, nil
	}
	where := "stack " + s.Name
	fields, err := r.mapping(n, where, stackKeys)
	if err != nil {
		return s, err
	}
	for key, into := range map[string]*string{"stackName": &s.StackName, "account": &s.Account, "region": &s.Region} {
		v, err := r.text(fields[key], where+": "+key)
		if err != nil {
			return s, err
		}
		if fields[key] != nil {
			*into = v
		}
	}
	if s.Parameters, err = r.values(fields["parameters"], where+": parameters"); err != nil {
		return s, err
	}
	tags, err := r.tags(fields["tags"], where+": tags")
	if err != nil {
		return s, err
	}
	s.Tags = mergeTags(e.Tags, tags)
	return s, nil
}

// mergeTags returns the environment's tags with the stack's over them.
func mergeTags(env, own []Value) []Value {
	out := slices.Clone(env)
	for _, t := range own {
		i := slices.IndexFunc(out, func(v Value) bool { return v.Key == t.Key })
		if i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// mapping reads a mapping whose keys must be among known.
func (r reader) mapping(n *yaml.Node, where string, known []string) (map[string]*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return nil, r.env.fail(n.Line, "%s must be a mapping of %s", where, strings.Join(known, ", "))
	}
	fields := map[string]*yaml.Node{}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("%s: unknown key %q", where, k.Value)
			if guess := templates.Closest(k.Value, known); guess != "" {
				msg += fmt.Sprintf(": did you mean %q?", guess)
			} else {
				msg += ": known keys are " + strings.Join(known, ", ")
			}
			return nil, r.env.fail(k.Line, "%s", msg)
		}
		fields[k.Value] = n.Content[i+1]
	}
	return fields, r.unique(n, where)
}

// unique refuses a mapping with a key given twice, naming both lines: one
// reader would take the first, another the last.
func (r reader) unique(n *yaml.Node, where string) error {
	first := map[string]int{}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if line, dup := first[k.Value]; dup {
			return r.env.fail(k.Line, "%s: %s is given twice, on lines %d and %d: keep one", where, k.Value, line, k.Line)
		}
		first[k.Value] = k.Line
	}
	return nil
}

// text reads a scalar; a missing node is "".
func (r reader) text(n *yaml.Node, where string) (string, error) {
	if n == nil {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", r.env.fail(n.Line, "%s must be a single value", where)
	}
	return n.Value, nil
}

// values reads a mapping of names to scalar values; a list value (for a
// List or CommaDelimitedList parameter) is joined with commas, as
// CloudFormation takes it.
func (r reader) values(n *yaml.Node, where string) ([]Value, error) {
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, r.env.fail(n.Line, "%s must map names to values", where)
	}
	if err := r.unique(n, where); err != nil {
		return nil, err
	}
	var out []Value
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		value, err := r.value(v, where+": "+k.Value)
		if err != nil {
			return nil, err
		}
		variable, err := r.variable(v, value, where+": "+k.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, Value{Key: k.Value, Value: value, Line: k.Line, Variable: variable})
	}
	return out, nil
}

func (r reader) value(n *yaml.Node, where string) (string, error) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return "", nil
	case n.Kind == yaml.ScalarNode:
		return n.Value, nil
	case n.Kind == yaml.SequenceNode:
		items := make([]string, len(n.Content))
		for i, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return "", r.env.fail(item.Line, "%s: each list item must be a single value", where)
			}
			items[i] = item.Value
		}
		return strings.Join(items, ","), nil
	}
	return "", r.env.fail(n.Line, "%s must be a value or a list of values", where)
}

var envReference = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$`) })

// variable reads a ${env:NAME} value: NAME, or "" for a plain value. A
// value that holds ${env: anywhere else is refused: only a whole value
// refers to a variable.
func (r reader) variable(n *yaml.Node, value, where string) (string, error) {
	if m := envReference().FindStringSubmatch(value); m != nil && n.Kind == yaml.ScalarNode {
		return m[1], nil
	}
	if strings.Contains(value, "${env:") {
		return "", r.env.fail(n.Line, "%s: write a reference to an environment variable as the whole value, ${env:NAME} (NAME: letters, digits, _)", where)
	}
	return "", nil
}

// tags reads tags, whose values are written in the file: a tag is no secret.
func (r reader) tags(n *yaml.Node, where string) ([]Value, error) {
	tags, err := r.values(n, where)
	for _, t := range tags {
		if t.Variable != "" {
			return nil, r.env.fail(t.Line, "%s: %s: a tag value is written in the file, not read from ${env:%s}", where, t.Key, t.Variable)
		}
	}
	return tags, err
}
