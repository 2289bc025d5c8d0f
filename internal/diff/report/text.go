package report

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/internal/diff"
)

// Text renders the report for a terminal: headline, data at risk, then each
// changed stack's resources, IAM statements, parameters, outputs and other
// sections.
func (r Diff) Text() string {
	var b strings.Builder
	b.WriteString(r.Headline() + "\n")
	WriteDataRiskText(&b, r.DataAtRisk)
	if len(r.Failures) > 0 {
		b.WriteString("\nUPDATE FAILURES\n")
		for _, f := range r.Failures {
			fmt.Fprintf(&b, "  ! %s/%s: %s\n", f.Stack, f.Name, f.Reason)
		}
	}
	for _, d := range r.Stacks {
		if d.Changed() {
			writeStackText(&b, d)
		}
	}
	if names := unchangedStacks(r.Report); len(names) > 0 && r.Summary.StacksChanged > 0 {
		fmt.Fprintf(&b, "\nunchanged: %s\n", strings.Join(names, ", "))
	}
	return b.String()
}

func writeStackText(b *strings.Builder, d diff.StackDiff) {
	fmt.Fprintf(b, "\n=== %s (%s) ===\n", d.Stack, d.Status)
	fmt.Fprintf(b, "size: %s\n", sizeLine(d.Size))
	for _, w := range d.Size.Warnings {
		fmt.Fprintf(b, "  ! %s\n", w)
	}
	if len(d.Resources) > 0 {
		b.WriteString("\nResources\n")
		for _, r := range d.Resources {
			writeResourceText(b, r)
		}
	}
	WriteAccessText(b, d.IAM, d.Exposure)
	writeEntriesText(b, "Parameters", d.Parameters)
	writeEntriesText(b, "Outputs", d.Outputs)
	writeEntriesText(b, "Other sections", d.Sections)
}

var changeSigns = map[string]string{diff.Add: "+", diff.Remove: "-", diff.Modify: "~", diff.Indirect: "~"}

func writeResourceText(b *strings.Builder, r diff.ResourceDiff) {
	fmt.Fprintf(b, "  %s %s  %s  %s\n", changeSigns[r.Change], r.LogicalID, r.Type, changeWord(r))
	for _, p := range r.Properties {
		fmt.Fprintf(b, "      %s %s: %s", changeSigns[p.Change], p.Path, oldNew(p))
		if p.Replaces == diff.ReplaceYes {
			fmt.Fprintf(b, "  [replaces: %s]", p.Why)
		} else if p.Replaces == diff.ReplaceMaybe {
			fmt.Fprintf(b, "  [may replace: %s]", p.Why)
		} else if p.Replaces == diff.ReplaceUnknown {
			fmt.Fprintf(b, "  [replacement unknown: %s]", p.Why)
		} else if p.Replaces == diff.ReplaceNo && p.Why != "" && p.Change != diff.Indirect {
			fmt.Fprintf(b, "  [%s]", p.Why)
		}
		b.WriteByte('\n')
		writeIndented(b, p.TextDiff, "          ")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "      note: %s\n", n)
	}
	for _, f := range r.Failures {
		fmt.Fprintf(b, "      fails: %s\n", f)
	}
}

// oldNew is "old → new", "+ new" or "- old".
func oldNew(p diff.PropertyDiff) string {
	switch p.Change {
	case diff.Add:
		return p.New
	case diff.Remove:
		return p.Old
	case diff.Indirect:
		if p.Replaces == diff.ReplaceYes || strings.Contains(p.Why, ", which is replaced") {
			return p.New + " (same text, new value)"
		}
		return p.New + " (same text, value may change)"
	}
	if p.Old == p.New {
		return p.New
	}
	return p.Old + " → " + p.New
}

func writeIndented(b *strings.Builder, text, indent string) {
	if text == "" {
		return
	}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		b.WriteString(strings.TrimRight(indent+line, " ") + "\n")
	}
}

func writeStatementText(b *strings.Builder, s diff.StatementDiff) {
	fmt.Fprintf(b, "  %s %s %s: %s", changeSigns[s.Change], s.Resource, s.Policy, s.Effect)
	if s.Principal != "" {
		fmt.Fprintf(b, " %s", s.Principal)
	}
	fmt.Fprintf(b, " %s", strings.Join(s.Actions, ", "))
	if len(s.Resources) > 0 {
		fmt.Fprintf(b, " on %s", strings.Join(s.Resources, ", "))
	}
	if s.Condition != "" {
		fmt.Fprintf(b, " when %s", s.Condition)
	}
	b.WriteString(whenText(s.When))
	if s.Broadens {
		b.WriteString("  [" + broadensNote + "]")
	}
	b.WriteByte('\n')
	for _, f := range s.Flags {
		fmt.Fprintf(b, "      ! %s\n", f)
	}
}

func writeExposureText(b *strings.Builder, e diff.ExposureDiff) {
	fmt.Fprintf(b, "  %s %s %s: %s%s", changeSigns[e.Change], e.Resource, e.Kind, e.Detail, whenText(e.When))
	if e.Broadens {
		b.WriteString("  [" + broadensNote + "]")
	}
	fmt.Fprintf(b, "\n      ! %s\n", e.Risk)
}

func writeEntriesText(b *strings.Builder, title string, entries []diff.EntryDiff) {
	if len(entries) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", title)
	for _, e := range entries {
		fmt.Fprintf(b, "  %s %s\n", changeSigns[e.Change], e.Name)
		for _, f := range e.Fields {
			fmt.Fprintf(b, "      %s %s: %s\n", changeSigns[f.Change], f.Path, oldNew(f))
			writeIndented(b, f.TextDiff, "          ")
		}
		for _, n := range e.Notes {
			fmt.Fprintf(b, "      note: %s\n", n)
		}
		for _, f := range e.Failures {
			fmt.Fprintf(b, "      fails: %s\n", f)
		}
	}
}
