package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var searchDomainIsZone = templates.Rule{
	ID:      "search_domain_is_zone",
	Summary: "a DHCP search domain is the VPC's private zone",
	Why:     "hosts cannot resolve short service names otherwise",
	Check:   checkSearchDomain,
}

// checkSearchDomain: DHCP options associated with a VPC that has a private
// zone in the template must use that zone as their domain name (search
// domain), or short service names do not resolve.
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
