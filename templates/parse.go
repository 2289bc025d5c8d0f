package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse reads any CloudFormation template, YAML or JSON, with short-form
// (!Ref, !GetAtt A.B, !Sub) or long-form (Fn::Sub) intrinsics, into the value
// tree the engine renders: *Map, []any, string, json.Number, bool, nil and Fn.
// Mapping order is kept, so a parsed template reads in its author's order.
func Parse(data []byte) (*Map, error) {
	var tree any
	var err error
	if trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(trimmed) > 0 && trimmed[0] == '{' {
		if err := jsonSyntax(trimmed); err != nil {
			return nil, err
		}
		tree, err = decodeJSON(trimmed)
		if err != nil {
			return nil, fmt.Errorf("not a valid JSON template: %v", err)
		}
	} else if fast, ok := parseFastYAML(data); ok {
		tree = fast
	} else {
		tree, err = parseYAML(data)
		if err != nil {
			return nil, err
		}
	}
	return finishTemplate(tree)
}

// ParseYAMLNode reads a template from the YAML document yaml.Unmarshal put
// in doc, as Parse reads YAML: for a caller that needs the nodes too (their
// comments and lines) without parsing the text twice.
func ParseYAMLNode(doc *yaml.Node) (*Map, error) {
	tree, err := fromDocument(doc)
	if err != nil {
		return nil, err
	}
	return finishTemplate(tree)
}

func finishTemplate(tree any) (*Map, error) {
	root, ok := normalize(tree, false).(*Map)
	if !ok {
		return nil, fmt.Errorf("a template must be a mapping of sections (Resources, Parameters, ...), not %s", describeKind(tree))
	}
	for i, k := range root.keys {
		// A section is never a function call: Outputs: {Fn::Transform: ...}
		// is a section holding one macro entry.
		if fn, ok := root.vals[i].(Fn); ok && entrySections[k] {
			section := NewMap()
			section.Set(fn.Name, fn.Arg)
			root.vals[i] = section
		}
	}
	conditions := Section(root, "Conditions")
	for i := range conditions.keys {
		if m, ok := conditions.vals[i].(*Map); ok {
			if fn, ok := asFn(m, true); ok { // Cond: {Condition: Other}
				conditions.vals[i] = fn
			}
		}
	}
	return root, nil
}

// entrySections are the sections that hold named entries.
var entrySections = map[string]bool{
	"Metadata": true, "Parameters": true, "Rules": true, "Mappings": true, "Conditions": true,
	"Resources": true, "Outputs": true,
}

// jsonSyntax reports a JSON syntax error with its line number.
func jsonSyntax(data []byte) error {
	if json.Valid(data) {
		return nil // the common case, without building a value
	}
	var v any
	err := json.Unmarshal(data, &v)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		line := 1 + bytes.Count(data[:min(int(syntax.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("not a valid JSON template: line %d: %v", line, err)
	}
	if err != nil {
		return fmt.Errorf("not a valid JSON template: %v", err)
	}
	return nil
}

func parseYAML(data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not a valid YAML template: %v", err)
	}
	return fromDocument(&doc)
}

func fromDocument(doc *yaml.Node) (any, error) {
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, fmt.Errorf("the template is empty")
	}
	r := &nodeReader{budget: maxNodes}
	return r.fromNode(doc.Content[0])
}

// maxNodes bounds the values an alias-heavy document may expand to (a
// "billion laughs" document is a few lines long).
const maxNodes = 1_000_000

// nodeReader converts yaml.v3 nodes, counting the values it produces.
type nodeReader struct{ budget int }

// fromNode converts a yaml.v3 node to a value tree. Short-form tags become Fn
// values with their long names.
func (r *nodeReader) fromNode(n *yaml.Node) (any, error) {
	if r.budget--; r.budget < 0 {
		return nil, fmt.Errorf("line %d: the document expands to more than %d values (aliases): write it out", n.Line, maxNodes)
	}
	if n.Kind == yaml.AliasNode {
		return r.fromNode(n.Alias)
	}
	v, err := r.untagged(n)
	if err != nil {
		return nil, err
	}
	if n.Tag == "" || !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	name := tagFunction(n.Tag)
	if !isFunctionName(name) && name != FnCondition {
		// Not a CloudFormation function (a tool's directive such as
		// !Rain::S3): kept as the single-key mapping it stands for.
		m := NewMap()
		m.Set(name, v)
		return m, nil
	}
	if name == FnGetAtt {
		v = splitGetAtt(v)
	}
	return Fn{Name: name, Arg: v}, nil
}

// tagFunction maps a short-form tag to its function name: !Ref → Ref,
// !GetAtt → Fn::GetAtt, and any other !Name → Fn::Name.
func tagFunction(tag string) string {
	if long, ok := longNames[tag]; ok {
		return long
	}
	return "Fn::" + strings.TrimPrefix(tag, "!")
}

func (r *nodeReader) untagged(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		return r.mappingFromNode(n)
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := r.fromNode(c)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.ScalarNode:
		return scalar(n)
	case yaml.AliasNode:
		return r.fromNode(n.Alias)
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}

// mappingFromNode reads a mapping. Keys merged in with << come after the
// mapping's own keys, which win over them.
func (r *nodeReader) mappingFromNode(n *yaml.Node) (*Map, error) {
	m := NewMap()
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, vn := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge" {
			merges = append(merges, vn)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: a mapping key must be a plain string", k.Line)
		}
		if _, dup := m.Get(k.Value); dup {
			return nil, fmt.Errorf("line %d: key %q appears twice in the same mapping", k.Line, k.Value)
		}
		v, err := r.fromNode(vn)
		if err != nil {
			return nil, err
		}
		m.Set(k.Value, v)
	}
	for _, vn := range merges {
		if err := r.mergeInto(m, vn); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// mergeInto applies a YAML merge key (<<: *anchor): keys already set win.
func (r *nodeReader) mergeInto(m *Map, n *yaml.Node) error {
	sources := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		sources = n.Content
	}
	for _, s := range sources {
		v, err := r.fromNode(s)
		if err != nil {
			return err
		}
		src, ok := v.(*Map)
		if !ok {
			return fmt.Errorf("line %d: a merge key (<<) must name a mapping", s.Line)
		}
		for i, k := range src.Keys() {
			if _, set := m.Get(k); !set {
				m.Set(k, src.vals[i])
			}
		}
	}
	return nil
}

