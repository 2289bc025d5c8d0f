package stacks

import (
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// renderDiscovery builds the service-discovery stack with s, applies the
// overrides (id, path, value) and renders it.
func renderDiscovery(t *testing.T, s ServiceDiscovery, overrides ...[3]any) error {
	t.Helper()
	tmpl := templates.New("service-discovery", "test")
	s.Build(tmpl)
	for _, o := range overrides {
		tmpl.Override(o[0].(string), o[1].(string), o[2])
	}
	_, err := templates.Render(tmpl, templates.YAML, rules.All())
	return err
}

func TestRecordOutsideZoneFailsGeneration(t *testing.T) {
	err := renderDiscovery(t, DefaultServiceDiscovery(),
		[3]any{"CacheMyappRecord", "Properties.Name", "cache-myapp.example.com"})
	want := "service-discovery: CacheMyappRecord: Properties.Name: record name cache-myapp.example.com is not in hosted zone ${ZoneName} (PrivateZone), " +
		"so Route 53 rejects it at deploy time: end the name with .${ZoneName}, e.g. !Sub cache-myapp.${ZoneName} [records_in_zone]"
	if err == nil || err.Error() != want {
		t.Fatalf("got error\n  %v\nwant\n  %s", err, want)
	}
}

func TestSearchDomainOtherThanZoneFailsGeneration(t *testing.T) {
	err := renderDiscovery(t, DefaultServiceDiscovery(),
		[3]any{"DhcpOptions", "Properties.DomainName", "ec2.internal"})
	want := "service-discovery: DhcpOptions: Properties.DomainName: search domain ec2.internal is not the VPC's private zone ${ZoneName} (PrivateZone), " +
		"so hosts cannot resolve short service names: set DomainName to the zone's name, e.g. !Ref ZoneName [search_domain_is_zone]"
	if err == nil || err.Error() != want {
		t.Fatalf("got error\n  %v\nwant\n  %s", err, want)
	}
}

func TestServiceDiscoveryOptions(t *testing.T) {
	s := ServiceDiscovery{Names: []blocks.ServiceName{
		{Label: "cache-myapp", Resource: discoveryCache, Attribute: "ConfigurationEndpoint.Address"},
		{Label: "memcached.myapp", Resource: discoveryCache, Attribute: "ConfigurationEndpoint.Address"},
	}}
	tmpl := templates.New("service-discovery", "test")
	s.Build(tmpl)
	body, err := templates.Render(tmpl, templates.YAML, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	out := string(body)
	for _, want := range []string{
		"  MemcachedMyappRecord:\n", "Name: !Sub memcached.myapp.${ZoneName}\n", "  MemcachedMyappName:\n",
		"MaxLength: 237\n", // 253 minus "memcached.myapp."
	} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q", want)
		}
	}
	if strings.Contains(out, "DHCP") {
		t.Error("SearchDomain off, yet the render has DHCP options")
	}
}
