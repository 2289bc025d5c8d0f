package report

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/internal/diff"
)

// MarkdownMarker starts every Markdown report, so a CI job can find and
// update its earlier pull-request comment instead of adding a new one.
const MarkdownMarker = "<!-- formwork-diff -->"

// MarkdownLimit keeps a report under GitHub's 65,536-character comment limit.
const MarkdownLimit = 60000

// Markdown renders the report as a pull-request comment: a summary line,
// data at risk, a table per changed stack, details in <details> blocks. A
// report too long for a comment drops the details and says so.
func (r Diff) Markdown() string {
	if full := r.markdown(true); len(full) <= MarkdownLimit {
		return full
	}
	short := r.markdown(false) + "\n_Details left out: the full report is longer than a comment allows. Run `formwork diff --format markdown` locally or keep the `--format json` report as a build artifact._\n"
	if len(short) > MarkdownLimit {
		short = short[:MarkdownLimit] + "\n\n_Report cut at " + thousands(MarkdownLimit) + " characters._\n"
	}
	return short
}

func (r Diff) markdown(details bool) string {
	var b strings.Builder
	b.WriteString(MarkdownMarker + "\n")
	b.WriteString("### formwork diff\n\n")
	b.WriteString("**" + r.Headline() + "**\n")
	writeDataRiskMarkdown(&b, r.DataAtRisk)
	writeFailuresMarkdown(&b, r.Failures)
	for _, d := range r.Stacks {
		if d.Changed() {
			writeStackMarkdown(&b, d, details)
		}
	}
	if names := unchangedStacks(r.Report); len(names) > 0 && r.Summary.StacksChanged > 0 {
		b.WriteString("\nUnchanged: " + codeList(names) + "\n")
	}
	return b.String()
}

func writeDataRiskMarkdown(b *strings.Builder, risks []diff.DataRisk) {
	if len(risks) == 0 {
		return
	}
	b.WriteString("\n> [!CAUTION]\n> **Resources holding data are replaced or removed**\n>\n")
	b.WriteString("> | Stack | Resource | Type | Change | Policy | Data |\n> |---|---|---|---|---|---|\n")
	for _, risk := range risks {
		fmt.Fprintf(b, "> | %s | %s | %s | %s | %s | %s |\n", code(risk.Stack), code(risk.LogicalID), code(risk.Type),
			riskWords[risk.Change], code(risk.Policy), cell(protectionWord(risk)+": "+risk.Note))
	}
}

func writeFailuresMarkdown(b *strings.Builder, failures []diff.Failure) {
	if len(failures) == 0 {
		return
	}
	b.WriteString("\n> [!WARNING]\n> **CloudFormation will reject these changes**\n>\n")
	for _, f := range failures {
		fmt.Fprintf(b, "> - %s %s: %s\n", code(f.Stack), code(f.Name), cell(f.Reason))
	}
}

func writeStackMarkdown(b *strings.Builder, d diff.StackDiff, details bool) {
	fmt.Fprintf(b, "\n#### %s — %s\n\n", code(d.Stack), d.Status)
	fmt.Fprintf(b, "Template size: %s", sizeLine(d.Size))
	for _, w := range d.Size.Warnings {
		fmt.Fprintf(b, " · :warning: %s", cell(w))
	}
	b.WriteString("\n")
	if len(d.Resources) > 0 {
		b.WriteString("\n| | Resource | Type | Change | Changed paths |\n|---|---|---|---|---|\n")
		for _, r := range d.Resources {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", resourceIcon(r), code(r.LogicalID), code(r.Type),
				cell(changeWordMarkdown(r)), cell(changedPaths(r)))
		}
		if details {
			writeResourceDetails(b, d.Resources)
		}
	}
	writeIAMMarkdown(b, d.IAM)
	writeExposureMarkdown(b, d.Exposure)
	if details {
		writeEntriesMarkdown(b, "Parameters", d.Parameters)
		writeEntriesMarkdown(b, "Outputs", d.Outputs)
		writeEntriesMarkdown(b, "Other sections", d.Sections)
	}
}

