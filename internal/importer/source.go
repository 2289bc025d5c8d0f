package importer

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/formwork-dev/formwork/templates"
	"gopkg.in/yaml.v3"
)

// Error is a template that cannot be imported, at a line of its file.
type Error struct {
	Line    int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// source is what the importer reads from a template's text beyond its
// values: comments above resources, and the lines of keys for messages.
type source struct {
	comments  map[string][]string // resource id -> comment lines
	lines     map[string]int      // "Section" or "Section.Name" -> line
	duplicate *Error
	findings  []Finding // values CloudFormation reads differently from how they are written
	dialect   dialect
}

// parse reads a template and what the importer needs of its text. YAML is
// parsed once, into nodes that give both; JSON is read by templates.Parse,
// and as YAML nodes for the lines of its keys.
func parse(data []byte) (*templates.Map, source, error) {
	var doc yaml.Node
	yamlErr := yaml.Unmarshal(data, &doc)
	if trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(trimmed) > 0 && trimmed[0] == '{' {
		tree, err := templates.Parse(data)
		if err != nil {
			return nil, source{}, parseError(err)
		}
		if yamlErr != nil {
			return tree, source{comments: map[string][]string{}, lines: map[string]int{}}, nil
		}
		return tree, scan(&doc), nil
	}
	if yamlErr != nil {
		return nil, source{}, parseError(fmt.Errorf("not a valid YAML template: %v", yamlErr))
	}
	tree, err := templates.ParseYAMLNode(&doc)
	if err != nil {
		return nil, source{}, parseError(err)
	}
	return tree, scan(&doc), nil
}

// scan reads comments and lines from the document's nodes.
func scan(doc *yaml.Node) source {
	s := source{comments: map[string][]string{}, lines: map[string]int{}}
	if len(doc.Content) == 0 {
		return s
	}
	root := doc.Content[0]
	s.duplicate = duplicateKey(root)
	s.findings = numberFindings(root, nil)
	scanDialect(root, &s.dialect)
	if root.Kind != yaml.MappingNode {
		return s
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		s.lines[key.Value] = key.Line
		if val.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(val.Content); j += 2 {
			entry := val.Content[j]
			s.lines[key.Value+"."+entry.Value] = entry.Line
			if key.Value == "Resources" {
				lines := commentLines(entry.HeadComment)
				if len(lines) == 0 { // Bucket:  # the logs
					lines = commentLines(entry.LineComment)
				}
				if len(lines) > 0 {
					s.comments[entry.Value] = lines
				}
			}
		}
	}
	return s
}

// duplicateKey finds a key that appears twice in one mapping (Parse finds
// them in YAML; this finds them in JSON too).
func duplicateKey(n *yaml.Node) *Error {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode && k.Value != "<<" {
				if seen[k.Value] {
					return &Error{k.Line, fmt.Sprintf("key %q appears twice in the same mapping: keep one", k.Value)}
				}
				seen[k.Value] = true
			}
		}
	}
	for _, c := range n.Content {
		if err := duplicateKey(c); err != nil {
			return err
		}
	}
	return nil
}

// commentLines turns a YAML head comment into its lines of text, without
// the # and without blank or control-character lines.
func commentLines(comment string) []string {
	var out []string
	for _, l := range strings.Split(comment, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "#"))
		if l == "" || strings.IndexFunc(l, unicode.IsControl) >= 0 {
			continue
		}
		out = append(out, l)
	}
	return out
}

// line is where a key was, or 1.
func (s source) line(key string) int {
	if l, ok := s.lines[key]; ok {
		return l
	}
	return 1
}

var lineInMessage = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:yaml: )?line (\d+): `) })

// parseError turns an error of templates.Parse into an Error at its line.
func parseError(err error) *Error {
	msg := err.Error()
	line := 1
	if m := lineInMessage().FindStringSubmatchIndex(msg); m != nil {
		line, _ = strconv.Atoi(msg[m[2]:m[3]])
		msg = msg[:m[0]] + msg[m[1]:]
	}
	return &Error{line, strings.Join(strings.Fields(msg), " ")}
}
