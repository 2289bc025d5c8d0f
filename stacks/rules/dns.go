package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// What the DNS rules (records_in_zone, search_domain_is_zone,
// record_values_valid) share. Names are compared symbolically: a literal as
// written, !Ref X as ${X}, !Sub text with its local variables substituted;
// case and a trailing dot do not matter. Forms that only CloudFormation can
// evaluate (!Join, !If, !ImportValue, ...) are not checked.

const (
	typeHostedZone        = "AWS::Route53::HostedZone"
	typeRecordSet         = "AWS::Route53::RecordSet"
	typeRecordSetGroup    = "AWS::Route53::RecordSetGroup"
	typeDHCPOptions       = "AWS::EC2::DHCPOptions"
	typeDHCPOptionsAssoc  = "AWS::EC2::VPCDHCPOptionsAssociation"
	maxDNSLabelCharacters = 63
)

// zoneRef is a hosted zone a record is created in.
type zoneRef struct {
	id   string // logical id, empty when the record names the zone by HostedZoneName
	name string // the zone's name, symbolic
}

func (z zoneRef) String() string {
	if z.id == "" {
		return z.name
	}
	return fmt.Sprintf("%s (%s)", z.name, z.id)
}

// symbolicName writes a name as comparable text: a literal as written,
// !Ref X as ${X}, !Sub text with its local variables substituted. ok is
// false for forms only CloudFormation can evaluate.
func symbolicName(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case templates.Fn:
		switch x.Name {
		case templates.FnRef:
			name, ok := x.Arg.(string)
			return "${" + name + "}", ok
		case templates.FnSub:
			return subText(x.Arg)
		}
	}
	return "", false
}

// subText substitutes a !Sub's local variables into its text.
func subText(arg any) (string, bool) {
	if text, ok := arg.(string); ok {
		return text, true
	}
	parts, ok := arg.([]any)
	if !ok || len(parts) != 2 {
		return "", false
	}
	text, ok := parts[0].(string)
	vars, isMap := parts[1].(*templates.Map)
	if !ok || !isMap {
		return "", false
	}
	for _, k := range vars.Keys() {
		if !strings.Contains(text, "${"+k+"}") {
			continue
		}
		value, _ := vars.Get(k)
		s, ok := symbolicName(value)
		if !ok {
			return "", false
		}
		text = strings.ReplaceAll(text, "${"+k+"}", s)
	}
	return text, true
}

// canonicalName is a name as DNS compares it: case-insensitive, the root's
// trailing dot implied.
func canonicalName(name string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
}

// shortForm writes a symbolic name as a reviewer would type it in YAML.
func shortForm(name string) string {
	if strings.HasPrefix(name, "${") && strings.HasSuffix(name, "}") && strings.Count(name, "${") == 1 {
		return "!Ref " + name[2:len(name)-1]
	}
	if strings.Contains(name, "${") {
		return "!Sub " + name
	}
	return name
}
