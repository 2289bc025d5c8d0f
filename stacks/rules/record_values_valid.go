package rules

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

var recordValuesValid = templates.Rule{
	ID:      "record_values_valid",
	Summary: "SRV and TXT records are well formed and hold no secrets",
	Why:     "Route 53 rejects malformed values at deploy time, and DNS is readable by every host in the VPC",
	Check:   checkRecordValues,
}

// maxTXTString is the longest character string a TXT record holds.
const maxTXTString = 255

// secretKey matches the keys of TXT entries that look like secrets;
// secretReference the keys that name where a secret is kept (which is what
// to publish instead).
var (
	secretKey = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential)`)
	})
	secretReference = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)[_.-](name|arn|parameter|path|id)$`) })
)

// checkRecordValues: an SRV record is named _service._proto and each of its
// values is "priority weight port target" with numbers in range and a host
// name as target; a TXT value is quoted, each string at most 255
// characters, and holds no key that looks like a secret (every host in the
// VPC can read it).
func checkRecordValues(stack string, tree *templates.Map) []templates.Finding {
	var out []templates.Finding
	for _, r := range templates.Resources(tree) {
		switch r.Type {
		case typeRecordSet:
			out = append(out, recordValueFindings(stack, r.ID, "Properties", r.Properties)...)
		case typeRecordSetGroup:
			for i, record := range templates.ListAt(r.Properties, "RecordSets") {
				out = append(out, recordValueFindings(stack, r.ID, fmt.Sprintf("Properties.RecordSets[%d]", i), record)...)
			}
		}
	}
	return out
}

// recordValueFindings checks the name and values of one SRV or TXT record
// at base inside resource id.
func recordValueFindings(stack, id, base string, record any) []templates.Finding {
	var out []templates.Finding
	var check func(string) string
	switch templates.StringAt(record, "Type") {
	case "SRV":
		if msg := srvNameProblem(templates.ValueAt(record, "Name")); msg != "" {
			out = append(out, templates.Finding{Stack: stack, LogicalID: id, Path: base + ".Name", Message: msg})
		}
		check = srvValueProblem
	case "TXT":
		check = txtValueProblem
	default:
		return nil
	}
	for i, v := range templates.ListAt(record, "ResourceRecords") {
		if text, ok := recordText(v); ok {
			if msg := check(text); msg != "" {
				out = append(out, templates.Finding{Stack: stack, LogicalID: id, Path: fmt.Sprintf("%s.ResourceRecords[%d]", base, i), Message: msg})
			}
		}
	}
	return out
}

// srvNameProblem says what is wrong with an SRV record's name: its first
// two labels must be _service._proto.
func srvNameProblem(v any) string {
	name, ok := symbolicName(v)
	if !ok {
		return ""
	}
	labels := strings.SplitN(name, ".", 3)
	if len(labels) < 3 || !strings.HasPrefix(labels[0], "_") || !strings.HasPrefix(labels[1], "_") || len(labels[0]) < 2 || len(labels[1]) < 2 {
		return fmt.Sprintf("SRV record name %s does not start with _service._proto, so clients looking the service up do not find it: name it like _orders._tcp.<zone> (blocks.ServiceRecord does)", name)
	}
	return ""
}

// srvValueProblem says what is wrong with one SRV value, "" if nothing.
// Fields holding ${variables} are not checked.
func srvValueProblem(value string) string {
	fields := strings.Fields(value)
	if len(fields) != 4 {
		return fmt.Sprintf("SRV value %q must be four fields, \"priority weight port target\", e.g. \"0 0 443 orders.service.internal\"", value)
	}
	for i, what := range []string{"priority", "weight", "port"} {
		if strings.Contains(fields[i], "${") {
			continue
		}
		if n, err := strconv.Atoi(fields[i]); err != nil || n < 0 || n > 65535 {
			return fmt.Sprintf("SRV value %q has %s %q: use a number from 0 to 65535", value, what, fields[i])
		}
	}
	if target := fields[3]; !strings.Contains(target, "${") && net.ParseIP(strings.TrimSuffix(target, ".")) != nil {
		return fmt.Sprintf("SRV value %q targets IP address %s: the target must be a host name (RFC 2782); add an A record and target its name", value, target)
	}
	return ""
}

// txtValueProblem says what is wrong with one TXT value, "" if nothing.
func txtValueProblem(value string) string {
	strs, ok := txtStrings(value)
	if !ok {
		return fmt.Sprintf("TXT value %s is not one or more double-quoted strings, which Route 53 requires: write it as %s", value, strconv.Quote(value))
	}
	for _, s := range strs {
		if len(s) > maxTXTString {
			return fmt.Sprintf("TXT string %.20q... is %d characters; one string holds at most %d: split it into several quoted strings", s, len(s), maxTXTString)
		}
		if key, _, _ := strings.Cut(s, "="); secretKey().MatchString(key) && !secretReference().MatchString(key) {
			return fmt.Sprintf("TXT entry %q looks like a secret, and every host in the VPC can read DNS: keep the value in Secrets Manager or SSM SecureString and publish only its name", key)
		}
	}
	return ""
}

// txtStrings splits a TXT value into its quoted strings, unescaped.
func txtStrings(value string) ([]string, bool) {
	var out []string
	rest := strings.TrimSpace(value)
	for rest != "" {
		if rest[0] != '"' {
			return nil, false
		}
		end := 1
		for end < len(rest) && rest[end] != '"' {
			if rest[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(rest) {
			return nil, false
		}
		out = append(out, txtUnescape.Replace(rest[1:end]))
		rest = strings.TrimSpace(rest[end+1:])
	}
	return out, len(out) > 0
}

// Route 53 escapes a quote or a backslash inside a TXT string with a
// backslash.
var (
	txtEscape   = strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	txtUnescape = strings.NewReplacer(`\\`, `\`, `\"`, `"`)
)

// TXTQuote writes s as one quoted TXT string.
func TXTQuote(s string) string { return `"` + txtEscape.Replace(s) + `"` }

// recordText is a record value as text: a literal, or a !Sub's text with
// its variables left as ${name}.
func recordText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case templates.Fn:
		if x.Name != templates.FnSub {
			return "", false
		}
		if text, ok := x.Arg.(string); ok {
			return text, true
		}
		if parts, ok := x.Arg.([]any); ok && len(parts) == 2 {
			text, ok := parts[0].(string)
			return text, ok
		}
	}
	return "", false
}
