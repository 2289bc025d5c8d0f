package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

var recordsInZone = templates.Rule{
	ID:      "records_in_zone",
	Summary: "a record set's name lies inside its hosted zone",
	Why:     "Route 53 rejects a name outside the zone at deploy time",
	Check:   checkRecordsInZone,
}

// dnsLabel is one label of a host name as Route 53 stores it, or the * of a
// wildcard record.
var dnsLabel = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?|\*)$`) })

// checkRecordsInZone: a record's name must lie inside the hosted zone it is
// created in, and a CNAME cannot sit at the zone apex (Route 53 rejects both
// at deploy time, after the resources before it were created).
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
		if len(label) > maxDNSLabelCharacters || !dnsLabel().MatchString(label) {
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
