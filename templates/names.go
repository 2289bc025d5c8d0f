package templates

// Hand-written matchers for the shapes the engine checks on every render.
// A regular expression with a bounded repetition ({1,255}) compiles to a
// program hundreds of instructions long: built at process start it cost
// every command a millisecond, and matched per logical id it cost a render
// more than these loops do.

// isLogicalID reports whether s is 1 to 255 ASCII letters and digits.
func isLogicalID(s string) bool {
	if len(s) == 0 || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// isSubVariable reports whether s can be a ${...} variable of Fn::Sub: a
// name of letters, digits and colons (AWS::Region), then any number of
// .Attribute parts (Bucket.Arn, Stack.Outputs.Name).
func isSubVariable(s string) bool {
	head, rest := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			head, rest = s[:i], s[i:]
			break
		}
	}
	if head == "" {
		return false
	}
	for i := 0; i < len(head); i++ {
		if !isAlnum(head[i]) && head[i] != ':' {
			return false
		}
	}
	for rest != "" { // rest starts with '.'
		part := rest[1:]
		n := 0
		for n < len(part) && isAlnum(part[n]) {
			n++
		}
		if n == 0 || (n < len(part) && part[n] != '.') {
			return false
		}
		rest = part[n:]
	}
	return true
}

// isStackName reports whether s is lower-case letters and digits in
// dash-separated words, starting with a letter: ^[a-z][a-z0-9]*(-[a-z0-9]+)*$.
func isStackName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		case (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'):
		default:
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
