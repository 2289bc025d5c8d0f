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
