package templates

import (
	"fmt"
	"strconv"
	"strings"
)

// Finding is one problem in a template, located precisely enough to fix.
type Finding struct {
	Stack     string
	LogicalID string // resource, output, parameter or condition name; empty for the template
	Path      string // dotted path inside it, e.g. Properties.Code.ZipFile
	Message   string
	// Rule is the id of the declared rule (DeclareRule) that found it, for
	// findings a stack may waive; "" for findings that cannot be waived.
	Rule string
}

func (f Finding) String() string {
	parts := []string{f.Stack}
	if f.LogicalID != "" {
		parts = append(parts, f.LogicalID)
	}
	if f.Path != "" {
		parts = append(parts, f.Path)
	}
	s := strings.Join(append(parts, f.Message), ": ")
	if f.Rule != "" {
		s += " [" + f.Rule + "]"
	}
	return s
}

// Findings is an error listing problems, one per line.
type Findings []Finding

func (fs Findings) Error() string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

// pseudoParameters are the names Ref and Sub accept without a declaration.
var pseudoParameters = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::NoValue": true,
	"AWS::Partition": true, "AWS::Region": true, "AWS::StackId": true,
	"AWS::StackName": true, "AWS::URLSuffix": true,
}

// A Checker inspects a whole template tree and reports findings.
type Checker func(stack string, tree *Map) []Finding

// EngineRules are the checks every CloudFormation template needs, whatever
// its services: logical ids, declared references, GetAtt attributes, no
// dependency cycles and the section limits. A rule set for rendering
// usually starts with them (rules.All in stacks/rules does).
func EngineRules() Rules {
	return Rules{
		{ID: "logical_ids", Summary: "logical ids are 1 to 255 letters and digits",
			Why: "CloudFormation rejects any other id before it deploys anything", Check: checkLogicalIDs},
		{ID: "references_declared", Summary: "every Ref, GetAtt, Sub variable, DependsOn, Condition and FindInMap names something the template declares",
			Why: "a dangling reference fails the deploy; a transform (SAM) that declares the name is the only reason to waive it", Check: checkReferences},
		getAttAttributes,
		noDependencyCycles,
		sectionLimitsRule,
	}
}

// Section returns a top-level section of the tree, or an empty map.
func Section(tree *Map, name string) *Map {
	if v, ok := tree.Get(name); ok {
		if m, ok := v.(*Map); ok {
			return m
		}
	}
	return NewMap()
}

func checkLogicalIDs(stack string, tree *Map) []Finding {
	var out []Finding
	for _, section := range []string{"Parameters", "Conditions", "Mappings", "Resources", "Outputs"} {
		for _, id := range Section(tree, section).Keys() {
			if !isLogicalID(id) && !isLoop(id) {
				out = append(out, Finding{Stack: stack, LogicalID: id, Message: fmt.Sprintf("logical id %q in %s must be 1 to 255 letters and digits", id, section)})
			}
		}
	}
	return out
}

// names collects what a template declares.
type names struct {
	params, resources, conditions, mappings map[string]bool
}

func declared(tree *Map) names {
	set := func(section string) map[string]bool {
		m := map[string]bool{}
		for _, k := range Section(tree, section).Keys() {
			m[k] = true
		}
		return m
	}
	return names{set("Parameters"), set("Resources"), set("Conditions"), set("Mappings")}
}

func checkReferences(stack string, tree *Map) []Finding {
	n := declared(tree)
	var out []Finding
	report := func(id, path, msg string) {
		out = append(out, Finding{Stack: stack, LogicalID: id, Path: path, Message: msg})
	}
	var id string
	w := newWalker(func(path []byte, fn Fn) { checkFn(n, id, path, fn, report) })
	for _, section := range []string{"Resources", "Outputs", "Conditions", "Rules"} {
		s := Section(tree, section)
		for i, key := range s.keys {
			id = key
			if isLoop(id) {
				continue
			}
			body := s.vals[i]
			if section == "Resources" || section == "Outputs" {
				checkAttributes(n, id, body, report)
			}
			w.walk(body, "")
		}
	}
	return out
}

func checkAttributes(n names, id string, body any, report func(id, path, msg string)) {
	m, ok := body.(*Map)
	if !ok {
		return
	}
	if c, ok := m.Get("Condition"); ok {
		if name, ok := c.(string); ok && !n.conditions[name] {
			report(id, "Condition", fmt.Sprintf("condition %q is not declared in Conditions", name))
		}
	}
	deps, _ := m.Get("DependsOn")
	if d, ok := deps.(string); ok {
		deps = []any{d}
	}
	list, _ := deps.([]any)
	for i, d := range list {
		if name, ok := d.(string); ok && !n.resources[name] {
			report(id, fmt.Sprintf("DependsOn[%d]", i), fmt.Sprintf("DependsOn names %q, which is not a resource in this template", name))
		}
	}
}

