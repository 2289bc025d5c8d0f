package blocks

import (
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestAddServiceAndSetting(t *testing.T) {
	z := PrivateZone{ID: "Zone", NameParam: "ZoneName", VPCParam: "VpcId", TTLParam: "TTL"}
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		t.Parameter("ZoneName", cloudformation.Parameter{Type: "String"})
		t.Parameter("VpcId", cloudformation.Parameter{Type: "AWS::EC2::VPC::Id"})
		t.Parameter("TTL", cloudformation.Parameter{Type: "Number"})
		t.Resource("Zone", z.HostedZone("test"), "")
		z.AddService(t, ServiceRecord{Service: "orders", Target: z.FQDN("orders-host"), Port: 8443, Priority: 1, Weight: 2})
		z.AddService(t, ServiceRecord{Service: "metrics", Protocol: "udp", Target: "collector.example.net", Port: 8125})
		z.AddSetting(t, Setting{Label: "config.orders", Values: map[string]string{"region": "eu-west-1", "mode": `say "hi"`}})
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, out,
		"  OrdersSrvRecord:\n    Type: AWS::Route53::RecordSet\n", "Name: !Sub _orders._tcp.${ZoneName}\n",
		"        - !Sub\n          - 1 2 8443 ${Target}\n          - Target: !Sub orders-host.${ZoneName}\n",
		"Name: !Sub _metrics._udp.${ZoneName}\n", "        - 0 0 8125 collector.example.net\n",
		"  OrdersService:\n    Value: !Sub _orders._tcp.${ZoneName}\n",
		"  ConfigOrdersTxtRecord:\n", "Type: TXT\n",
		"        - \"\\\"mode=say \\\\\\\"hi\\\\\\\"\\\"\"\n        - \"\\\"region=eu-west-1\\\"\"\n")
}
