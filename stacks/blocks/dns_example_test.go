package blocks_test

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/rds"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// Where the orders service listens (SRV) and how clients should call it
// (TXT), in a private zone.
func ExamplePrivateZone_AddService() {
	t := templates.New("names", "Service names")
	t.Parameter("ZoneName", cloudformation.Parameter{Type: "String", Default: "service.internal"})
	t.Parameter("VpcId", cloudformation.Parameter{Type: "AWS::EC2::VPC::Id"})
	t.Parameter("RecordTTL", cloudformation.Parameter{Type: "Number", Default: 60})
	zone := blocks.PrivateZone{ID: "Zone", NameParam: "ZoneName", VPCParam: "VpcId", TTLParam: "RecordTTL"}
	t.Resource("Zone", zone.HostedZone("names of this VPC's services"), "Private zone: its names resolve only inside the VPC")
	zone.AddService(t, blocks.ServiceRecord{Service: "orders", Target: "orders-lb.example.net", Port: 8443})
	zone.AddSetting(t, blocks.Setting{Label: "config.orders", Values: map[string]string{
		"version": "2", "token-parameter-name": "/orders/token",
	}})
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Service names
	//
	// Parameters:
	//   ZoneName:
	//     Type: String
	//     Default: service.internal
	//
	//   VpcId:
	//     Type: AWS::EC2::VPC::Id
	//
	//   RecordTTL:
	//     Type: Number
	//     Default: 60
	//
	// Resources:
	//   # Private zone: its names resolve only inside the VPC
	//   Zone:
	//     Type: AWS::Route53::HostedZone
	//     Properties:
	//       HostedZoneConfig:
	//         Comment: names of this VPC's services
	//       HostedZoneTags:
	//         - Key: Name
	//           Value: !Ref ZoneName
	//       Name: !Ref ZoneName
	//       VPCs:
	//         - VPCId: !Ref VpcId
	//           VPCRegion: !Ref AWS::Region
	//
	//   # Host and port of orders: clients look both up, so either may change
	//   OrdersSrvRecord:
	//     Type: AWS::Route53::RecordSet
	//     Properties:
	//       HostedZoneId: !Ref Zone
	//       Name: !Sub _orders._tcp.${ZoneName}
	//       ResourceRecords:
	//         - 0 0 8443 orders-lb.example.net
	//       TTL: !Ref RecordTTL
	//       Type: SRV
	//
	//   # Configuration clients read from DNS: token-parameter-name, version
	//   ConfigOrdersTxtRecord:
	//     Type: AWS::Route53::RecordSet
	//     Properties:
	//       HostedZoneId: !Ref Zone
	//       Name: !Sub config.orders.${ZoneName}
	//       ResourceRecords:
	//         - "\"token-parameter-name=/orders/token\""
	//         - "\"version=2\""
	//       TTL: !Ref RecordTTL
	//       Type: TXT
	//
	// Outputs:
	//   OrdersService:
	//     Value: !Sub _orders._tcp.${ZoneName}
	//     Description: SRV name of orders (host and port)
}

// A stable name for a database endpoint, updated when the database is
// replaced.
func ExamplePrivateZone_AddName() {
	t := templates.New("names", "Service names")
	t.Parameter("ZoneName", cloudformation.Parameter{Type: "String", Default: "service.internal"})
	t.Parameter("VpcId", cloudformation.Parameter{Type: "AWS::EC2::VPC::Id"})
	t.Parameter("RecordTTL", cloudformation.Parameter{Type: "Number", Default: 60})
	t.Parameter("DatabaseSnapshot", cloudformation.Parameter{Type: "String", Description: cloudformation.String("Snapshot the database is restored from")})
	zone := blocks.PrivateZone{ID: "Zone", NameParam: "ZoneName", VPCParam: "VpcId", TTLParam: "RecordTTL"}
	t.Resource("Zone", zone.HostedZone("names of this VPC's services"), "Private zone: its names resolve only inside the VPC")
	t.Resource("Database", &rds.DBInstance{
		DBInstanceClass:                      cloudformation.String("db.t4g.micro"),
		Engine:                               cloudformation.String("postgres"),
		DBSnapshotIdentifier:                 cloudformation.String(cloudformation.Ref("DatabaseSnapshot")),
		StorageEncrypted:                     cloudformation.Bool(true),
		DeletionProtection:                   cloudformation.Bool(true),
		AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Snapshot"),
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Snapshot"),
	}, "the orders database")
	zone.AddName(t, blocks.ServiceName{Label: "db-orders", Resource: "Database", Attribute: "Endpoint.Address"})
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Service names
	//
	// Parameters:
	//   ZoneName:
	//     Type: String
	//     Default: service.internal
	//
	//   VpcId:
	//     Type: AWS::EC2::VPC::Id
	//
	//   RecordTTL:
	//     Type: Number
	//     Default: 60
	//
	//   DatabaseSnapshot:
	//     Type: String
	//     Description: Snapshot the database is restored from
	//
	// Resources:
	//   # Private zone: its names resolve only inside the VPC
	//   Zone:
	//     Type: AWS::Route53::HostedZone
	//     Properties:
	//       HostedZoneConfig:
	//         Comment: names of this VPC's services
	//       HostedZoneTags:
	//         - Key: Name
	//           Value: !Ref ZoneName
	//       Name: !Ref ZoneName
	//       VPCs:
	//         - VPCId: !Ref VpcId
	//           VPCRegion: !Ref AWS::Region
	//
	//   # the orders database
	//   Database:
	//     Type: AWS::RDS::DBInstance
	//     DeletionPolicy: Snapshot
	//     UpdateReplacePolicy: Snapshot
	//     Properties:
	//       DBInstanceClass: db.t4g.micro
	//       DBSnapshotIdentifier: !Ref DatabaseSnapshot
	//       DeletionProtection: true
	//       Engine: postgres
	//       StorageEncrypted: true
	//
	//   # Stable name for Database.Endpoint.Address: updated in the same stack update when the endpoint changes
	//   DbOrdersRecord:
	//     Type: AWS::Route53::RecordSet
	//     Properties:
	//       HostedZoneId: !Ref Zone
	//       Name: !Sub db-orders.${ZoneName}
	//       ResourceRecords:
	//         - !GetAtt Database.Endpoint.Address
	//       TTL: !Ref RecordTTL
	//       Type: CNAME
	//
	// Outputs:
	//   DbOrdersName:
	//     Value: !Sub db-orders.${ZoneName}
	//     Description: DNS name of Database (CNAME to its Endpoint.Address)
}
