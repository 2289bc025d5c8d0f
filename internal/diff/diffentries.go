package diff

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// noteFunc adds reviewer notes about a changed entry.
type noteFunc func(d *EntryDiff, old, new any)

// diffEntries compares two sections entry by entry (Parameters, Outputs):
// head order first, then removed entries in base order.
func diffEntries(base, head *templates.Map, notes noteFunc) []EntryDiff {
	out := []EntryDiff{}
	for _, name := range unionKeys(base, head) {
		ov, inOld := base.Get(name)
		nv, inNew := head.Get(name)
		d := EntryDiff{Name: name, Fields: []PropertyDiff{}, Notes: []string{}, Failures: []string{}}
		var changes []change
		switch {
		case !inOld:
			d.Change = Add
			changes = wholeEntry(Add, nv)
		case !inNew:
			d.Change = Remove
			changes = wholeEntry(Remove, ov)
		default:
			d.Change = Modify
			diffValue(nil, ov, nv, &changes)
		}
		if len(changes) == 0 {
			continue
		}
		for _, c := range changes {
			f := describeChange(c)
			if f.Path == "" {
				f.Path = "(value)"
			}
			d.Fields = append(d.Fields, f)
		}
		if notes != nil {
			notes(&d, ov, nv)
		}
		out = append(out, d)
	}
	return out
}

// wholeEntry lists an added or removed entry field by field.
func wholeEntry(kind string, v any) []change {
	m, ok := v.(*templates.Map)
	if !ok {
		if kind == Add {
			return []change{{nil, Add, nil, v}}
		}
		return []change{{nil, Remove, v, nil}}
	}
	var out []change
	if kind == Add {
		diffValue(nil, templates.NewMap(), m, &out)
	} else {
		diffValue(nil, m, templates.NewMap(), &out)
	}
	if len(out) == 0 {
		out = []change{{nil, kind, nil, nil}}
	}
	return out
}

func field(v any, name string) (any, bool) {
	m, ok := v.(*templates.Map)
	if !ok {
		return nil, false
	}
	return m.Get(name)
}

func parameterNotes(d *EntryDiff, old, new any) {
	_, hasDefault := field(new, "Default")
	switch d.Change {
	case Add:
		if !hasDefault {
			d.Notes = append(d.Notes, "new parameter without a Default: every deployment must now pass a value")
		}
	case Remove:
		d.Notes = append(d.Notes, "deployments that pass this parameter must stop passing it")
	case Modify:
		ot, _ := field(old, "Type")
		nt, _ := field(new, "Type")
		if !sameValue(ot, nt) {
			d.Notes = append(d.Notes, "the parameter's type changed: values deployed today may no longer be accepted")
		}
		od, _ := field(old, "Default")
		nd, _ := field(new, "Default")
		if !sameValue(od, nd) {
			d.Notes = append(d.Notes, "the default changed: deployments that rely on it (no explicit value, or UsePreviousValue off) get the new one")
		}
		for _, f := range d.Fields {
			if strings.HasPrefix(f.Path, "AllowedValues") || strings.HasPrefix(f.Path, "AllowedPattern") {
				d.Notes = append(d.Notes, "allowed values changed: a deployed value outside them makes the next update fail")
				break
			}
		}
	}
}

// secretMask stands for the value of a NoEcho parameter in every output.
const secretMask = "****"

// maskSecretDefaults hides the Default of a parameter that is NoEcho on
// either side: a reviewer learns that it changed, never what it is.
func maskSecretDefaults(entries []EntryDiff, base, head *templates.Map) {
	for i := range entries {
		if !isNoEcho(base.Value(entries[i].Name)) && !isNoEcho(head.Value(entries[i].Name)) {
			continue
		}
		for j := range entries[i].Fields {
			f := &entries[i].Fields[j]
			if f.Path != "Default" {
				continue
			}
			f.TextDiff = ""
			if f.Old != "" {
				f.Old = secretMask
			}
			if f.New != "" {
				f.New = secretMask
			}
			if f.Change == Modify {
				f.New = secretMask + " (another value; NoEcho: not shown)"
			}
		}
	}
}

func isNoEcho(param any) bool {
	v, _ := field(param, "NoEcho")
	text, _ := scalarText(v)
	return strings.EqualFold(text, "true")
}

func outputNotes(d *EntryDiff, old, new any) {
	oe, oldExport := field(old, "Export")
	ne, _ := field(new, "Export")
	if oldExport && !sameValue(oe, ne) {
		d.Failures = append(d.Failures, fmt.Sprintf("export %s is removed or renamed: CloudFormation refuses the update while another stack imports it", Summarize(exportName(oe))))
	}
}

func exportName(export any) any {
	if name, ok := field(export, "Name"); ok {
		return name
	}
	return export
}

// knownSections are the sections compared on their own.
var knownSections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true, "Parameters": true,
	"Rules": true, "Mappings": true, "Conditions": true, "Transform": true, "Resources": true, "Outputs": true,
}

// otherSections lists the top-level keys of either side that are no known
// section (SAM's Globals, CodeDeploy's Hooks): each is compared whole.
func otherSections(base, head *templates.Map) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range []*templates.Map{base, head} {
		for _, k := range m.Keys() {
			if !knownSections[k] && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// templateVersion reads an absent AWSTemplateFormatVersion as the one
// version there is.
func templateVersion(v any, present bool) (any, bool) {
	if !present {
		return "2010-09-09", true
	}
	return v, true
}

// diffSections compares the rest of the template: Description, Transform,
// Metadata and the entries of Conditions, Mappings and Rules. The version and
// description of a whole added or removed stack are left out.
func diffSections(base, head *templates.Map, bothSides bool) []EntryDiff {
	out := []EntryDiff{}
	whole := []string{"Transform", "Metadata"}
	if bothSides {
		whole = append([]string{"AWSTemplateFormatVersion", "Description"}, whole...)
	}
	whole = append(whole, otherSections(base, head)...)
	for _, s := range whole {
		ov, inOld := base.Get(s)
		nv, inNew := head.Get(s)
		if s == "AWSTemplateFormatVersion" { // "2010-09-09" is the only version: absent means it
			ov, inOld = templateVersion(ov, inOld)
			nv, inNew = templateVersion(nv, inNew)
		}
		if m, ok := ov.(*templates.Map); ok && m.Len() == 0 { // Metadata: {} is no metadata
			inOld = false
		}
		if m, ok := nv.(*templates.Map); ok && m.Len() == 0 {
			inNew = false
		}
		if !inOld && !inNew {
			continue
		}
		wrapOld, wrapNew := templates.NewMap(), templates.NewMap()
		if inOld {
			wrapOld.Set(s, ov)
		}
		if inNew {
			wrapNew.Set(s, nv)
		}
		out = append(out, diffEntries(wrapOld, wrapNew, nil)...)
	}
	for _, s := range []string{"Rules", "Mappings", "Conditions"} {
		for _, d := range diffEntries(templates.Section(base, s), templates.Section(head, s), nil) {
			d.Name = s + "." + d.Name
			out = append(out, d)
		}
	}
	return out
}
