package commands

import (
	"regexp"
	"strings"
	"sync"
)

var shellSafe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`) })

// shellQuote quotes s for a POSIX shell: safe words stay bare, anything else
// goes in single quotes, where an embedded quote is closed, escaped, reopened.
func shellQuote(s string) string {
	if shellSafe().MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