func resourceIcon(r diff.ResourceDiff) string {
	switch {
	case r.Change == diff.Add:
		return ":heavy_plus_sign:"
	case r.Change == diff.Remove:
		return ":heavy_minus_sign:"
	case r.Replacement == diff.ReplaceYes:
		return ":recycle:"
	case r.Replacement == diff.ReplaceMaybe:
		return ":grey_question:"
	}
	return ":pencil2:"
}

func changeWordMarkdown(r diff.ResourceDiff) string {
	w := changeWord(r)
	switch r.Replacement {
	case diff.ReplaceYes:
		w = "**replaced**"
	case diff.ReplaceMaybe:
		w = "**may be replaced**"
	}
	if r.HoldsData && (r.Change == diff.Remove || r.Replacement == diff.ReplaceYes || r.Replacement == diff.ReplaceMaybe) {
		w += " :warning: holds data"
	}
	return w
}

func changedPaths(r diff.ResourceDiff) string {
	var paths []string
	seen := map[string]bool{}
	for _, p := range r.Properties {
		if !seen[p.Path] {
			seen[p.Path] = true
			paths = append(paths, p.Path)
		}
	}
	if len(paths) > 4 {
		paths = append(paths[:4], fmt.Sprintf("… %d more", len(paths)-4))
	}
	return strings.Join(paths, ", ")
}

func writeResourceDetails(b *strings.Builder, resources []diff.ResourceDiff) {
	n := 0
	for _, r := range resources {
		n += len(r.Properties) + len(r.Notes) + len(r.Failures)
	}
	if n == 0 {
		return
	}
	b.WriteString("\n<details><summary>Resource details</summary>\n")
	for _, r := range resources {
		if len(r.Properties)+len(r.Notes)+len(r.Failures) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n**%s** (%s)\n", code(r.LogicalID), code(r.Type))
		for _, f := range r.Failures {
			fmt.Fprintf(b, "- :x: %s\n", cell(f))
		}
		for _, note := range r.Notes {
			fmt.Fprintf(b, "- %s\n", cell(note))
		}
		if len(r.Properties) > 0 {
			writePropertyTable(b, r.Properties, true)
		}
	}
	b.WriteString("\n</details>\n")
}

func writePropertyTable(b *strings.Builder, props []diff.PropertyDiff, withReplaces bool) {
	if withReplaces {
		b.WriteString("\n| Path | Old | New | Replaces |\n|---|---|---|---|\n")
	} else {
		b.WriteString("\n| Path | Old | New |\n|---|---|---|\n")
	}
	var texts []diff.PropertyDiff
	for _, p := range props {
		old := p.Old
		if old == p.New {
			old = ""
		}
		fmt.Fprintf(b, "| %s | %s | %s |", code(p.Path), code(old), code(p.New))
		if withReplaces {
			fmt.Fprintf(b, " %s |", cell(replacesCell(p)))
		}
		b.WriteString("\n")
		if p.TextDiff != "" {
			texts = append(texts, p)
		}
	}
	for _, p := range texts {
		fmt.Fprintf(b, "\n%s:\n\n```diff\n%s```\n", code(p.Path), fence(p.TextDiff))
	}
}

func replacesCell(p diff.PropertyDiff) string {
	switch p.Replaces {
	case diff.ReplaceYes:
		return "**yes**: " + p.Why
	case diff.ReplaceMaybe:
		return "**maybe**: " + p.Why
	case diff.ReplaceUnknown:
		return "unknown: " + p.Why
	case diff.ReplaceNo:
		if p.Why != "" && p.Change != diff.Indirect {
			return "no: " + p.Why
		}
		return "no"
	}
	return ""
}

