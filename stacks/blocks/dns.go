package blocks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/route53"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// Building blocks for stable service names in a Route 53 private hosted zone:
// the zone, one CNAME per service pointing at an endpoint attribute that
// changes when its resource is replaced, and the DHCP options that make the
// zone the VPC's search domain. the rules records_in_zone and search_domain_is_zone (stacks/rules) verify the wiring.

// AmazonProvidedDNS is the DHCP name server value for the VPC resolver
// (the VPC's base address plus two), the only resolver that answers for
// private hosted zones without extra Route 53 Resolver endpoints.
const AmazonProvidedDNS = "AmazonProvidedDNS"

// PrivateZone is a Route 53 private hosted zone whose name, VPC and record
// TTL come from parameters of the template.
type PrivateZone struct {
	ID        string // logical id of the AWS::Route53::HostedZone
	NameParam string // parameter holding the zone name, e.g. service.internal
	VPCParam  string // parameter of type AWS::EC2::VPC::Id the zone answers in
	TTLParam  string // parameter holding the records' TTL in seconds
}

// HostedZone is the zone, visible only inside the VPC of the stack's region.
func (z PrivateZone) HostedZone(comment string) *route53.HostedZone {
	return &route53.HostedZone{
		Name:             cloudformation.String(cloudformation.Ref(z.NameParam)),
		HostedZoneConfig: &route53.HostedZone_HostedZoneConfig{Comment: cloudformation.String(comment)},
		VPCs: []route53.HostedZone_VPC{{
			VPCId:     cloudformation.Ref(z.VPCParam),
			VPCRegion: cloudformation.Ref("AWS::Region"),
		}},
		HostedZoneTags: []route53.HostedZone_HostedZoneTag{
			{Key: "Name", Value: cloudformation.Ref(z.NameParam)},
		},
	}
}

// FQDN is !Sub label.${ZoneName}: a name inside the zone.
func (z PrivateZone) FQDN(label string) string {
	return cloudformation.Sub(label + ".${" + z.NameParam + "}")
}

// ServiceName is a stable DNS name, <Label>.<zone>, for an endpoint that
// changes when its resource is replaced: a CNAME to
// !GetAtt <Resource>.<Attribute>. One line adds one name:
//
//	{"db-myapp", "Database", "Endpoint.Address"}
type ServiceName struct {
	Label     string // the name's labels left of the zone, e.g. "cache-myapp"
	Resource  string // logical id of the resource behind the name
	Attribute string // its GetAtt attribute holding a host name, e.g. "Endpoint.Address"
}

// RecordID is the logical id of the name's record: cache-myapp → CacheMyappRecord.
func (n ServiceName) RecordID() string { return pascal(n.Label) + "Record" }

// OutputID is the logical id of the output holding the full name.
func (n ServiceName) OutputID() string { return pascal(n.Label) + "Name" }

// AddName declares the name's CNAME record and an output with the full name.
func (z PrivateZone) AddName(t *templates.Template, n ServiceName) {
	t.Resource(n.RecordID(), &route53.RecordSet{
		HostedZoneId:    cloudformation.String(cloudformation.Ref(z.ID)),
		Name:            z.FQDN(n.Label),
		Type:            "CNAME",
		TTL:             cloudformation.String(cloudformation.Ref(z.TTLParam)),
		ResourceRecords: []string{cloudformation.GetAtt(n.Resource, n.Attribute)},
	}, "Stable name for "+n.Resource+"."+n.Attribute+": updated in the same stack update when the endpoint changes")
	t.Output(n.OutputID(), cloudformation.Output{
		Description: cloudformation.String("DNS name of " + n.Resource + " (CNAME to its " + n.Attribute + ")"),
		Value:       z.FQDN(n.Label),
	})
}

// ServiceRecord says where a service listens, as an SRV record
// _<Service>._<Protocol>.<zone> (RFC 2782): clients look up the host and the
// port together, so a port change is a stack update, not a client release.
type ServiceRecord struct {
	Service  string // e.g. "orders": the record is _orders._tcp.<zone>
	Protocol string // "tcp" (the default) or "udp"
	// Target is the host serving it: a name (z.FQDN("cache-myapp"), or a
	// !GetAtt of an endpoint address), never an IP address.
	Target string
	// Port is an int, or an intrinsic such as
	// cloudformation.GetAtt("Cache", "ConfigurationEndpoint.Port").
	Port any
	// Priority (lower first) and Weight (share among equal priorities) matter
	// only when several records offer the service; 0 and 0 otherwise.
	Priority, Weight int
}

