package plan

import (
	"strings"
	"testing"
)

// mdEscape writes what a strings.Replacer of |, < and > would.
func TestMarkdownEscape(t *testing.T) {
	replacer := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;")
	for _, s := range []string{"", "plain", "a|b", "<b>|</b>", `\|`, "||<<>>", "&gt;|", "多|<字>"} {
		if got, want := mdEscape(s), replacer.Replace(s); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", s, got, want)
		}
	}
}
