package templates

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// Template is a CloudFormation template under construction. Stacks add
// parameters, resources and outputs in the order a reader should meet them;
// that order is kept in the output.
type Template struct {
	// Name is the stack name; it prefixes every error and finding.
	Name        string
	Description string

	metadata   *Map
	parameters *Map
	groups     []parameterGroup
	rules      *Map
	mappings   *Map
	conditions *Map
	transform  any
	sections   *Map
	resources  *Map
	outputs    *Map
	comments   map[string]string
	overrides  []override
	assets     []Asset
	waivers    []Waiver
	errs       []error
}

type parameterGroup struct {
	label  string
	params []string
}

type override struct {
	id, path string
	value    any
}

// New starts an empty template for the named stack.
func New(name, description string) *Template {
	return &Template{
		Name: name, Description: description,
		metadata: NewMap(), parameters: NewMap(), rules: NewMap(), mappings: NewMap(),
		conditions: NewMap(), sections: NewMap(), resources: NewMap(), outputs: NewMap(),
		comments: map[string]string{},
	}
}

// Parameter declares a parameter.
func (t *Template) Parameter(name string, p cloudformation.Parameter) {
	t.add(t.parameters, "parameter", name, p)
}

// ParameterGroup lists parameters under a label in the console
// (AWS::CloudFormation::Interface), in the given order.
func (t *Template) ParameterGroup(label string, params ...string) {
	t.groups = append(t.groups, parameterGroup{label, params})
}

// Resource declares a resource. comment, if not empty, is written above it
// as a YAML comment: say why the resource exists, in one line.
func (t *Template) Resource(id string, r cloudformation.Resource, comment string) {
	if strings.IndexFunc(comment, unicode.IsControl) >= 0 || !utf8.ValidString(comment) {
		t.errs = append(t.errs, fmt.Errorf("%s: %s: the comment must be one line of text, without control characters", t.Name, id))
	}
	t.add(t.resources, "resource", id, r)
	if comment != "" {
		t.comments[id] = comment
	}
}

// Output declares an output.
func (t *Template) Output(name string, o cloudformation.Output) {
	t.add(t.outputs, "output", name, o)
}

// Condition declares a condition, e.g. cloudformation.Equals(...).
func (t *Template) Condition(name string, expr any) { t.add(t.conditions, "condition", name, expr) }

// Mapping declares a mapping.
func (t *Template) Mapping(name string, m any) { t.add(t.mappings, "mapping", name, m) }

// Rule declares a template rule (a parameter assertion checked before any
// resource is created).
func (t *Template) Rule(name string, r any) { t.add(t.rules, "rule", name, r) }

// Metadata sets a top-level Metadata key.
func (t *Template) Metadata(key string, v any) { t.add(t.metadata, "metadata key", key, v) }

// Transform sets the template's Transform (e.g. "AWS::Serverless-2016-10-31").
func (t *Template) Transform(v any) { t.transform = v }

// Section sets a top-level section that has no method of its own, such as
// the SAM transform's Globals or CodeDeploy's Hooks. It is written after
// Transform, in the order sections were set.
func (t *Template) Section(name string, v any) {
	switch name {
	case "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
		"Conditions", "Transform", "Resources", "Outputs":
		t.errs = append(t.errs, fmt.Errorf("%s: %s: use the Template method for this section, not Section", t.Name, name))
		return
	}
	t.add(t.sections, "section", name, v)
}

// Override sets a value at a path inside a resource after goformation has
// encoded it: the escape hatch for properties goformation types wrongly, such
// as an *int field that must hold a !Ref. path is dotted from the resource,
// e.g. "Properties.Timeout"; missing mappings on the way are created.
func (t *Template) Override(id, path string, value any) {
	t.overrides = append(t.overrides, override{id, path, value})
}

func (t *Template) add(section *Map, kind, name string, v any) {
	if _, dup := section.Get(name); dup {
		t.errs = append(t.errs, fmt.Errorf("%s: %s: %s declared twice", t.Name, name, kind))
		return
	}
	tree, err := fromGo(v)
	if err != nil {
		t.errs = append(t.errs, fmt.Errorf("%s: %s: cannot encode %s: %v", t.Name, name, kind, err))
		return
	}
	section.Set(name, tree)
}

