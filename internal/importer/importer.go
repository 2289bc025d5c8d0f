// Package importer turns an existing CloudFormation template into the Go
// source of a formwork stack that renders back to the same template:
// goformation's typed structs for the resources it knows, its intrinsic
// helpers, and explicit escape hatches (Template.Override, templates.Untyped)
// for exactly what goformation cannot hold. Before it returns, it builds in
// memory the template the source builds and compares it with the input with
// the semantic diff, so what it writes is proven to round-trip.
//
// It knows CloudFormation, and goformation's types through a generated
// description of them (goformation_types.txt, see described.go) from which
// it builds equivalent types with reflect, so that formwork's binary links
// none of goformation's resource types for it. It knows no particular AWS
// service; building blocks contribute hints with AddPattern.
package importer

import (
	"fmt"
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/formwork-dev/formwork/internal/diff"
	"github.com/formwork-dev/formwork/templates"
)

var sameValue = diff.SameValue

// StackName is the stack name for a template file: its base name without
// extension, lower-case, with dashes between words ("Web_Server.template"
// becomes "web-server"). It is empty when nothing of the name is left.
func StackName(file string) string {
	base := filepath.Base(file)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	dash := false
	for _, r := range base {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			dash = true
		}
	}
	name := b.String()
	if name != "" && !unicode.IsLetter(rune(name[0])) {
		name = "stack-" + name
	}
	return name
}

// FuncName is the name of the Build function of a stack: build + the name
// in camel case ("web-server" becomes buildWebServer).
func FuncName(stack string) string { return "build" + StackFunc(stack) }

// StackFunc is the name of the exported function that returns a stack: the
// name in camel case ("web-server" becomes WebServer).
func StackFunc(stack string) string {
	var b strings.Builder
	for _, part := range strings.Split(stack, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// sections a template may have; anything else means the file is not one.
var sections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true, "Parameters": true,
	"Rules": true, "Mappings": true, "Conditions": true, "Transform": true, "Resources": true,
	"Outputs": true, "Globals": true, "Hooks": true,
}

// Import returns the Go source of stack name, declared in package stacks,
// that renders the template in data. file names the template in the
// generated file's header. A file that is not a CloudFormation template is
// an *Error with the line to look at.
func Import(file, name string, data []byte, opts Options) ([]byte, error) {
	r, err := ImportStack(file, name, data, opts)
	return r.Source, err
}

// Result is an imported template: the stack's Go source, and what the
// template writes that CloudFormation reads differently (also written as a
// comment in the source).
type Result struct {
	Source   []byte
	Findings []Finding
	built    *templates.Map
}

// Rendered is the template the stack renders, in YAML, for a linter.
func (r Result) Rendered() ([]byte, error) {
	if r.built == nil {
		return nil, fmt.Errorf("no stack was imported")
	}
	return templates.Encode(r.built, nil, templates.YAML)
}

// Lint is one finding of a linter on an entry of the template.
type Lint struct {
	LogicalID string
	Rule      string // as a waiver names it: cfn-lint:W3011
	Message   string
}

// ImportStack is Import with the findings, the rendered template and
// options.
func ImportStack(file, name string, data []byte, opts Options) (r Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = Result{}, fmt.Errorf("%s: formwork import failed on this template (%v): a bug in formwork import, please report it", file, p)
		}
	}()
	tree, src, err := parse(data)
	if err != nil {
		return Result{}, err
	}
	if src.duplicate != nil {
		return Result{}, src.duplicate
	}
	if src.dialect.foreign != nil {
		return Result{}, src.dialect.foreign
	}
	if err := src.dialect.checkTransforms(tree); err != nil {
		return Result{}, err
	}
	if err := validate(tree, src); err != nil {
		return Result{}, err
	}
	return generate(file, name, tree, src, opts)
}

// generate writes the stack and proves it: the template it builds must not
// differ from the input. A resource, parameter or output whose typed form
// differs is declared as written on a second attempt; what differs then is
// a bug.
func generate(file, name string, tree *templates.Map, src source, opts Options) (Result, error) {
	asWritten := map[string]bool{}
	for attempt := 0; ; attempt++ {
		g := newGenerator(name, src.comments, asWritten)
		g.patterns = hints(tree, opts.Patterns)
		g.rules = opts.Rules
		tried := maps.Clone(asWritten)
		g.findings(filepath.Base(file), src.findings)
		g.template(tree)
		built, err := g.tmpl.Tree()
		if err != nil {
			return Result{}, fmt.Errorf("%s: the imported stack does not build: %v (a bug in formwork import: please report it)", file, err)
		}
		found := differences(tree, built)
		if len(found) == 0 {
			return g.finish(file, name, tree, built, src.findings, opts.Lint)
		}
		if attempt > 0 || !markChanged(found, tried, asWritten) {
			return Result{}, fmt.Errorf("%s: the imported stack would not render the same template: %s: a bug in formwork import, please report it with the template", file, summary(found))
		}
	}
}

