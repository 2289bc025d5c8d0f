package rules

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
)

// compileParameterPattern compiles a parameter's AllowedPattern the way
// CloudFormation applies it, to the whole value, and returns short values
// it accepts (the seeds hostile characters are inserted into): one for each
// alternative of the pattern.
func compileParameterPattern(pattern string) (*regexp.Regexp, []string, error) {
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		return nil, nil, fmt.Errorf("not a regular expression Go can read: %v", err)
	}
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, nil, err
	}
	parsed = parsed.Simplify()
	alternatives := []*syntax.Regexp{parsed}
	if parsed.Op == syntax.OpAlternate {
		alternatives = parsed.Sub
	}
	var seeds []string
	for _, alt := range alternatives {
		if seed := sample(alt); re.MatchString(seed) {
			seeds = append(seeds, seed)
		}
	}
	if len(seeds) == 0 {
		seeds = []string{"a"}
	}
	return re, seeds, nil
}

// sample returns a short string the expression matches, preferring letters
// and digits where a class allows them.
func sample(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune)
	case syntax.OpCharClass:
		return string(classRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return "a"
	case syntax.OpCapture, syntax.OpPlus:
		return sample(re.Sub[0])
	case syntax.OpRepeat:
		return strings.Repeat(sample(re.Sub[0]), re.Min)
	case syntax.OpConcat:
		var b strings.Builder
		for _, sub := range re.Sub {
			b.WriteString(sample(sub))
		}
		return b.String()
	case syntax.OpAlternate:
		return sample(re.Sub[0])
	}
	return "" // empty, anchors, boundaries, star and quest
}

// classRune picks a rune from a class given as ranges: a letter or digit if
// there is one, else its first printable rune.
func classRune(ranges []rune) rune {
	for _, want := range []func(rune) bool{isAlnum, unicode.IsPrint} {
		for i := 0; i+1 < len(ranges); i += 2 {
			for r := ranges[i]; r <= ranges[i+1] && r-ranges[i] < 256; r++ {
				if want(r) {
					return r
				}
			}
		}
	}
	if len(ranges) > 0 {
		return ranges[0]
	}
	return 'a'
}

func isAlnum(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