func checkFn(n names, id string, path []byte, fn Fn, report func(id, path, msg string)) {
	switch fn.Name {
	case FnRef:
		name, _ := fn.Arg.(string)
		if !n.params[name] && !n.resources[name] && !pseudoParameters[name] {
			report(id, string(path), fmt.Sprintf("!Ref %s: no parameter or resource is named %q", name, name))
		}
	case FnGetAtt:
		if parts, ok := fn.Arg.([]any); ok && len(parts) == 2 {
			if res, ok := parts[0].(string); ok && !n.resources[res] {
				report(id, string(path), fmt.Sprintf("!GetAtt %s: no resource is named %q", res, res))
			}
		}
	case FnSub:
		text, vars := SubParts(fn.Arg)
		for _, msg := range checkSub(n, text, vars) {
			report(id, string(path), msg)
		}
	case FnIf:
		if args, ok := fn.Arg.([]any); ok && len(args) == 3 {
			if c, ok := args[0].(string); ok && !n.conditions[c] {
				report(id, string(path), fmt.Sprintf("!If %s: condition %q is not declared in Conditions", c, c))
			}
		}
	case FnCondition:
		if c, ok := fn.Arg.(string); ok && !n.conditions[c] {
			report(id, string(path), fmt.Sprintf("!Condition %s: condition %q is not declared in Conditions", c, c))
		}
	case FnFindInMap:
		if args, ok := fn.Arg.([]any); ok && len(args) >= 3 {
			if m, ok := args[0].(string); ok && !n.mappings[m] {
				report(id, string(path), fmt.Sprintf("!FindInMap %s: mapping %q is not declared in Mappings", m, m))
			}
		}
	}
}

// SubParts splits a Fn::Sub argument into its text and its variable map.
func SubParts(arg any) (string, *Map) {
	switch a := arg.(type) {
	case string:
		return a, NewMap()
	case []any:
		if len(a) == 2 {
			text, _ := a[0].(string)
			vars, ok := a[1].(*Map)
			if !ok {
				vars = NewMap()
			}
			return text, vars
		}
	}
	return "", NewMap()
}

// SubVariables returns the ${...} variables of a Fn::Sub text, and a message
// for every ${ that does not start a well-formed variable.
func SubVariables(text string) (vars []string, problems []string) {
	for i := 0; i < len(text); i++ {
		if text[i] != '$' || i+1 >= len(text) || text[i+1] != '{' {
			continue
		}
		rest := text[i+2:]
		if strings.HasPrefix(rest, "!") {
			i++
			continue
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 || !isSubVariable(rest[:end]) {
			problems = append(problems, fmt.Sprintf("!Sub text has %q at offset %d that is not a ${Name} variable: write ${! for a literal ${", excerpt(text[i:]), i))
			continue
		}
		vars = append(vars, rest[:end])
		i += end + 2
	}
	return vars, problems
}

func excerpt(s string) string {
	if i := strings.IndexAny(s, "\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 24 {
		s = s[:24] + "…"
	}
	return s
}

func checkSub(n names, text string, local *Map) []string {
	vars, problems := SubVariables(text)
	for _, v := range vars {
		if _, ok := local.Get(v); ok || pseudoParameters[v] {
			continue
		}
		name, _, isAttr := strings.Cut(v, ".")
		switch {
		case isAttr && !n.resources[name]:
			problems = append(problems, fmt.Sprintf("!Sub variable ${%s}: no resource is named %q", v, name))
		case !isAttr && !n.params[v] && !n.resources[v]:
			problems = append(problems, fmt.Sprintf("!Sub variable ${%s}: no parameter or resource is named %q (write ${!%s} for a literal)", v, v, v))
		}
	}
	return problems
}

// Walk calls visit for every intrinsic function in v, with its dotted path
// ("Properties.Code.ZipFile", "Properties.Tags[0].Value"). Functions nested
// inside function arguments are visited too, with the path of the outermost
// function: the message names the function, the path names the property.
func Walk(v any, path string, visit func(path string, fn Fn)) {
	w := newWalker(func(path []byte, fn Fn) { visit(string(path), fn) })
	w.walk(v, path)
}

// walker keeps the path as one buffer that grows and shrinks with the walk,
// and hands it to visit as it is: a check makes a string of it only for
// what it reports. Rules walk every resource on every render, and one
// walker serves every resource of a check.
type walker struct {
	path  []byte
	visit func(path []byte, fn Fn)
}

func newWalker(visit func(path []byte, fn Fn)) *walker {
	return &walker{path: make([]byte, 0, 64), visit: visit}
}

// walk visits the functions of v, its paths starting with path.
func (w *walker) walk(v any, path string) {
	w.path = append(w.path[:0], path...)
	w.value(v)
}

func (w *walker) value(v any) {
	switch t := v.(type) {
	case *Map:
		n := len(w.path)
		for i, k := range t.keys {
			if n > 0 {
				w.path = append(w.path, '.')
			}
			w.path = append(w.path, k...)
			w.value(t.vals[i])
			w.path = w.path[:n]
		}
	case []any:
		n := len(w.path)
		for i, item := range t {
			w.path = append(strconv.AppendInt(append(w.path, '['), int64(i), 10), ']')
			w.value(item)
			w.path = w.path[:n]
		}
	case Fn:
		w.visit(w.path, t)
		w.arg(t.Arg)
	}
}

// arg visits the functions inside a function's argument, all with the
// path of the outermost function.
func (w *walker) arg(v any) {
	switch t := v.(type) {
	case *Map:
		for _, item := range t.vals {
			w.arg(item)
		}
	case []any:
		for _, item := range t {
			w.arg(item)
		}
	case Fn:
		w.visit(w.path, t)
		w.arg(t.Arg)
	}
}
