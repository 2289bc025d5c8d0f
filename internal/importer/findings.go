package importer

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Finding is something of a template the import keeps as CloudFormation
// reads it, but that reads differently from how it is written: the author
// should fix it in the stack (and the template, if it is still deployed
// from elsewhere).
type Finding struct {
	Line    int
	Message string
}

func (f Finding) String() string { return fmt.Sprintf("line %d: %s", f.Line, f.Message) }

// The number forms YAML 1.1 and 1.2 read differently, compiled on first
// use: only import reads them.
var (
	octal   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-+]?0[0-7_]+$`) })
	leading = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-+]?0[0-9_]+$`) })
	base60  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$`) })
)

// numberFindings finds the plain scalars that YAML 1.1, which
// CloudFormation reads, and YAML 1.2 read differently: a leading zero (an
// account id such as 012345670123 is the octal number 1402433619 to
// CloudFormation; 098765432198 is text to it but a number to YAML 1.2
// tools), 1.2's 0o octal, and base-60 numbers (12:30).
func numberFindings(n *yaml.Node, out []Finding) []Finding {
	if n.Kind == yaml.ScalarNode && n.Style == 0 {
		if msg := numberFinding(n.Value); msg != "" {
			out = append(out, Finding{n.Line, msg})
		}
	}
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 {
			if c.Kind == yaml.ScalarNode && c.Style == 0 && numberFinding(c.Value) != "" {
				out = append(out, Finding{c.Line, fmt.Sprintf("the key %s is read as a number by CloudFormation (YAML 1.1) or by YAML 1.2 tools, "+
					"and as the text %s by formwork: quote it (%s)", c.Value, c.Value, strconv.Quote(c.Value))})
			}
			continue
		}
		out = numberFindings(c, out)
	}
	return out
}

func numberFinding(text string) string {
	digits := strings.TrimLeft(text, "+-")
	if digits == "" || digits[0] < '0' || digits[0] > '9' || digits[0] != '0' && !strings.Contains(digits, ":") {
		return "" // most scalars: not a number, or one without a leading zero
	}
	quoted := strconv.Quote(text)
	switch {
	case octal().MatchString(text) && strings.Trim(text, "+-0_") == "":
		return "" // zero in every notation
	case octal().MatchString(text):
		n, _ := new(big.Int).SetString(strings.ReplaceAll(text, "_", ""), 8)
		return fmt.Sprintf("%s is the octal number %s to CloudFormation (YAML 1.1), and the stack keeps %s: "+
			"if it is text such as an account id, quote it (%s)", text, n, n, quoted)
	case leading().MatchString(text) || strings.HasPrefix(strings.TrimLeft(text, "+-"), "0o"):
		return fmt.Sprintf("%s is text to CloudFormation (YAML 1.1) but a number to YAML 1.2 tools, and the stack keeps the text: "+
			"quote it (%s) so every reader agrees", text, quoted)
	case base60().MatchString(text):
		return fmt.Sprintf("%s is a base-60 number to CloudFormation (YAML 1.1) but text to formwork, which renders it quoted: "+
			"if the number is meant, write it in decimal; if the text is, quote it (%s)", text, quoted)
	}
	return ""
}