func writeIAMMarkdown(b *strings.Builder, statements []diff.StatementDiff) {
	if len(statements) == 0 {
		return
	}
	added, removed, flagged := tally(statements, func(s diff.StatementDiff) (string, bool) { return s.Change, len(s.Flags) > 0 && s.Change == diff.Add })
	summary := fmt.Sprintf("IAM: +%d −%d statements", added, removed)
	if flagged > 0 {
		summary += fmt.Sprintf(", :warning: %d flagged", flagged)
	}
	fmt.Fprintf(b, "\n<details open><summary>%s</summary>\n\n", summary)
	b.WriteString("| | Resource | Policy | Effect | Principal | Actions | Resources | Condition | When | Flags |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range statements {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", rowSign(s.Change), code(s.Resource), cell(s.Policy), s.Effect,
			code(s.Principal), codeList(s.Actions), codeList(s.Resources), code(s.Condition), code(s.When), cell(flagsCell(s.Flags, s.Broadens)))
	}
	b.WriteString("\n</details>\n")
}

// tally counts rows added, removed, and marked.
func tally[R any](rows []R, of func(R) (change string, marked bool)) (added, removed, marked int) {
	for _, r := range rows {
		change, m := of(r)
		if change == diff.Add {
			added++
		} else {
			removed++
		}
		if m {
			marked++
		}
	}
	return added, removed, marked
}

func rowSign(change string) string {
	if change == diff.Remove {
		return ":heavy_minus_sign:"
	}
	return ":heavy_plus_sign:"
}

// writeExposureMarkdown is the security exposure table, next to IAM.
func writeExposureMarkdown(b *strings.Builder, rows []diff.ExposureDiff) {
	if len(rows) == 0 {
		return
	}
	added, removed, broadening := tally(rows, func(e diff.ExposureDiff) (string, bool) { return e.Change, e.Broadens })
	summary := fmt.Sprintf("Exposure: +%d −%d", added, removed)
	if broadening > 0 {
		summary += fmt.Sprintf(", :warning: %d broadening access", broadening)
	}
	fmt.Fprintf(b, "\n<details open><summary>%s</summary>\n\n", summary)
	b.WriteString("| | Resource | Kind | Detail | Risk | When |\n|---|---|---|---|---|---|\n")
	for _, e := range rows {
		risk := cell(e.Risk)
		if e.Broadens {
			risk = ":warning: " + risk + " (" + broadensNote + ")"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", rowSign(e.Change), code(e.Resource), cell(e.Kind),
			code(e.Detail), risk, code(e.When))
	}
	b.WriteString("\n</details>\n")
}

func flagsCell(flags []string, broadens bool) string {
	if broadens {
		flags = append([]string{broadensNote}, flags...)
	}
	if len(flags) == 0 {
		return ""
	}
	return ":warning: " + strings.Join(flags, "; ")
}

func writeEntriesMarkdown(b *strings.Builder, title string, entries []diff.EntryDiff) {
	if len(entries) == 0 {
		return
	}
	var names []string
	for _, e := range entries {
		names = append(names, changeSigns[e.Change]+e.Name)
	}
	fmt.Fprintf(b, "\n<details><summary>%s: %s</summary>\n", title, htmlEscape(strings.Join(names, ", ")))
	for _, e := range entries {
		fmt.Fprintf(b, "\n**%s** %s\n", code(e.Name), e.Change)
		for _, f := range e.Failures {
			fmt.Fprintf(b, "- :x: %s\n", cell(f))
		}
		for _, n := range e.Notes {
			fmt.Fprintf(b, "- %s\n", cell(n))
		}
		writePropertyTable(b, e.Fields, false)
	}
	b.WriteString("\n</details>\n")
}

// code writes s as an inline code span that is safe inside a table cell.
func code(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "|", "\\|")
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

func codeList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = code(s)
	}
	return strings.Join(out, "<br>")
}

// cell escapes text for a table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(htmlEscape(s), "\n", "<br>")
}

// htmlEscape writes < and > as entities. Two ReplaceAll calls, not a
// strings.Replacer: building one per cell cost 50 KB, and the report of a
// thousand changed resources has thousands of cells.
func htmlEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "<", "&lt;"), ">", "&gt;")
}

// fence keeps a code block from being closed early by its content.
func fence(s string) string {
	return strings.ReplaceAll(s, "```", "` ` `")
}