// scalar resolves a scalar as CloudFormation reads it: numbers become
// json.Number in JSON's notation, null nil, everything else a string. Plain
// booleans are YAML 1.1's, as CloudFormation reads them: true/false,
// yes/no, on/off and y/n in any case (yaml.v3 alone would read yes as a
// string). A quoted or explicitly tagged (!!str yes) scalar stays a string.
func scalar(n *yaml.Node) (any, error) {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value, nil
	}
	if b, ok := yaml11Bool(n.Value); ok && n.Style&yaml.TaggedStyle == 0 {
		return b, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return n.Value, nil
		}
		return b, nil
	case "!!int", "!!float":
		if yaml11Text(n.Value) {
			return n.Value, nil
		}
		if num, ok := jsonNumber(n.Value); ok {
			return num, nil
		}
	}
	return n.Value, nil
}

// yaml11Bool reads a YAML 1.1 boolean in any case.
func yaml11Bool(s string) (value, ok bool) {
	if len(s) > 5 {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on", "y":
		return true, true
	case "false", "no", "off", "n":
		return false, true
	}
	return false, false
}

// yaml11Text reports whether YAML 1.1, which CloudFormation reads, takes a
// plain scalar that yaml.v3 (YAML 1.2) reads as a number for text: digits
// after a leading zero that are not octal (an account id such as
// 098765432198), or 1.2's 0o octal notation.
func yaml11Text(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if rest, ok := strings.CutPrefix(s, "0o"); ok {
		return rest != ""
	}
	return len(s) > 1 && s[0] == '0' && strings.Trim(s, "0123456789_") == "" && strings.ContainsAny(s, "89")
}

// jsonNumber rewrites a YAML number (0x1F, 0o17, 1_000, +5, .5) in JSON's
// notation. Infinity and NaN have no JSON form and stay strings.
func jsonNumber(s string) (json.Number, bool) {
	if json.Valid([]byte(s)) {
		return json.Number(s), true
	}
	clean := strings.ReplaceAll(strings.TrimPrefix(s, "+"), "_", "")
	if i, ok := new(big.Int).SetString(strings.Replace(clean, "0o", "0", 1), 0); ok {
		return json.Number(i.String()), true
	}
	if f, err := strconv.ParseFloat(clean, 64); err == nil && !strings.ContainsAny(strings.ToLower(clean), "in") {
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), true
	}
	return "", false
}

func describeKind(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string, json.Number, bool:
		return "a single value"
	case nil:
		return "empty"
	}
	return fmt.Sprintf("%T", v)
}
