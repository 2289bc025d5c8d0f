package report

import (
	"strings"
	"testing"
)

// htmlEscape writes what a strings.Replacer of < and > would.
func TestHTMLEscape(t *testing.T) {
	replacer := strings.NewReplacer("<", "&lt;", ">", "&gt;")
	for _, s := range []string{"", "plain", "<b>", "a < b > c", "<<>>", "&lt;", "x->y", "><", "多<字>"} {
		if got, want := htmlEscape(s), replacer.Replace(s); got != want {
			t.Errorf("htmlEscape(%q) = %q, want %q", s, got, want)
		}
	}
}