// Tree returns the whole template as an ordered value tree in canonical order.
func (t *Template) Tree() (*Map, error) {
	if errs := slices.Concat(t.errs, t.checkAssets()); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	root := NewMap()
	root.Set("AWSTemplateFormatVersion", "2010-09-09")
	if t.Description != "" {
		root.Set("Description", t.Description)
	}
	if md := t.metadataTree(); md.Len() > 0 {
		root.Set("Metadata", md)
	}
	setIfAny(root, "Parameters", t.parameters)
	setIfAny(root, "Rules", t.rules)
	setIfAny(root, "Mappings", t.mappings)
	setIfAny(root, "Conditions", t.conditions)
	if t.transform != nil {
		root.Set("Transform", t.transform)
	}
	for i, k := range t.sections.keys {
		root.Set(k, t.sections.vals[i])
	}
	resources, err := t.resourcesTree()
	if err != nil {
		return nil, err
	}
	setIfAny(root, "Resources", resources)
	setIfAny(root, "Outputs", t.outputs)
	return root, nil
}

func setIfAny(root *Map, key string, m *Map) {
	if m.Len() > 0 {
		root.Set(key, m)
	}
}

func (t *Template) metadataTree() *Map {
	md := NewMap()
	for i, k := range t.metadata.keys {
		md.Set(k, t.metadata.vals[i])
	}
	if len(t.groups) == 0 {
		return md
	}
	var groups []any
	for _, g := range t.groups {
		label := NewMap()
		label.Set("default", g.label)
		group := NewMap()
		group.Set("Label", label)
		params := make([]any, len(g.params))
		for i, p := range g.params {
			params[i] = p
		}
		group.Set("Parameters", params)
		groups = append(groups, group)
	}
	iface := NewMap()
	iface.Set("ParameterGroups", groups)
	md.Set("AWS::CloudFormation::Interface", iface)
	return md
}

// resourceAttributeOrder is the order of keys inside a resource.
var resourceAttributeOrder = map[string]int{
	"Type": 0, "Condition": 1, "DependsOn": 2, "DeletionPolicy": 3, "UpdateReplacePolicy": 4,
	"UpdatePolicy": 5, "CreationPolicy": 6, "Metadata": 7, "Properties": 8,
}

func (t *Template) resourcesTree() (*Map, error) {
	out := NewMap()
	for i, id := range t.resources.keys {
		if isLoop(id) {
			out.Set(id, t.resources.vals[i])
			continue
		}
		body, ok := t.resources.vals[i].(*Map)
		if !ok {
			return nil, fmt.Errorf("%s: %s: a resource must encode to a mapping", t.Name, id)
		}
		out.Set(id, body)
	}
	for _, o := range t.overrides {
		body, ok := out.Value(o.id).(*Map)
		if !ok {
			return nil, fmt.Errorf("%s: %s: %s: override of a resource that is not declared", t.Name, o.id, o.path)
		}
		value, err := fromGo(o.value)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %s: cannot encode override: %v", t.Name, o.id, o.path, err)
		}
		if err := setPath(body, strings.Split(o.path, "."), value); err != nil {
			return nil, fmt.Errorf("%s: %s: %s: %v", t.Name, o.id, o.path, err)
		}
	}
	for i := range out.keys {
		body, ok := out.vals[i].(*Map)
		if !ok { // a loop
			continue
		}
		if p, ok := body.Get("Properties"); ok {
			if pm, ok := p.(*Map); ok && pm.Len() == 0 {
				body.Delete("Properties")
			}
		}
		sortAttributes(body)
	}
	return out, nil
}

func sortAttributes(body *Map) {
	body.sortKeys(func(a, b string) int { return rank(a) - rank(b) })
}

func rank(attr string) int {
	if r, ok := resourceAttributeOrder[attr]; ok {
		return r
	}
	return len(resourceAttributeOrder)
}

func setPath(m *Map, path []string, value any) error {
	for _, key := range path[:len(path)-1] {
		next, ok := m.Get(key)
		if !ok {
			child := NewMap()
			m.Set(key, child)
			m = child
			continue
		}
		child, ok := next.(*Map)
		if !ok {
			return fmt.Errorf("%q is not a mapping, so the override cannot go inside it", key)
		}
		m = child
	}
	m.Set(path[len(path)-1], value)
	return nil
}

// ResourceIDsOfType returns the logical ids of the resources declared so far
// whose Type is typ, in declaration order: for blocks that finish a stack,
// e.g. by giving every role a permissions boundary with Override.
func (t *Template) ResourceIDsOfType(typ string) []string {
	var out []string
	for i, id := range t.resources.keys {
		if StringAt(t.resources.vals[i], "Type") == typ {
			out = append(out, id)
		}
	}
	return out
}
