package diff

import (
	"regexp"
	"strings"
	"sync"
)

// A change broadens access when the head grants something no grant of the
// base (at the same place) already granted: an added Allow statement that
// no base statement covers, an added managed policy or invoke permission,
// or a removed Deny that no head Deny still covers. Replacing s3:* with
// s3:GetObject, or adding a Condition, narrows and does not broaden.

// coveredBy reports whether some grant in others, of the same effect,
// allows (or denies) at least everything row does.
func coveredBy(row StatementDiff, others []grant) bool {
	for _, o := range others {
		if covers(o.row, row) {
			return true
		}
	}
	return false
}

// covers reports whether statement a is at least as wide as b: the same
// effect and policy, a principal that includes b's, every action and
// resource of b matched by a pattern of a, and no Condition or
// template condition on a that b does not share.
func covers(a, b StatementDiff) bool {
	if effectOf(a) != effectOf(b) || a.Policy != b.Policy {
		return false
	}
	if a.Principal != b.Principal && !anyPrincipal(a.Principal) {
		return false
	}
	if a.Condition != "" && a.Condition != b.Condition {
		return false
	}
	if a.When != "" && a.When != b.When {
		return false
	}
	return patternsCover(a.Actions, b.Actions, true) && patternsCover(a.Resources, b.Resources, false)
}

func effectOf(s StatementDiff) string {
	if s.Effect == "Deny" {
		return "Deny"
	}
	return "Allow"
}

// patternsCover reports whether every item is matched by some pattern. Not
// forms (NotAction, NotResource) are only covered by the same list.
func patternsCover(patterns, items []string, foldCase bool) bool {
	if hasNot(patterns) || hasNot(items) {
		return strings.Join(patterns, "\x00") == strings.Join(items, "\x00")
	}
	for _, item := range items {
		matched := false
		for _, p := range patterns {
			if p == item || globMatch(p, item, foldCase) {
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

func hasNot(list []string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, "NOT ") {
			return true
		}
	}
	return false
}

// globMatch matches IAM's wildcards: * any run of characters (slashes
// included), ? one character. A pattern that is an intrinsic ("!Sub …")
// matches only itself.
func globMatch(pattern, s string, foldCase bool) bool {
	if strings.HasPrefix(pattern, "!") || strings.HasPrefix(pattern, "{") {
		return false
	}
	if foldCase {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Iterative matching with backtracking to the last star.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p, i = p+1, i+1
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p, mark = star+1, mark+1
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// anyPrincipal reports a principal (as Summarize writes it) that is
// everyone: "*", {AWS: *}, or {AWS: [..., *]}.
func anyPrincipal(p string) bool {
	return p == "*" || anyAWSPrincipal().MatchString(p)
}

var anyAWSPrincipal = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`AWS: (\[([^\]]*, )?)?\*[,}\]]`) })
