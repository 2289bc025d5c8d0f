package templates

import (
	"regexp"
	"strings"
	"sync"
)

// Plain scalars that a YAML 1.1 reader (PyYAML, which cfn-lint and the AWS CLI
// use) or a YAML 1.2 reader (yaml.v3, js-yaml) would resolve to something other
// than a string. Each pattern is the union of both specs' resolvers. They are
// compiled on first use: a command that encodes nothing never pays for them.
var nonStringPatterns = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		// null, booleans (YAML 1.1 allows y/n/yes/no/on/off), merge key, value key.
		regexp.MustCompile(`(?i)^(~|null|y|n|yes|no|on|off|true|false|<<|=)$`),
		// integers: binary, octal (0755 and 0o755), hex, decimal, with or without '_'.
		regexp.MustCompile(`^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$`),
		// floats: 1.5, .5, 1., 1e3, 1.5e-3, with '_' in YAML 1.1.
		regexp.MustCompile(`^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$`),
		regexp.MustCompile(`^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$`),
		// infinity and not-a-number.
		regexp.MustCompile(`^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$`),
		// sexagesimal (base 60) integers and floats: 12:30, 1:20:30.5.
		regexp.MustCompile(`^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$`),
		// dates and timestamps: 2024-01-01, 2024-1-1T10:00:00Z, 2024-01-01 10:00:00.
		regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \t]|$)`),
	}
})

// needsQuotes reports whether s must be quoted to be read back as the same
// string by every YAML reader. Multi-line strings are not asked about: they
// are written as literal blocks.
func needsQuotes(s string) bool {
	if s == "" || s != strings.TrimSpace(s) {
		return true
	}
	if mayResolveToNonString(s) {
		for _, p := range nonStringPatterns() {
			if p.MatchString(s) {
				return true
			}
		}
	}
	return hasPlainSyntaxHazard(s)
}

// mayResolveToNonString is a cheap filter in front of nonStringPatterns,
// which cost a fifth of a render when run on every string: each pattern
// either starts with one of - + . 0-9 or matches a word of at most five
// characters (false, null, ~, <<, …).
func mayResolveToNonString(s string) bool {
	switch c := s[0]; {
	case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
		return true
	}
	return len(s) <= len("false")
}

// hasPlainSyntaxHazard reports characters that end or change a plain scalar.
func hasPlainSyntaxHazard(s string) bool {
	switch s[0] {
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return true
	case '-', '?', ':':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' {
			return true
		}
	}
	if strings.HasSuffix(s, ":") || strings.Contains(s, ": ") || strings.Contains(s, " #") ||
		strings.Contains(s, ":\t") || strings.Contains(s, "\t#") {
		return true
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfeff || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 {
			return true
		}
	}
	return false
}
