package templates

import "fmt"

// Format is an output format.
type Format string

// The output formats.
const (
	YAML Format = "yaml"
	JSON Format = "json"
)

// ParseFormat accepts "yaml" or "json".
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case YAML, JSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use yaml or json", s)
}

// Render checks the template against rules and encodes it. A template with
// findings is not encoded: the error is a Findings listing every one. The
// template's waivers (Template.Waive) excuse the findings they name, and
// may name only rules of the set. Rules is what the render enforces and
// nothing else: a render with nil rules checks nothing but the body's size.
func Render(t *Template, f Format, rules Rules) ([]byte, error) {
	tree, err := t.Tree()
	if err != nil {
		return nil, err
	}
	if findings := t.Check(tree, rules); len(findings) > 0 {
		return nil, findings
	}
	body, err := Encode(tree, t.comments, f)
	if err != nil {
		return nil, err
	}
	if tooLarge, _ := CheckSize(t.Name, body); len(tooLarge) > 0 {
		return nil, tooLarge
	}
	return body, nil
}

// Encode writes a tree without checking it.
func Encode(tree *Map, comments map[string]string, f Format) ([]byte, error) {
	if f == JSON {
		return encodeJSON(tree)
	}
	return encodeYAML(tree, comments)
}

// Check runs rules over the template's tree (from Tree) and applies its
// waivers: the findings that remain, waiver problems included.
func (t *Template) Check(tree *Map, rules Rules) Findings {
	return t.applyWaivers(tree, rules.Check(t.Name, tree), rules)
}
