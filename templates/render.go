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

// Render checks the template and encodes it. A template with findings is not
// encoded: the error is a Findings listing every one.
func Render(t *Template, f Format) ([]byte, error) {
	tree, err := t.Tree()
	if err != nil {
		return nil, err
	}
	if findings := t.unwaived(Check(t.Name, tree)); len(findings) > 0 {
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
