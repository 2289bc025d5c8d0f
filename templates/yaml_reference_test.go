package templates

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// This file keeps the yaml.v3-emitter encoder that encodeYAML replaced, as the
// reference FuzzYAMLWriter compares the direct writer with.

// refEncodeYAML writes the tree as canonical short-form YAML.
//
// yaml.v3 keeps every event of a document in memory until the document ends,
// so one large document costs more per node the larger it gets. Each
// top-level key, and each entry of a top-level section, is therefore encoded
// as a document of its own and indented into place; yaml.v3 does not wrap
// lines, so the bytes are the same as one document's.
func refEncodeYAML(root *Map, comments map[string]string) ([]byte, error) {
	doc := refToNode(root)
	refAttachComments(doc, comments)
	var buf bytes.Buffer
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		if !refIsSplittable(key, val) {
			if err := refEncodeNode(&buf, refPair(key, val), ""); err != nil {
				return nil, err
			}
			continue
		}
		buf.WriteString(key.Value + ":\n")
		for j := 0; j+1 < len(val.Content); j += 2 {
			if err := refEncodeNode(&buf, refPair(val.Content[j], val.Content[j+1]), "  "); err != nil {
				return nil, err
			}
		}
	}
	return refSpaceSections(buf.Bytes()), nil
}

// refIsSplittable reports a top-level section whose entries can be encoded one
// by one: a plain key (every section name is) over a non-empty block mapping.
func refIsSplittable(key, val *yaml.Node) bool {
	return val.Kind == yaml.MappingNode && val.Style == 0 && len(val.Content) > 0 &&
		key.Style == 0 && key.HeadComment == "" && key.LineComment == "" && !needsQuotes(key.Value) &&
		!strings.ContainsAny(key.Value, "\n:#")
}

func refPair(key, val *yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{key, val}}
}

// refEncodeNode appends n as YAML, every non-empty line prefixed by indent.
func refEncodeNode(buf *bytes.Buffer, n *yaml.Node, indent string) error {
	var part bytes.Buffer
	enc := yaml.NewEncoder(&part)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return fmt.Errorf("encode YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("encode YAML: %w", err)
	}
	if indent == "" {
		buf.Write(part.Bytes())
		return nil
	}
	for _, line := range bytes.SplitAfter(part.Bytes(), []byte("\n")) {
		if len(line) > 0 && line[0] != '\n' {
			buf.WriteString(indent)
		}
		buf.Write(line)
	}
	return nil
}

// refToNode converts a value tree to a yaml.v3 node tree.
func refToNode(v any) *yaml.Node {
	switch t := v.(type) {
	case string:
		return refStringNode(t)
	case fmt.Stringer: // json.Number
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: refNumberTag(t.String()), Value: t.String()}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(t) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, item := range t {
			n.Content = append(n.Content, refToNode(item))
		}
		return n
	case *Map:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if t.Len() == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, k := range t.keys {
			n.Content = append(n.Content, refKeyNode(k), refToNode(t.Value(k)))
		}
		return n
	case Fn:
		return refFnNode(t)
	}
	panic(fmt.Sprintf("templates: unexpected %T in template tree", v))
}

func refNumberTag(s string) string {
	if strings.ContainsAny(s, ".eE") {
		return "!!float"
	}
	return "!!int"
}

// refStringNode picks the scalar style: literal block for multi-line text,
// double quotes where a YAML 1.1 or 1.2 reader could read something else,
// plain otherwise.
func refStringNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case isLiteralBlock(s):
		n.Style = yaml.LiteralStyle
	case strings.Contains(s, "\n") || needsQuotes(s):
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// refFnNode writes an intrinsic in short form where YAML allows it. YAML gives a
// node one tag, so a function whose argument is itself a function is written
// long form: `Fn::Base64: !Sub ...`.
// refKeyNode writes a mapping key: like a string value, but never a block
// scalar, which would turn the key into a complex "? |" key.
func refKeyNode(k string) *yaml.Node {
	n := refStringNode(k)
	if n.Style == yaml.LiteralStyle {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func refFnNode(fn Fn) *yaml.Node {
	tag, short := shortTags[fn.Name]
	if _, nested := fn.Arg.(Fn); nested || !short {
		return refLongForm(fn)
	}
	if fn.Name == FnGetAtt {
		if parts, ok := fn.Arg.([]any); ok && len(parts) == 2 {
			res, ok1 := parts[0].(string)
			attr, ok2 := parts[1].(string)
			if ok1 && ok2 {
				n := refStringNode(res + "." + attr)
				n.Tag = tag
				return n
			}
		}
	}
	n := refToNode(fn.Arg)
	if n.Kind == yaml.MappingNode {
		return refLongForm(fn)
	}
	n.Tag = tag
	if n.Kind == yaml.SequenceNode {
		n.Style = 0 // block style even when empty is not possible; keep [] for empty
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle
		}
	}
	return n
}

func refLongForm(fn Fn) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		refStringNode(fn.Name), refToNode(fn.Arg),
	}}
}

// refAttachComments writes each resource's comment above its logical id.
func refAttachComments(doc *yaml.Node, comments map[string]string) {
	resources := refMappingValue(doc, "Resources")
	if resources == nil {
		return
	}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		key := resources.Content[i]
		if c := comments[key.Value]; c != "" {
			key.HeadComment = "# " + c
		}
	}
}

func refMappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// refSpaceSections puts a blank line before every top-level key but the first,
// and between the entries of spacedSections. Only lines at indent 0 and 2 of
// those sections are touched; literal block content is always indented
// deeper than the key that owns it, so no string value changes.
func refSpaceSections(out []byte) []byte {
	lines := strings.SplitAfter(string(out), "\n")
	var b strings.Builder
	b.Grow(len(out) + len(lines)/4)
	section, entries, inComment := "", 0, false
	for i, line := range lines {
		switch {
		case line == "" || line == "\n":
		case line[0] != ' ' && line[0] != '#':
			if i > 0 {
				b.WriteByte('\n')
			}
			section, entries, inComment = strings.TrimSuffix(strings.SplitN(line, ":", 2)[0], "\n"), 0, false
		case spacedSections[section] && strings.HasPrefix(line, "  ") && line[2] != ' ':
			isComment := line[2] == '#'
			if !inComment && entries > 0 {
				b.WriteByte('\n')
			}
			if !isComment || !inComment {
				entries++
			}
			inComment = isComment
		}
		b.WriteString(line)
	}
	return []byte(b.String())
}
