package templates

import (
	"regexp"
	"strings"
	"testing"
)

// The hand-written matchers agree with the regular expressions they replace.
func TestNameMatchersAgreeWithPatterns(t *testing.T) {
	cases := []struct {
		name    string
		match   func(string) bool
		pattern string
	}{
		{"isLogicalID", isLogicalID, `^[A-Za-z0-9]{1,255}$`},
		{"isSubVariable", isSubVariable, `^[A-Za-z0-9:]+(\.[A-Za-z0-9]+)*$`},
		{"isStackName", isStackName, `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`},
	}
	inputs := []string{"", "a", "A", "0", "Bucket", "my-stack", "my--stack", "-a", "a-", "a-1", "1a", "Bucket.Arn",
		"AWS::Region", "Stack.Outputs.Name", "Bucket.", ".Arn", "Bucket..Arn", "Bucket.Arn.", "a:b.c", "a.b:c",
		"Bucket-1", "héllo", "a b", "a_b", "a\n", strings.Repeat("a", 255), strings.Repeat("a", 256), "ab-cd-ef9", "Ab"}
	for _, c := range cases {
		re := regexp.MustCompile(c.pattern)
		for _, in := range inputs {
			if got, want := c.match(in), re.MatchString(in); got != want {
				t.Errorf("%s(%q) = %v, the pattern %s says %v", c.name, in, got, c.pattern, want)
			}
		}
	}
}

func FuzzNameMatchers(f *testing.F) {
	f.Add("Bucket.Arn")
	f.Add("my-stack")
	logical := regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
	sub := regexp.MustCompile(`^[A-Za-z0-9:]+(\.[A-Za-z0-9]+)*$`)
	stack := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	f.Fuzz(func(t *testing.T, s string) {
		if isLogicalID(s) != logical.MatchString(s) || isSubVariable(s) != sub.MatchString(s) || isStackName(s) != stack.MatchString(s) {
			t.Errorf("matchers disagree with their patterns on %q", s)
		}
	})
}

// needsQuotes decides as the seven patterns it was written with did, run on
// every string a five-byte word or number-like text.
var formerNonStringPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^(~|null|y|n|yes|no|on|off|true|false|<<|=)$`),
	regexp.MustCompile(`^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$`),
	regexp.MustCompile(`^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$`),
	regexp.MustCompile(`^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$`),
	regexp.MustCompile(`^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$`),
	regexp.MustCompile(`^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$`),
	regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \t]|$)`),
}

func formerNeedsQuotes(s string) bool {
	if s == "" || s != strings.TrimSpace(s) {
		return true
	}
	if mayResolveToNonString(s) {
		for _, p := range formerNonStringPatterns {
			if p.MatchString(s) {
				return true
			}
		}
	}
	return hasPlainSyntaxHazard(s)
}

func TestNeedsQuotesAsBefore(t *testing.T) {
	for _, s := range []string{"", "y", "Y", "yes", "YES", "yeſ", "No", "oN", "OFF", "true", "False", "null", "~", "<<", "=",
		"Allow", "Deny", "12", "-1", "+1", ".5", "1.", "1e3", "0x1F", "0o17", "0755", ".inf", "-.Inf", ".NaN", "12:30",
		"2024-01-01", "2024-1-1T10:00:00Z", "2012-10-17", "sts:AssumeRole", "*", "- x", "a: b", "#x", "ab", "n/a"} {
		if got, want := needsQuotes(s), formerNeedsQuotes(s); got != want {
			t.Errorf("needsQuotes(%q) = %v, was %v", s, got, want)
		}
	}
}

func FuzzNeedsQuotesAsBefore(f *testing.F) {
	f.Add("yes")
	f.Add("12:30")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := needsQuotes(s), formerNeedsQuotes(s); got != want {
			t.Errorf("needsQuotes(%q) = %v, was %v", s, got, want)
		}
	})
}

// scalarStyle's fast path decides as the full one does.
func FuzzPlainNameIsPlain(f *testing.F) {
	for _, s := range []string{"Properties", "AWS::S3::Bucket", "index.handler", "a/b:c-d_e", "Value:", "yes", "True1", "Ab:-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isPlainName(s) {
			if needsQuotes(s) || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") || !isPrintable(s) ||
				(mayResolveToNonString(s) && resolveTag(s) != "!!str") {
				t.Errorf("isPlainName(%q) is true, but the full test would quote it", s)
			}
		}
	})
}