// finish writes the waivers and the file of a stack whose round trip is
// proved.
func (g *generator) finish(file, name string, tree, built *templates.Map, findings []Finding, lint []Lint) (Result, error) {
	if err := g.waivers(built); err != nil {
		return Result{}, fmt.Errorf("%s: %v", file, err)
	}
	findings = append(findings, g.lintWaivers(built, lint)...)
	out, err := g.format(file, name, description(tree))
	if err != nil {
		return Result{}, err
	}
	return Result{out, findings, built}, nil
}

// lintWaivers writes a waiver for each linter finding on an entry, one per
// rule and entry; a finding on the template as a whole, which no waiver
// can name, is returned to be reported.
func (g *generator) lintWaivers(built *templates.Map, lint []Lint) []Finding {
	var keys []waiverKey
	reasons := map[waiverKey][]string{}
	var unwaivable []Finding
	for _, l := range lint {
		if !declared(built, l.LogicalID) {
			unwaivable = append(unwaivable, Finding{0, l.Message + ": no waiver can name the template as a whole, so fix it in the stack"})
			continue
		}
		k := waiverKey{l.LogicalID, l.Rule}
		if reasons[k] == nil {
			keys = append(keys, k)
		}
		reasons[k] = append(reasons[k], l.Message)
	}
	if len(keys) == 0 {
		return unwaivable
	}
	g.blank()
	g.comment("cfn-lint flags these in the template as it was imported. Each waiver keeps the stack\n" +
		"passing formwork validate as it is deployed: fix the cause, then delete the waiver.")
	g.waive(keys, reasons)
	return unwaivable
}

// declared reports whether id is an entry a waiver can name.
func declared(tree *templates.Map, id string) bool {
	if id == "" {
		return false
	}
	for _, section := range []string{"Resources", "Outputs", "Parameters", "Conditions", "Mappings"} {
		if _, ok := templates.Section(tree, section).Get(id); ok {
			return true
		}
	}
	return false
}

// summary names the first difference, and how many more there are.
func summary(found []difference) string {
	s := found[0].String()
	if n := len(found) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more)", n)
	}
	return s
}

// markChanged marks each resource, parameter and output that differs, and
// was not written as it is already, to be written so; it reports whether
// there was any.
func markChanged(found []difference, tried, asWritten map[string]bool) bool {
	marked := false
	for _, d := range found {
		if len(d.path) < 2 || !entrySections[d.path[0]] {
			continue
		}
		if k := entryKey(d.path[0], d.path[1]); !tried[k] {
			asWritten[k], marked = true, true
		}
	}
	return marked
}

// entrySections are the sections whose entries can be written as they are.
var entrySections = map[string]bool{"Resources": true, "Parameters": true, "Outputs": true}

// validate refuses a file that is not a CloudFormation template.
func validate(tree *templates.Map, src source) error {
	for _, k := range tree.Keys() {
		if !sections[k] {
			return &Error{src.line(k), fmt.Sprintf("%q is not a section of a CloudFormation template: is this file a template?", k)}
		}
	}
	res, ok := tree.Value("Resources").(*templates.Map)
	if !ok || res.Len() == 0 {
		return &Error{src.line("Resources"), "a CloudFormation template needs a Resources section with at least one resource"}
	}
	for _, id := range res.Keys() {
		if _, ok := loop(id, res.Value(id)); ok || id == templates.FnTransform {
			continue
		}
		body, ok := res.Value(id).(*templates.Map)
		if !ok {
			return &Error{src.line("Resources." + id), fmt.Sprintf("resource %s must be a mapping with a Type", id)}
		}
		if typ, ok := body.Value("Type").(string); !ok || typ == "" {
			return &Error{src.line("Resources." + id), fmt.Sprintf("resource %s has no Type", id)}
		}
	}
	for _, section := range []string{"Parameters", "Mappings", "Conditions", "Outputs", "Rules", "Metadata"} {
		if v, ok := tree.Get(section); ok {
			if _, isMap := v.(*templates.Map); !isMap {
				return &Error{src.line(section), fmt.Sprintf("%s must be a mapping", section)}
			}
		}
	}
	return nil
}

func description(tree *templates.Map) string {
	switch d := tree.Value("Description").(type) {
	case string:
		return d
	case nil:
		return ""
	default:
		return fmt.Sprint(d)
	}
}

