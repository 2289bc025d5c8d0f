package environment

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

// Template is what an environment is checked against: a stack's name and
// the parameters its template declares.
type Template struct {
	Stack      string
	Parameters []templates.Parameter
	// Filled are the parameters formwork fills itself (the key of each
	// packaged asset): an environment may set them, to pin a build, but
	// need not.
	Filled []string
}

var (
	stackNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9]{0,127}$`) })
	accountPattern   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{12}$`) })
	regionPattern    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`) })
)

// Check checks the environment against the stacks it may deploy, offline:
// every stack it names must exist, every parameter it sets must be declared
// and acceptable to the parameter's constraints, every parameter without a
// default must be set, and names, accounts, regions and tags must be ones
// CloudFormation takes.
func (e *Environment) Check(stacks []Template) []Finding {
	known := map[string]Template{}
	var names []string
	for _, s := range stacks {
		known[s.Stack] = s
		names = append(names, s.Stack)
	}
	var out []Finding
	add := func(line int, name bool, format string, args ...any) {
		out = append(out, Finding{File: e.Path, Line: line, Name: name, Message: fmt.Sprintf(format, args...)})
	}
	for _, s := range e.Stacks {
		t, ok := known[s.Name]
		if !ok {
			add(s.Line, true, "%s", unknown("stack", s.Name, names, "formwork list shows them"))
			continue
		}
		out = append(out, e.checkStack(s, t)...)
	}
	return out
}

func (e *Environment) checkStack(s Stack, t Template) []Finding {
	var out []Finding
	add := func(line int, name bool, format string, args ...any) {
		out = append(out, Finding{File: e.Path, Line: line, Name: name, Message: fmt.Sprintf("%s: ", s.Name) + fmt.Sprintf(format, args...)})
	}
	if !stackNamePattern().MatchString(s.StackName) {
		add(s.Line, false, "stackName %q: a CloudFormation stack name is a letter then up to 127 letters, digits and dashes", s.StackName)
	}
	if s.Account != "" && !accountPattern().MatchString(s.Account) {
		add(s.Line, false, "account %q: an AWS account id is 12 digits (quote it in YAML)", s.Account)
	}
	if s.Region != "" && !regionPattern().MatchString(s.Region) {
		add(s.Line, false, "region %q is not an AWS region name like eu-central-1", s.Region)
	}
	declared := map[string]templates.Parameter{}
	var names []string
	for _, p := range t.Parameters {
		declared[p.Name] = p
		names = append(names, p.Name)
	}
	given := map[string]bool{}
	for _, v := range s.Parameters {
		given[v.Key] = true
		p, ok := declared[v.Key]
		if !ok {
			add(v.Line, true, "%s", unknown("parameter", v.Key, names, "formwork params "+s.Name+" lists them"))
			continue
		}
		if v.Reference() {
			continue // its value is known when it is deployed
		}
		if msg := p.Check(v.Value); msg != "" {
			add(v.Line, false, "%s", msg)
		}
	}
	var missing []string
	for _, p := range t.Parameters {
		if !p.HasDefault && !given[p.Name] && !slices.Contains(t.Filled, p.Name) {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		add(s.Line, false, "needs a value for %s (no default): add it under parameters:", strings.Join(missing, ", "))
	}
	out = append(out, e.checkTags(s)...)
	return out
}

// checkTags applies CloudFormation's stack tag limits.
func (e *Environment) checkTags(s Stack) []Finding {
	var out []Finding
	add := func(line int, format string, args ...any) {
		out = append(out, Finding{File: e.Path, Line: line, Message: fmt.Sprintf("%s: ", s.Name) + fmt.Sprintf(format, args...)})
	}
	if len(s.Tags) > 50 {
		add(s.Line, "%d tags, over CloudFormation's 50 per stack", len(s.Tags))
	}
	for _, t := range s.Tags {
		if msg := TagProblem(t.Key, t.Value); msg != "" {
			add(t.Line, "%s", msg)
		}
	}
	return out
}

// tagText is what AWS accepts in tag keys and values: Unicode letters,
// digits and spaces, and _ . : / = + - @.
var tagText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`) })

// TagProblem says why CloudFormation (or the AWS CLI that passes it) would
// refuse a stack tag, or returns "".
func TagProblem(key, value string) string {
	switch {
	case key == "" || len([]rune(key)) > 128:
		return fmt.Sprintf("tag key %q must be 1 to 128 characters", key)
	case strings.HasPrefix(strings.ToLower(key), "aws:"):
		return fmt.Sprintf("tag key %q: the aws: prefix is reserved for AWS", key)
	case !tagText().MatchString(key):
		return fmt.Sprintf("tag key %q: a tag key is letters, digits, spaces and _ . : / = + - @", key)
	case strings.HasPrefix(key, "-"):
		return fmt.Sprintf("tag key %q starts with -, so the AWS CLI would read it as an option: rename it", key)
	case value == "" || len([]rune(value)) > 256:
		return fmt.Sprintf("tag %s: a stack tag's value is 1 to 256 characters", key)
	case !tagText().MatchString(value):
		return fmt.Sprintf("tag %s: a tag value is letters, digits, spaces and _ . : / = + - @", key)
	}
	return ""
}

func unknown(what, name string, known []string, hint string) string {
	msg := fmt.Sprintf("unknown %s %q", what, name)
	if guess := templates.Closest(name, known); guess != "" {
		return msg + fmt.Sprintf(": did you mean %q? (%s)", guess, hint)
	}
	return msg + " (" + hint + ")"
}
