package plan

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/internal/diff"
	"github.com/formwork-dev/formwork/internal/diff/report"
)

// MarkdownMarker starts every Markdown plan, followed by the stack and
// environment, so a CI job can update its own earlier pull-request comment.
const MarkdownMarker = "<!-- formwork-plan"

// Write writes the report in the given format.
func (r Report) Write(w io.Writer, f report.Format) error { return report.Write(w, f, r) }

// Headline is the one-line summary text and Markdown start with.
func (r Report) Headline() string {
	where := r.StackName
	if r.Environment != "" {
		where = r.Environment + ": " + where
	}
	if r.Region != "" {
		where += " in " + r.Region
	}
	head := fmt.Sprintf("%s (%s), change set %s", r.Stack, where, r.ChangeSet)
	switch r.Status {
	case NoChanges:
		return head + ": no changes"
	case Failed:
		return head + ": CloudFormation rejected the change set"
	}
	s := r.Summary
	parts := []string{fmt.Sprintf("%d to add", s.Add), fmt.Sprintf("%d to modify", s.Modify), fmt.Sprintf("%d to remove", s.Remove)}
	if s.Replace > 0 {
		parts = append(parts, fmt.Sprintf("%d replaced", s.Replace))
	}
	if s.MayReplace > 0 {
		parts = append(parts, fmt.Sprintf("%d may be replaced", s.MayReplace))
	}
	if s.Parameters > 0 {
		parts = append(parts, plural(s.Parameters, "parameter")+" changed")
	}
	if s.Disagreements > 0 {
		parts = append(parts, plural(s.Disagreements, "disagreement")+" with formwork's prediction")
	}
	if s.DataAtRisk > 0 {
		parts = append(parts, fmt.Sprintf("%s at risk (%d unprotected)", plural(s.DataAtRisk, "data resource"), s.DataUnprotected))
	}
	if s.Broadening > 0 {
		parts = append(parts, plural(s.Broadening, "change")+" broadening access")
	}
	if r.NewStack {
		parts = append(parts, "new stack")
	}
	return head + ": " + strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

var actionSigns = map[string]string{"Add": "+", "Remove": "-", "Modify": "~", "Import": ">", "Dynamic": "?"}

// Text is the terminal form.
func (r Report) Text() string {
	var b strings.Builder
	if r.Warning != "" {
		b.WriteString("! " + r.Warning + "\n")
	}
	b.WriteString(r.Headline() + "\n")
	if r.Status == Failed {
		b.WriteString("  " + r.Reason + "\n")
	}
	for _, res := range r.Resources {
		fmt.Fprintf(&b, "  %s %s (%s)%s\n", actionSigns[res.Action], res.LogicalID, res.Type, verdicts(res))
		for _, c := range shownCauses(res.Causes) {
			b.WriteString("      " + causeText(c) + "\n")
		}
		if len(res.Causes) == 0 && res.Action == "Modify" {
			for _, p := range res.Predicted.Paths {
				b.WriteString("      " + p + " (formwork)\n")
			}
		}
		if res.Disagreement != "" {
			b.WriteString("      ! " + res.Disagreement + "\n")
		}
	}
	if len(r.Parameters) > 0 {
		b.WriteString("  parameters:\n")
		for _, p := range r.Parameters {
			b.WriteString("    " + parameterText(p) + "\n")
		}
	}
	report.WriteDataRiskText(&b, r.DataAtRisk)
	report.WriteAccessText(&b, r.IAM, r.Exposure)
	if len(r.DataAtRisk)+len(r.IAM)+len(r.Exposure) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(r.footer() + "\n")
	return b.String()
}

// verdicts is the replacement verdict of both sides, for a Modify.
func verdicts(res Resource) string {
	if res.Action != "Modify" {
		return ""
	}
	cf := res.Replacement
	if cf == "" {
		cf = "not given"
	}
	fw := res.Predicted.Replacement
	if fw == "" {
		fw = "no change seen"
	}
	return fmt.Sprintf(": replacement %s (formwork: %s)", cf, fw)
}

// shownCauses leaves out a Dynamic cause when a Static one names the same
// target: CloudFormation lists a parameter change twice, and the static
// evaluation is the one that says why (its documentation advises the same).
// The JSON report keeps both.
func shownCauses(list []Cause) []Cause {
	var out []Cause
	for _, c := range list {
		if c.Evaluation == "Dynamic" && slices.ContainsFunc(list, func(o Cause) bool {
			return o.Evaluation == "Static" && o.Attribute == c.Attribute && o.Name == c.Name
		}) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func causeText(c Cause) string {
	s := c.Attribute
	if c.Name != "" {
		s += "." + c.Name
	}
	var facts []string
	for _, f := range []string{c.ChangeSource, c.CausingEntity} {
		if f != "" {
			facts = append(facts, f)
		}
	}
	if c.RequiresRecreation != "" {
		facts = append(facts, "recreation: "+c.RequiresRecreation)
	}
	if c.Evaluation == "Dynamic" {
		facts = append(facts, "known only at deploy time")
	}
	if len(facts) > 0 {
		s += " (" + strings.Join(facts, ", ") + ")"
	}
	return s
}

func parameterText(p ParameterChange) string {
	switch p.Change {
	case diff.Add:
		return fmt.Sprintf("+ %s = %s", p.Name, quoted(p.New))
	case diff.Remove:
		return fmt.Sprintf("- %s (was %s)", p.Name, quoted(p.Old))
	}
	return fmt.Sprintf("~ %s: %s -> %s", p.Name, quoted(p.Old), quoted(p.New))
}

func quoted(s string) string { return fmt.Sprintf("%q", s) }

func (r Report) footer() string {
	switch {
	case r.Status != Changes:
		return "Nothing to apply; the change set was deleted."
	case r.Kept:
		return fmt.Sprintf("Kept for review: formwork apply %s%s --change-set %s", r.Stack, envFlag(r.Environment), r.ChangeSet)
	case r.NewStack:
		return "The change set and the empty stack it made were deleted (plan --keep keeps them for formwork apply)."
	}
	return "The change set was deleted (plan --keep keeps it for formwork apply)."
}

func envFlag(env string) string {
	if env == "" {
		return ""
	}
	return " --env " + env
}

// Markdown is the pull-request comment form.
func (r Report) Markdown() string {
	var b strings.Builder
	b.WriteString(strings.Join(strings.Fields(MarkdownMarker+" "+r.Stack+" "+r.Environment), " ") + " -->\n")
	fmt.Fprintf(&b, "### formwork plan: %s\n\n", r.Stack)
	if r.Warning != "" {
		b.WriteString("> ⚠️ " + mdEscape(r.Warning) + "\n\n")
	}
	fmt.Fprintf(&b, "**%s**\n\n", mdEscape(r.Headline()))
	if r.Status == Failed {
		b.WriteString("> " + mdEscape(r.Reason) + "\n\n")
	}
	if len(r.Resources) > 0 {
		b.WriteString("| | resource | type | CloudFormation replacement | formwork predicts | causes |\n|---|---|---|---|---|---|\n")
		for _, res := range r.Resources {
			var causes []string
			for _, c := range shownCauses(res.Causes) {
				causes = append(causes, causeText(c))
			}
			if len(causes) == 0 {
				causes = res.Predicted.Paths
			}
			flag := ""
			if res.Disagreement != "" {
				flag = " ⚠️"
			}
			fmt.Fprintf(&b, "| %s%s | `%s` | %s | %s | %s | %s |\n", res.Action, flag, res.LogicalID, res.Type,
				orDash(res.Replacement), orDash(predictedText(res.Predicted)), mdEscape(strings.Join(causes, "; ")))
		}
		b.WriteString("\n")
	}
	var disagreements []string
	for _, res := range r.Resources {
		if res.Disagreement != "" {
			disagreements = append(disagreements, fmt.Sprintf("- `%s`: %s", res.LogicalID, mdEscape(res.Disagreement)))
		}
	}
	if len(disagreements) > 0 {
		b.WriteString("**Where CloudFormation and formwork disagree**\n\n" + strings.Join(disagreements, "\n") + "\n\n")
	}
	if len(r.Parameters) > 0 {
		b.WriteString("| parameter | change | old | new |\n|---|---|---|---|\n")
		for _, p := range r.Parameters {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", p.Name, p.Change, mdCode(p.Old), mdCode(p.New))
		}
		b.WriteString("\n")
	}
	if len(r.DataAtRisk)+len(r.IAM)+len(r.Exposure) > 0 {
		var sections strings.Builder
		report.WriteDataRiskMarkdown(&sections, r.DataAtRisk)
		report.WriteAccessMarkdown(&sections, r.IAM, r.Exposure)
		b.WriteString(strings.TrimPrefix(sections.String(), "\n") + "\n")
	}
	b.WriteString("_" + mdEscape(r.footer()) + "_\n")
	return b.String()
}

func predictedText(p Prediction) string {
	if p.Change == "" {
		return ""
	}
	if p.Change == diff.Modify && p.Replacement != "" {
		return p.Change + ", replacement " + string(p.Replacement)
	}
	return p.Change
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func mdCode(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func mdEscape(s string) string {
	// ReplaceAll, not a strings.Replacer built per cell (50 KB each)
	return strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "<", "&lt;"), ">", "&gt;")
}
