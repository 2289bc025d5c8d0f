package rules

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/route53"
	"github.com/formwork-dev/formwork/templates"
)

// zoneTree is a template with a private zone named zoneName in VPC
// !Ref VpcId, and the given extra resources.
func zoneTree(t *testing.T, zoneName string, resources map[string]cloudformation.Resource, order ...string) *templates.Map {
	t.Helper()
	tmpl := templates.New("dns", "test")
	for _, p := range []string{"ZoneName", "VpcId", "OtherVpcId"} {
		tmpl.Parameter(p, cloudformation.Parameter{Type: "String"})
	}
	tmpl.Resource("Zone", &route53.HostedZone{
		Name: cloudformation.String(zoneName),
		VPCs: []route53.HostedZone_VPC{{VPCId: cloudformation.Ref("VpcId"), VPCRegion: cloudformation.Ref("AWS::Region")}},
	}, "")
	for _, id := range order {
		tmpl.Resource(id, resources[id], "")
	}
	tree, err := tmpl.Tree()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func cname(name string) *route53.RecordSet {
	return &route53.RecordSet{
		HostedZoneId: cloudformation.String(cloudformation.Ref("Zone")), Name: name, Type: "CNAME",
		TTL: cloudformation.String("60"), ResourceRecords: []string{"target.example.com"},
	}
}

func TestRecordNames(t *testing.T) {
	cases := []struct {
		zone, record string
		problem      string // "" when the record is fine
	}{
		{cloudformation.Ref("ZoneName"), cloudformation.Sub("cache.${ZoneName}"), ""},
		{cloudformation.Ref("ZoneName"), cloudformation.Sub("cache.${ZoneName}."), ""},
		{cloudformation.Ref("ZoneName"), cloudformation.SubVars("cache.${Z}", map[string]any{"Z": cloudformation.Ref("ZoneName")}), ""},
		{"Service.Internal.", "cache.service.internal", ""},
		{"service.internal", "*.service.internal", ""},
		{"service.internal", "a.b.service.internal", ""},
		{"service.internal", cloudformation.Join(".", []string{"cache", "service.internal"}), ""}, // not comparable: skipped
		{cloudformation.Ref("ZoneName"), "cache.service.internal", "record name cache.service.internal is not in hosted zone ${ZoneName} (Zone)"},
		{"service.internal", "cache.myservice.internal", "is not in hosted zone service.internal (Zone), so Route 53 rejects it at deploy time: end the name with .service.internal, e.g. cache.service.internal"},
		{"service.internal", cloudformation.Sub("cache.${ZoneName}"), "e.g. cache.service.internal"},
		{"service.internal", "service.internal", "a CNAME cannot be at the apex of hosted zone service.internal (Zone)"},
		{"service.internal", "my cache.service.internal", `has label "my cache", which is not a DNS host label`},
		{"service.internal", "-cache.service.internal", `has label "-cache"`},
	}
	for _, c := range cases {
		tree := zoneTree(t, c.zone, map[string]cloudformation.Resource{"Record": cname(c.record)}, "Record")
		got := checkRecordsInZone("dns", tree)
		switch {
		case c.problem == "" && len(got) > 0:
			t.Errorf("zone %q, record %q: unexpected %v", c.zone, c.record, got)
		case c.problem != "" && (len(got) != 1 || !strings.Contains(got[0].String(), c.problem)):
			t.Errorf("zone %q, record %q: got %v, want a finding containing %q", c.zone, c.record, got, c.problem)
		case c.problem != "" && !strings.HasPrefix(got[0].String(), "dns: Record: Properties.Name: "):
			t.Errorf("finding not located at the record's name: %s", got[0])
		}
	}
}

func TestRecordSetGroupAndZoneByName(t *testing.T) {
	group := &route53.RecordSetGroup{
		HostedZoneName: cloudformation.String("service.internal."),
		RecordSets: []route53.RecordSetGroup_RecordSet{
			{Name: "ok.service.internal.", Type: "A", TTL: cloudformation.String("60"), ResourceRecords: []string{"10.0.0.1"}},
			{Name: "bad.example.com.", Type: "A", TTL: cloudformation.String("60"), ResourceRecords: []string{"10.0.0.2"}},
		},
	}
	tree := zoneTree(t, "service.internal", map[string]cloudformation.Resource{"Group": group}, "Group")
	got := checkRecordsInZone("dns", tree)
	if len(got) != 1 || !strings.HasPrefix(got[0].String(), "dns: Group: Properties.RecordSets[1].Name: record name bad.example.com. is not in hosted zone service.internal.,") {
		t.Fatalf("got %v", got)
	}
}

func TestSearchDomains(t *testing.T) {
	options := func(domain *string) *ec2.DHCPOptions {
		return &ec2.DHCPOptions{DomainName: domain, DomainNameServers: []string{"AmazonProvidedDNS"}}
	}
	associate := func(vpc string) *ec2.VPCDHCPOptionsAssociation {
		return &ec2.VPCDHCPOptionsAssociation{DhcpOptionsId: cloudformation.Ref("Options"), VpcId: cloudformation.Ref(vpc)}
	}
	cases := []struct {
		name    string
		domain  *string
		vpc     string // VPC the options are associated with; "" for none
		problem string
	}{
		{"zone by Ref", cloudformation.String(cloudformation.Ref("ZoneName")), "VpcId", ""},
		{"zone by Sub, trailing dot", cloudformation.String(cloudformation.Sub("${ZoneName}.")), "VpcId", ""},
		{"zone among several domains", cloudformation.String(cloudformation.Sub("${ZoneName} ec2.internal")), "VpcId", ""},
		{"not comparable", cloudformation.String(cloudformation.ImportValue("Domain")), "VpcId", ""},
		{"not associated", cloudformation.String("ec2.internal"), "", ""},
		{"associated with another VPC", cloudformation.String("ec2.internal"), "OtherVpcId", ""},
		{"other domain", cloudformation.String("ec2.internal"), "VpcId", "dns: Options: Properties.DomainName: search domain ec2.internal is not the VPC's private zone ${ZoneName} (Zone)"},
		{"literal other domain", cloudformation.String("service.internal"), "VpcId", "search domain service.internal is not"},
		{"no domain", nil, "VpcId", "dns: Options: Properties.DomainName: no search domain, although the VPC has private zone ${ZoneName} (Zone)"},
	}
	for _, c := range cases {
		resources := map[string]cloudformation.Resource{"Options": options(c.domain)}
		order := []string{"Options"}
		if c.vpc != "" {
			resources["Association"] = associate(c.vpc)
			order = append(order, "Association")
		}
		got := checkSearchDomain("dns", zoneTree(t, cloudformation.Ref("ZoneName"), resources, order...))
		switch {
		case c.problem == "" && len(got) > 0:
			t.Errorf("%s: unexpected %v", c.name, got)
		case c.problem != "" && (len(got) != 1 || !strings.Contains(got[0].String(), c.problem)):
			t.Errorf("%s: got %v, want a finding containing %q", c.name, got, c.problem)
		}
	}
}

func record(recordType, name string, values ...string) *route53.RecordSet {
	return &route53.RecordSet{HostedZoneId: cloudformation.String(cloudformation.Ref("Zone")), Name: name, Type: recordType,
		TTL: cloudformation.String("60"), ResourceRecords: values}
}

func TestServiceAndSettingRecords(t *testing.T) {
	cases := []struct {
		record  *route53.RecordSet
		problem string // "" when the record is fine
	}{
		{record("SRV", "_orders._tcp.service.internal", "0 0 443 orders.service.internal"), ""},
		{record("SRV", "_orders._tcp.service.internal", "10 5 8080 orders.service.internal.", "20 5 8080 backup.example.com"), ""},
		{record("SRV", "_orders._tcp.service.internal", cloudformation.SubVars("0 0 ${Port} ${Target}", map[string]any{"Port": cloudformation.GetAtt("Db", "Endpoint.Port"), "Target": cloudformation.GetAtt("Db", "Endpoint.Address")})), ""},
		{record("SRV", "_orders._tcp.example.com", "0 0 443 orders.service.internal"), "record name _orders._tcp.example.com is not in hosted zone service.internal (Zone)"},
		{record("SRV", "orders.service.internal", "0 0 443 orders.service.internal"),
			"dns: Record: Properties.Name: SRV record name orders.service.internal does not start with _service._proto, so clients looking the service up do not find it: name it like _orders._tcp.<zone> (blocks.ServiceRecord does)"},
		{record("SRV", "_orders.service.internal", "0 0 443 orders.service.internal"), "does not start with _service._proto"},
		{record("SRV", "_orders._tcp.service.internal", "443 orders.service.internal"),
			`dns: Record: Properties.ResourceRecords[0]: SRV value "443 orders.service.internal" must be four fields, "priority weight port target", e.g. "0 0 443 orders.service.internal"`},
		{record("SRV", "_orders._tcp.service.internal", "0 0 70000 orders.service.internal"), `SRV value "0 0 70000 orders.service.internal" has port "70000": use a number from 0 to 65535`},
		{record("SRV", "_orders._tcp.service.internal", "0 0 443 a.service.internal", "x 0 443 b.service.internal"), `dns: Record: Properties.ResourceRecords[1]: SRV value "x 0 443 b.service.internal" has priority "x"`},
		{record("SRV", "_orders._tcp.service.internal", "0 0 443 10.0.0.7"),
			`SRV value "0 0 443 10.0.0.7" targets IP address 10.0.0.7: the target must be a host name (RFC 2782); add an A record and target its name`},
		{record("TXT", "config.service.internal", `"mode=strict"`, `"a=1" "b=2"`, `"quote=\"x\""`), ""},
		{record("TXT", "config.example.com", `"mode=strict"`), "record name config.example.com is not in hosted zone service.internal (Zone)"},
		{record("TXT", "config.service.internal", `mode=strict`),
			`dns: Record: Properties.ResourceRecords[0]: TXT value mode=strict is not one or more double-quoted strings, which Route 53 requires: write it as "mode=strict"`},
		{record("TXT", "config.service.internal", `"open`), "is not one or more double-quoted strings"},
		{record("TXT", "config.service.internal", `"`+strings.Repeat("x", 256)+`"`), `TXT string "xxxxxxxxxxxxxxxxxxxx"... is 256 characters; one string holds at most 255: split it into several quoted strings`},
		{record("TXT", "config.service.internal", `"db_password=hunter2"`),
			`TXT entry "db_password" looks like a secret, and every host in the VPC can read DNS: keep the value in Secrets Manager or SSM SecureString and publish only its name`},
		{record("TXT", "config.service.internal", `"API-Key=abc"`), `TXT entry "API-Key" looks like a secret`},
		{record("TXT", "config.service.internal", `"token=abc"`), `TXT entry "token" looks like a secret`},
		{record("TXT", "config.service.internal", `"token_parameter=/orders/token"`, `"db-secret-arn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"`), ""}, // where the secret is kept
	}
	for _, c := range cases {
		tree := zoneTree(t, "service.internal", map[string]cloudformation.Resource{"Record": c.record}, "Record")
		got := append(checkRecordsInZone("dns", tree), checkRecordValues("dns", tree)...)
		switch {
		case c.problem == "" && len(got) > 0:
			t.Errorf("%s %s %v: unexpected %v", c.record.Type, c.record.Name, c.record.ResourceRecords, got)
		case c.problem != "" && (len(got) != 1 || !strings.Contains(got[0].String(), c.problem)):
			t.Errorf("%s %s %v: got %v, want one finding containing %q", c.record.Type, c.record.Name, c.record.ResourceRecords, got, c.problem)
		}
	}
}

func TestRecordSetGroupValues(t *testing.T) {
	group := &route53.RecordSetGroup{
		HostedZoneId: cloudformation.String(cloudformation.Ref("Zone")),
		RecordSets: []route53.RecordSetGroup_RecordSet{
			{Name: "_ok._tcp.service.internal", Type: "SRV", TTL: cloudformation.String("60"), ResourceRecords: []string{"0 0 443 a.service.internal"}},
			{Name: "config.service.internal", Type: "TXT", TTL: cloudformation.String("60"), ResourceRecords: []string{`"ok=1"`, "bare"}},
		},
	}
	tree := zoneTree(t, "service.internal", map[string]cloudformation.Resource{"Group": group}, "Group")
	got := checkRecordValues("dns", tree)
	if len(got) != 1 || !strings.HasPrefix(got[0].String(), "dns: Group: Properties.RecordSets[1].ResourceRecords[1]: TXT value bare is not one or more double-quoted strings") {
		t.Fatalf("got %v, want the bare TXT value of the group's second record", got)
	}
}