// Name is the record's labels left of the zone: _orders._tcp.
func (r ServiceRecord) Name() string {
	return "_" + r.Service + "._" + orDefault(r.Protocol, "tcp")
}

// RecordID is the record's logical id: orders → OrdersSrvRecord.
func (r ServiceRecord) RecordID() string { return pascal(r.Service) + "SrvRecord" }

// value is "priority weight port target", a !Sub when the port or target
// is an intrinsic.
func (r ServiceRecord) value() string {
	text := fmt.Sprintf("%d %d ${Port} ${Target}", r.Priority, r.Weight)
	vars := map[string]any{}
	port, portIsInt := r.Port.(int)
	if portIsInt {
		text = strings.Replace(text, "${Port}", strconv.Itoa(port), 1)
	} else {
		vars["Port"] = r.Port
	}
	if templates.IsIntrinsic(r.Target) {
		vars["Target"] = r.Target
	} else {
		text = strings.Replace(text, "${Target}", r.Target, 1)
	}
	if len(vars) == 0 {
		return text
	}
	return cloudformation.SubVars(text, vars)
}

// AddService declares the service's SRV record and an output with its name.
func (z PrivateZone) AddService(t *templates.Template, r ServiceRecord) {
	t.Resource(r.RecordID(), &route53.RecordSet{
		HostedZoneId:    cloudformation.String(cloudformation.Ref(z.ID)),
		Name:            z.FQDN(r.Name()),
		Type:            "SRV",
		TTL:             cloudformation.String(cloudformation.Ref(z.TTLParam)),
		ResourceRecords: []string{r.value()},
	}, "Host and port of "+r.Service+": clients look both up, so either may change")
	t.Output(pascal(r.Service)+"Service", cloudformation.Output{
		Description: cloudformation.String("SRV name of " + r.Service + " (host and port)"),
		Value:       z.FQDN(r.Name()),
	})
}

// Setting is non-secret configuration published as a TXT record
// <Label>.<zone>, one "key=value" string per entry (RFC 1464), readable by
// every host in the VPC. Secrets stay in Secrets Manager or SSM: publish
// their names here, never their values (the wiring check refuses keys
// that look like secrets).
type Setting struct {
	Label  string            // e.g. "config.orders"
	Values map[string]string // written sorted by key; each key=value at most 255 characters
}

// RecordID is the record's logical id: config.orders → ConfigOrdersTxtRecord.
func (s Setting) RecordID() string { return pascal(s.Label) + "TxtRecord" }

// AddSetting declares the setting's TXT record.
func (z PrivateZone) AddSetting(t *templates.Template, s Setting) {
	keys := make([]string, 0, len(s.Values))
	for k := range s.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	values := make([]string, len(keys))
	for i, k := range keys {
		values[i] = rules.TXTQuote(k + "=" + s.Values[k])
	}
	t.Resource(s.RecordID(), &route53.RecordSet{
		HostedZoneId:    cloudformation.String(cloudformation.Ref(z.ID)),
		Name:            z.FQDN(s.Label),
		Type:            "TXT",
		TTL:             cloudformation.String(cloudformation.Ref(z.TTLParam)),
		ResourceRecords: values,
	}, "Configuration clients read from DNS: "+strings.Join(keys, ", "))
}

// SearchDomain declares a DHCP options set whose domain name is the zone and
// associates it with the zone's VPC, so that hosts resolve short names
// (cache-myapp) in the zone. The association REPLACES the DHCP options set
// the VPC uses now: every instance in the VPC gets the new search domain and
// name servers when it renews its lease.
func (z PrivateZone) SearchDomain(t *templates.Template, optionsID, associationID string) {
	t.Resource(optionsID, &ec2.DHCPOptions{
		DomainName:        cloudformation.String(cloudformation.Ref(z.NameParam)),
		DomainNameServers: []string{AmazonProvidedDNS},
		Tags:              []tags.Tag{{Key: "Name", Value: cloudformation.Ref(z.NameParam)}},
	}, "Search domain for short service names, resolved by the VPC resolver")
	t.Resource(associationID, &ec2.VPCDHCPOptionsAssociation{
		DhcpOptionsId: cloudformation.Ref(optionsID),
		VpcId:         cloudformation.Ref(z.VPCParam),
	}, "REPLACES the VPC's current DHCP options set (note its id before deploying to restore it later)")
}

// pascal turns a DNS label into a logical id part: cache-myapp → CacheMyapp.
func pascal(label string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(label, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return b.String()
}
