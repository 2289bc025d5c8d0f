package templates

import (
	"regexp"
	"strings"
	"sync"
)

// Plain scalars that a YAML 1.1 reader (PyYAML, which cfn-lint and the AWS CLI
// use) or a YAML 1.2 reader (yaml.v3, js-yaml) would resolve to something other
// than a string: a word (null, booleans, the merge key) or a number-like text.
// Each pattern is the union of both specs' resolvers. Every one of
// numberPatterns starts with - + . or a digit, which no word does, so a
// string is matched against the word list or the patterns, never both. The
// patterns are compiled on first use: a command that encodes nothing never
// pays for them.
var numberPatterns = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
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

// nonStringWords are null, the booleans (YAML 1.1 allows y/n/yes/no/on/off)
// and the merge and value keys, matched in any case.
var nonStringWords = [...]string{"~", "null", "y", "n", "yes", "no", "on", "off", "true", "false", "<<", "="}

// needsQuotes reports whether s must be quoted to be read back as the same
// string by every YAML reader. Multi-line strings are not asked about: they
// are written as literal blocks.
func needsQuotes(s string) bool {
	if s == "" || s != strings.TrimSpace(s) {
		return true
	}
	if startsLikeNumber(s) {
		for _, p := range numberPatterns() {
			if p.MatchString(s) {
				return true
			}
		}
	} else if isNonStringWord(s) {
		return true
	}
	return hasPlainSyntaxHazard(s)
}

// isNonStringWord reports whether s is one of nonStringWords in any case
// (Unicode case folding, as the (?i) of a regular expression).
func isNonStringWord(s string) bool {
	if len(s) > len("false") {
		return false
	}
	for _, w := range nonStringWords {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

func startsLikeNumber(s string) bool {
	c := s[0]
	return c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')
}

// mayResolveToNonString is a cheap filter in front of a resolver: only a
// text that starts like a number or is a word of at most five bytes
// (false, null, ~, <<, …) can resolve to something other than a string.
func mayResolveToNonString(s string) bool {
	return startsLikeNumber(s) || len(s) <= len("false")
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
