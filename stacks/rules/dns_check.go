package rules

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// Wiring checks for DNS names, run on every rendered template:
//   - a record's name must lie inside the hosted zone it is created in, and a
//     CNAME cannot sit at the zone apex (Route 53 rejects both at deploy
//     time, after the resources before it were created);
//   - an SRV record is named _service._proto and each of its values is
//     "priority weight port target" with numbers in range and a host name
//     as target; a TXT value is quoted, each string at most 255
//     characters, and holds no key that looks like a secret (every host in
//     the VPC can read it);
//   - DHCP options associated with a VPC that has a private zone in the
//     template must use that zone as their domain name (search domain), or
//     short service names do not resolve.
//
// Names are compared symbolically: a literal as written, !Ref X as ${X},
// !Sub text with its local variables substituted; case and a trailing dot do
// not matter. Forms that only CloudFormation can evaluate (!Join, !If,
// !ImportValue, ...) are not checked.

// dnsRules are the wiring rules of dns.
var dnsRules = templates.Rules{
	{ID: "records_in_zone", Summary: "a record set's name lies inside its hosted zone",
		Why: "Route 53 rejects a name outside the zone at deploy time", Check: checkRecordsInZone},
	{ID: "search_domain_is_zone", Summary: "a DHCP search domain is the VPC's private zone",
		Why: "hosts cannot resolve short service names otherwise", Check: checkSearchDomain},
	{ID: "record_values_valid", Summary: "SRV and TXT records are well formed and hold no secrets",
		Why: "Route 53 rejects malformed values at deploy time, and DNS is readable by every host in the VPC", Check: checkRecordValues},
}

const (
	typeHostedZone        = "AWS::Route53::HostedZone"
	typeRecordSet         = "AWS::Route53::RecordSet"
	typeRecordSetGroup    = "AWS::Route53::RecordSetGroup"
	typeDHCPOptions       = "AWS::EC2::DHCPOptions"
	typeDHCPOptionsAssoc  = "AWS::EC2::VPCDHCPOptionsAssociation"
	maxDNSLabelCharacters = 63
)

// dnsLabel is one label of a host name as Route 53 stores it, or the * of a
// wildcard record.
var dnsLabel = regexp.MustCompile(`^([A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?|\*)$`)

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

func checkRecordsInZone(stack string, tree *templates.Map) []templates.Finding {
	resources := templates.Section(tree, "Resources")
	var out []templates.Finding
	for _, r := range templates.Resources(tree) {
		switch r.Type {
		case typeRecordSet:
			if zone, ok := recordZone(resources, r.Properties); ok {
				out = append(out, checkRecordName(stack, r.ID, "Properties", r.Properties, zone)...)
			}
		case typeRecordSetGroup:
			zone, ok := recordZone(resources, r.Properties)
			if !ok {
				continue
			}
			for i, item := range templates.ListAt(r.Properties, "RecordSets") {
				if record, ok := item.(*templates.Map); ok {
					out = append(out, checkRecordName(stack, r.ID, fmt.Sprintf("Properties.RecordSets[%d]", i), record, zone)...)
				}
			}
		}
	}
	return out
}

// recordZone finds the zone of a record (or record set group) from its
// HostedZoneId (a !Ref to a zone in the template) or its HostedZoneName.
func recordZone(resources *templates.Map, props *templates.Map) (zoneRef, bool) {
	if fn, ok := templates.ValueAt(props, "HostedZoneId").(templates.Fn); ok && fn.Name == templates.FnRef {
		id, _ := fn.Arg.(string)
		if templates.StringAt(resources, id, "Type") != typeHostedZone {
			return zoneRef{}, false
		}
		name, ok := symbolicName(templates.ValueAt(resources, id, "Properties", "Name"))
		return zoneRef{id, name}, ok
	}
	if v := templates.ValueAt(props, "HostedZoneName"); v != nil {
		name, ok := symbolicName(v)
		return zoneRef{"", name}, ok
	}
	return zoneRef{}, false
}

func checkRecordName(stack, id, base string, record *templates.Map, zone zoneRef) []templates.Finding {
	name, ok := symbolicName(templates.ValueAt(record, "Name"))
	if !ok {
		return nil
	}
	finding := func(msg string) []templates.Finding {
		return []templates.Finding{{Stack: stack, LogicalID: id, Path: base + ".Name", Message: msg}}
	}
	rel, inZone := relativeName(name, zone.name)
	switch {
	case !inZone:
		return finding(fmt.Sprintf("record name %s is not in hosted zone %s, so Route 53 rejects it at deploy time: end the name with .%s, e.g. %s",
			name, zone, zone.name, shortForm(firstLabel(name)+"."+zone.name)))
	case rel == "" && templates.StringAt(record, "Type") == "CNAME":
		return finding(fmt.Sprintf("a CNAME cannot be at the apex of hosted zone %s: give it a name inside the zone, e.g. %s", zone, shortForm("service."+zone.name)))
	}
	if bad := badLabel(rel); bad != "" {
		return finding(fmt.Sprintf("record name %s has label %q, which is not a DNS host label: use 1 to %d letters, digits, hyphens or underscores",
			name, bad, maxDNSLabelCharacters))
	}
	return nil
}

