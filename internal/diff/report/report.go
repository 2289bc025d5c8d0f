package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/formwork-dev/formwork/internal/diff"
)

// Format is a diff report format.
type Format string

// The report formats.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatJSON     Format = "json"
)

// ParseFormat accepts text, markdown (or md) and json.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "text", "markdown", "json":
		return Format(s), nil
	case "md":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("unknown format %q: use text, markdown or json", s)
}

// Diff is the diff report as text, Markdown and JSON: its JSON form is
// diff.Report's.
type Diff struct{ diff.Report }

// Write writes the report in the given format.
func (r Diff) Write(w io.Writer, f Format) error { return Write(w, f, r) }

// Renderable is a report that has a text and a Markdown form; its JSON
// form is the value itself.
type Renderable interface {
	Text() string
	Markdown() string
}

// Write writes r as text, Markdown or JSON (2-space indent, with <, >
// and & left readable), the formats every formwork report comes in.
func Write(w io.Writer, f Format, r Renderable) error {
	var out string
	switch f {
	case FormatMarkdown:
		out = r.Markdown()
	case FormatJSON:
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
		out = b.String()
	default:
		out = r.Text()
	}
	_, err := io.WriteString(w, out)
	return err
}

// Headline is the one-line summary both text and Markdown start with.
func (r Diff) Headline() string {
	s := r.Summary
	if s.StacksChanged == 0 {
		return fmt.Sprintf("no changes in %s", plural(s.Stacks, "stack"))
	}
	parts := []string{fmt.Sprintf("%d of %s changed", s.StacksChanged, plural(s.Stacks, "stack"))}
	var res []string
	for _, c := range []struct {
		n    int
		word string
	}{{s.ResourcesAdded, "added"}, {s.ResourcesRemoved, "removed"}, {s.ResourcesModified, "modified"}, {s.ResourcesReplaced, "replaced"}, {s.ResourcesMaybeReplaced, "may be replaced"}} {
		if c.n > 0 {
			res = append(res, fmt.Sprintf("%d %s", c.n, c.word))
		}
	}
	if len(res) > 0 {
		parts = append(parts, "resources: "+strings.Join(res, ", "))
	}
	if s.LikelyRenames > 0 {
		parts = append(parts, plural(s.LikelyRenames, "likely rename"))
	}
	if s.IAMStatementsAdded+s.IAMStatementsRemoved > 0 {
		iam := fmt.Sprintf("IAM: +%d −%d", s.IAMStatementsAdded, s.IAMStatementsRemoved)
		if s.IAMFlagged > 0 {
			iam += fmt.Sprintf(" (%d flagged)", s.IAMFlagged)
		}
		parts = append(parts, iam)
	}
	if s.ExposuresAdded+s.ExposuresRemoved > 0 {
		parts = append(parts, fmt.Sprintf("exposure: +%d −%d", s.ExposuresAdded, s.ExposuresRemoved))
	}
	if s.Broadening > 0 {
		parts = append(parts, plural(s.Broadening, "change")+" broadening access")
	}
	if s.DataAtRisk > 0 {
		parts = append(parts, fmt.Sprintf("%s at risk (%d unprotected)", plural(s.DataAtRisk, "data resource"), s.DataUnprotected))
	}
	if s.UpdateFailures > 0 {
		parts = append(parts, plural(s.UpdateFailures, "change")+" that can fail the update")
	}
	return strings.Join(parts, "; ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// sizeLine is "12,345 → 12,400 bytes (+55)".
func sizeLine(s diff.SizeDiff) string {
	delta := s.Head - s.Base
	sign := "+"
	if delta < 0 {
		sign, delta = "-", -delta
	}
	return fmt.Sprintf("%s → %s bytes (%s%s)", thousands(s.Base), thousands(s.Head), sign, thousands(delta))
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// changeWord is how reports name a resource change.
func changeWord(r diff.ResourceDiff) string {
	switch {
	case r.Change == diff.Add && r.RenamedFrom != "":
		return "added (rename of " + r.RenamedFrom + "?)"
	case r.Change == diff.Remove && r.RenamedTo != "":
		return "removed (renamed to " + r.RenamedTo + "?)"
	case r.Change == diff.Add:
		return "added"
	case r.Change == diff.Remove:
		return "removed"
	case r.Replacement == diff.ReplaceYes:
		return "REPLACED"
	case r.Replacement == diff.ReplaceMaybe:
		return "MAY BE REPLACED"
	case r.Replacement == diff.ReplaceUnknown:
		return "modified (replacement unknown)"
	}
	return "modified"
}

// riskWords describe a DataRisk change in a sentence.
var riskWords = map[string]string{"replace": "replaced", "maybe-replace": "maybe replaced", diff.Remove: "removed", "maybe-remove": "removed where its condition is false"}

// broadensNote marks a row that widens access.
const broadensNote = "broadens access"

// whenText is " (if IsProd)" for a row that holds under template conditions.
func whenText(when string) string {
	if when == "" {
		return ""
	}
	return " (if " + when + ")"
}

func protectionWord(risk diff.DataRisk) string {
	if risk.Protected {
		return "protected"
	}
	return "NOT protected"
}

func unchangedStacks(r diff.Report) []string {
	var out []string
	for _, d := range r.Stacks {
		if !d.Changed() {
			out = append(out, d.Stack)
		}
	}
	return out
}
