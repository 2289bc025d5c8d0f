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

// shellCommand writes argv as a command a shell runs as given, one option
// per line after the first three words, continued with backslashes.
func shellCommand(argv []string) string {
	var b strings.Builder
	for i, a := range argv {
		switch {
		case i == 0:
		case i < 3 || !strings.HasPrefix(a, "--"):
			b.WriteByte(' ')
		default:
			b.WriteString(" \\\n  ")
		}
		b.WriteString(shellQuote(a))
	}
	return b.String()
}