// template writes the Build function, section by section.
func (g *generator) template(tree *templates.Map) {
	g.tmpl.Description = description(tree)
	if v, ok := tree.Get("Transform"); ok {
		g.transform(v)
	}
	if md := templates.Section(tree, "Metadata"); md.Len() > 0 {
		g.metadata(md)
	}
	g.parameters(templates.Section(tree, "Parameters"))
	g.entries("Rule", templates.Section(tree, "Rules"), g.tmpl.Rule)
	g.entries("Mapping", templates.Section(tree, "Mappings"), g.tmpl.Mapping)
	g.entries("Condition", templates.Section(tree, "Conditions"), g.tmpl.Condition)
	for _, k := range tree.Keys() {
		if k == "Globals" || k == "Hooks" {
			g.section(k, tree.Value(k))
		}
	}
	res := templates.Section(tree, "Resources")
	for _, id := range res.Keys() {
		if l, ok := loop(id, res.Value(id)); ok {
			g.forEach("Resources", l)
			continue
		}
		if id == templates.FnTransform {
			g.include("Resources", res.Value(id))
			continue
		}
		g.resource(id, res.Value(id))
	}
	g.outputs(templates.Section(tree, "Outputs"))
}

// findings writes what the template writes ambiguously as a comment at the
// top of the Build function.
func (g *generator) findings(file string, found []Finding) {
	if len(found) == 0 {
		return
	}
	text := "CloudFormation reads these values of " + file + " differently from how they are written:"
	for _, f := range found {
		text += "\n  " + f.String()
	}
	g.comment(text)
	g.blank()
}

// waivers writes a waiver for every finding of formwork's generation-time
// checks, so the stack renders as it is deployed; the comment says to fix
// them.
func (g *generator) waivers(built *templates.Map) error {
	findings := g.rules.Check(g.stack, built)
	if len(findings) == 0 {
		return nil
	}
	var keys []waiverKey
	reasons := map[waiverKey][]string{}
	for _, f := range findings {
		if f.Rule == "" || f.LogicalID == "" {
			return fmt.Errorf("formwork cannot render it as it is, and no waiver can accept that: %s", f)
		}
		k := waiverKey{f.LogicalID, f.Rule}
		if reasons[k] == nil {
			keys = append(keys, k)
		}
		reasons[k] = append(reasons[k], f.Message)
	}
	g.blank()
	g.comment("formwork's generation-time checks flag these in the template as it was imported.\n" +
		"Each waiver keeps the stack rendering as it is deployed: fix the cause, then delete the waiver.")
	if _, ok := built.Get("Transform"); ok {
		g.comment("The template has a Transform: a name it refers to may be one the transform declares\n" +
			"(SAM's ServerlessRestApi, a function's Role); such a waiver stays.")
	}
	g.waive(keys, reasons)
	return nil
}

// waive writes one waiver per key, its first reason as the reason.
func (g *generator) waive(keys []waiverKey, reasons map[waiverKey][]string) {
	for _, k := range keys {
		reason := "imported as deployed: " + reasons[k][0]
		if n := len(reasons[k]) - 1; n > 0 {
			reason += fmt.Sprintf(" (and %d more)", n)
		}
		g.line("t.Waive(%s, %s, %s)", strconv.Quote(k.id), strconv.Quote(k.rule), strconv.Quote(reason))
	}
}

// waiverKey is what a waiver accepts: one rule's findings on one entry.
type waiverKey struct{ id, rule string }

// format writes the file, gofmt'd.
func (g *generator) format(file, name, desc string) ([]byte, error) {
	header := "// Imported from " + filepath.Base(file) + " by formwork import. It renders that template\n" +
		"// exactly (formwork diff shows no change): edit it as your own from here on.\n\n"
	out, err := g.source(name, desc, FuncName(name), header)
	if err != nil {
		return nil, fmt.Errorf("%s: the generated Go does not parse: %v (a bug in formwork import: please report it)", file, err)
	}
	return out, nil
}

// resourceComment writes the YAML comment above a resource as a Go comment
// when it is longer than one line (one line becomes the resource comment),
// and the note of any building block that expresses the resource.
func (g *generator) resourceComment(id string) {
	if lines := g.comments[id]; len(lines) > 1 {
		g.comment(strings.Join(lines, "\n"))
	}
	if note, ok := g.patterns[id]; ok {
		g.comment(note)
	}
}

// resourceCommentLine is the one-line comment written above the resource in
// the rendered YAML.
func (g *generator) resourceCommentLine(id string) string {
	if lines := g.comments[id]; len(lines) == 1 {
		return lines[0]
	}
	return ""
}
