package importer

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
	"gopkg.in/yaml.v3"
)

// A template may be written in another tool's dialect: rain's modules and
// directives, SAM's resource types, CloudFormation's language extensions.
// What CloudFormation accepts (SAM and the language extensions under their
// transform) is imported exactly; what it does not is refused with the
// construct, its line, and the tool that expands it.

// dialect is what the scan found of other dialects: the first construct of
// each kind, with its line.
type dialect struct {
	foreign    *Error // a tag or key no CloudFormation reader knows
	extensions construct
	serverless construct
}

// construct is a use of a dialect's feature.
type construct struct {
	name string
	line int
}

const (
	samTransform        = "AWS::Serverless-2016-10-31"
	extensionsTransform = "AWS::LanguageExtensions"
)

// scanDialect walks the document's nodes.
func scanDialect(n *yaml.Node, d *dialect) {
	if d.foreign != nil {
		return
	}
	if tag := n.Tag; strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") && !knownTag(tag) {
		d.foreign = foreignError(n.Line, tag, "tag")
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			d.key(key.Value, key.Line)
			if d.foreign != nil {
				return
			}
			if key.Value == "Globals" && key.Column == 1 && d.serverless.name == "" {
				d.serverless = construct{"the Globals section", key.Line}
			}
			if key.Value == "Type" && n.Content[i+1].Kind == yaml.ScalarNode {
				if t := n.Content[i+1].Value; strings.HasPrefix(t, "AWS::Serverless::") && d.serverless.name == "" {
					d.serverless = construct{t, key.Line}
				}
			}
		}
	}
	for _, c := range n.Content {
		scanDialect(c, d)
	}
}

// key notes a mapping key that is another dialect's.
func (d *dialect) key(k string, line int) {
	switch {
	case strings.HasPrefix(k, "Rain::") || strings.HasPrefix(k, "Fn::Rain::"):
		d.foreign = foreignError(line, k, "key")
	case strings.HasPrefix(k, "Fn::ForEach::") || k == templates.FnLength || k == templates.FnToJSON:
		if d.extensions.name == "" {
			d.extensions = construct{k, line}
		}
	case strings.HasPrefix(k, "Fn::") && !strings.HasPrefix(k, "Fn::ForEach") && !knownFunction(k):
		d.foreign = &Error{line, fmt.Sprintf("%s is not a CloudFormation function: the tool that wrote this template expands it; "+
			"import the template that tool produces", k)}
	}
}

// knownFunction reports whether name is a CloudFormation function: an
// intrinsic, a language extension, or a function of Rules assertions.
func knownFunction(name string) bool {
	_, ok := templates.ShortTag(name)
	return ok || name == templates.FnLength || name == templates.FnToJSON || name == templates.FnTransform || ruleFunctions[name]
}

// ruleFunctions are the functions only Rules use.
var ruleFunctions = map[string]bool{
	"Fn::Contains": true, "Fn::EachMemberEquals": true, "Fn::EachMemberIn": true,
	"Fn::RefAll": true, "Fn::ValueOf": true, "Fn::ValueOfAll": true,
}

// knownTag reports whether a YAML tag is CloudFormation's short form.
func knownTag(tag string) bool {
	name := strings.TrimPrefix(tag, "!")
	for _, long := range []string{name, "Fn::" + name} {
		if short, ok := templates.ShortTag(long); ok && short == tag {
			return true
		}
	}
	return name == "Condition" || knownFunction("Fn::"+name)
}

// foreignError names a construct of another tool and what expands it.
func foreignError(line int, construct, kind string) *Error {
	if name := strings.TrimPrefix(strings.TrimPrefix(construct, "!"), "Fn::"); strings.HasPrefix(name, "Rain::") {
		return &Error{line, fmt.Sprintf("%s is rain's, not CloudFormation's: rain expands it (rain pkg TEMPLATE > expanded.yaml); "+
			"import the expanded template", construct)}
	}
	return &Error{line, fmt.Sprintf("the %s %s is not CloudFormation's: the tool that wrote this template expands it; "+
		"import the template that tool produces", kind, construct)}
}

// checkTransforms refuses what CloudFormation accepts only under a
// transform the template does not declare.
func (d dialect) checkTransforms(tree *templates.Map) error {
	declared := transforms(tree.Value("Transform"))
	if c := d.extensions; c.name != "" && !declared[extensionsTransform] {
		return &Error{c.line, fmt.Sprintf("%s is a language extension: CloudFormation accepts it only under Transform: %s, which expands it; "+
			"add the transform to the template and import it again", c.name, extensionsTransform)}
	}
	if c := d.serverless; c.name != "" && !declared[samTransform] {
		return &Error{c.line, fmt.Sprintf("%s is SAM's: CloudFormation accepts it only under Transform: %s, which expands it; "+
			"add the transform to the template and import it again", c.name, samTransform)}
	}
	return nil
}

// transforms are the names a Transform section declares.
func transforms(v any) map[string]bool {
	out := map[string]bool{}
	switch t := v.(type) {
	case string:
		out[t] = true
	case []any:
		for _, item := range t {
			if s, ok := item.(string); ok {
				out[s] = true
			}
		}
	}
	return out
}