// relativeName returns the part of name left of zone ("" at the apex) and
// whether name is in the zone at all.
func relativeName(name, zone string) (string, bool) {
	n, z := canonicalName(name), canonicalName(zone)
	if n == z {
		return "", true
	}
	if !strings.HasSuffix(n, "."+z) {
		return "", false
	}
	return n[:len(n)-len(z)-1], true
}

// badLabel returns the first literal label of rel that is not a DNS label;
// labels holding ${variables} are not checked.
func badLabel(rel string) string {
	if rel == "" {
		return ""
	}
	for _, label := range strings.Split(rel, ".") {
		if strings.Contains(label, "${") {
			continue
		}
		if len(label) > maxDNSLabelCharacters || !dnsLabel.MatchString(label) {
			return label
		}
	}
	return ""
}

// firstLabel is the leftmost label of a name.
func firstLabel(name string) string {
	first, _, _ := strings.Cut(name, ".")
	return first
}

func checkSearchDomain(stack string, tree *templates.Map) []templates.Finding {
	var out []templates.Finding
	for _, options := range templates.ResourcesOfType(tree, typeDHCPOptions) {
		zones := privateZonesOf(tree, associatedVPCs(tree, options.ID))
		if len(zones) == 0 {
			continue
		}
		if f, bad := searchDomainFinding(stack, options.ID, options.Properties, zones); bad {
			out = append(out, f)
		}
	}
	return out
}

func searchDomainFinding(stack, id string, props *templates.Map, zones []zoneRef) (templates.Finding, bool) {
	at := templates.Finding{Stack: stack, LogicalID: id, Path: "Properties.DomainName"}
	fix := "set DomainName to the zone's name, e.g. " + shortForm(zones[0].name)
	raw := templates.ValueAt(props, "DomainName")
	if raw == nil {
		at.Message = fmt.Sprintf("no search domain, although the VPC has private zone %s, so hosts cannot resolve short service names: %s", zones[0], fix)
		return at, true
	}
	domain, ok := symbolicName(raw)
	if !ok {
		return at, false
	}
	for _, d := range strings.Fields(domain) {
		for _, z := range zones {
			if canonicalName(d) == canonicalName(z.name) {
				return at, false
			}
		}
	}
	at.Message = fmt.Sprintf("search domain %s is not the VPC's private zone %s, so hosts cannot resolve short service names: %s", domain, zones[0], fix)
	return at, true
}

// associatedVPCs returns the VPCs (symbolic) that DHCP options optionsID is
// associated with in the template.
func associatedVPCs(tree *templates.Map, optionsID string) map[string]bool {
	vpcs := map[string]bool{}
	for _, assoc := range templates.ResourcesOfType(tree, typeDHCPOptionsAssoc) {
		if fn, ok := templates.ValueAt(assoc.Properties, "DhcpOptionsId").(templates.Fn); !ok || fn.Name != templates.FnRef || fn.Arg != optionsID {
			continue
		}
		if vpc, ok := symbolicName(templates.ValueAt(assoc.Properties, "VpcId")); ok {
			vpcs[vpc] = true
		}
	}
	return vpcs
}

// privateZonesOf returns the hosted zones of the template associated with
// one of vpcs.
func privateZonesOf(tree *templates.Map, vpcs map[string]bool) []zoneRef {
	var zones []zoneRef
	for _, zone := range templates.ResourcesOfType(tree, typeHostedZone) {
		name, ok := symbolicName(templates.ValueAt(zone.Properties, "Name"))
		if !ok {
			continue
		}
		for _, v := range templates.ListAt(zone.Properties, "VPCs") {
			if vpc, ok := symbolicName(templates.ValueAt(v, "VPCId")); ok && vpcs[vpc] {
				zones = append(zones, zoneRef{zone.ID, name})
				break
			}
		}
	}
	return zones
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

// maxTXTString is the longest character string a TXT record holds.
const maxTXTString = 255

// secretKey matches the keys of TXT entries that look like secrets;
// secretReference the keys that name where a secret is kept (which is what
// to publish instead).
var (
	secretKey       = regexp.MustCompile(`(?i)(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential)`)
	secretReference = regexp.MustCompile(`(?i)[_.-](name|arn|parameter|path|id)$`)
)

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
		if key, _, _ := strings.Cut(s, "="); secretKey.MatchString(key) && !secretReference.MatchString(key) {
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
