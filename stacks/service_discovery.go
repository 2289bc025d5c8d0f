package stacks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/elasticache"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// Stack is the service-discovery stack with these options.
func (s ServiceDiscovery) Stack() templates.Stack {
	return templates.Stack{
		Name:        "service-discovery",
		Description: "Stable DNS names for backing services: Route 53 private hosted zone in a VPC, CNAME cache-myapp.<zone> to a Memcached cluster, the zone as the VPC's DHCP search domain",
		Build:       s.Build,
	}
}

// ServiceDiscovery is the shape of the service-discovery stack.
type ServiceDiscovery struct {
	// Names are the stable names published in the zone, each a CNAME to an
	// endpoint attribute of a resource in the stack. Add a line to add a
	// name, e.g. {Label: "db-myapp", Resource: "Database", Attribute:
	// "Endpoint.Address"} for an RDS instance declared in Build; Build
	// puts each name in the stack's zone.
	Names []blocks.ServiceName
	// SearchDomain declares DHCP options with the zone as domain name and
	// AmazonProvidedDNS as name server, and associates them with the VPC so
	// hosts resolve short names (cache-myapp). The association REPLACES the
	// DHCP options set the VPC uses now (its search domain, name, NTP and
	// NetBIOS servers) for every instance in it; turn this off when the VPC
	// is shared or its options are managed elsewhere.
	SearchDomain bool
}

// Logical ids and parameters the stack's resources refer to each other by.
const (
	discoveryZone        = "PrivateZone"
	discoveryCache       = "CacheCluster"
	discoveryCacheGroup  = "CacheSecurityGroup"
	discoveryCacheSubnet = "CacheSubnetGroup"
	discoveryClientGroup = "ClientSecurityGroupId"
	discoverySubnets     = "CacheSubnetIds"
	discoveryNodeType    = "CacheNodeType"
	discoveryNodeCount   = "CacheNodeCount"
	discoveryMultiNode   = "MultipleCacheNodes"
	// memcachedPort is the port the cluster listens on and the only one its
	// security group admits.
	memcachedPort = 11211
	// memcachedVersion is the engine version: 1.6.12 is the first with
	// transit encryption.
	memcachedVersion = "1.6.22"
	// maxMemcachedNodes is ElastiCache's limit for NumCacheNodes with Memcached.
	maxMemcachedNodes = 40
)

// discoveryZoneSpec is the zone and the parameters it is built from.
var discoveryZoneSpec = blocks.PrivateZone{ID: discoveryZone, NameParam: "ZoneName", VPCParam: "VpcId", TTLParam: "RecordTTL",
	Description: "Stable names for this VPC's backing services (formwork service-discovery)",
	Comment:     "Private zone: its names resolve only inside the VPC. Retained: clients add records to it outside the stack"}

// DefaultServiceDiscovery is the stack as committed in golden/: one name for
// the cache, search domain on.
func DefaultServiceDiscovery() ServiceDiscovery {
	return ServiceDiscovery{
		Names: []blocks.ServiceName{
			{Label: "cache-myapp", Resource: discoveryCache, Attribute: "ConfigurationEndpoint.Address"},
		},
		SearchDomain: true,
	}
}

// Build declares the template: parameters, the zone, the cache, the names,
// then the search domain.
func (s ServiceDiscovery) Build(t *templates.Template) {
	z := discoveryZoneSpec
	s.parameters(t)
	t.Condition(discoveryMultiNode, cloudformation.Not([]string{
		cloudformation.Equals(cloudformation.Ref(discoveryNodeCount), "1"),
	}))
	z.Add(t)
	memcachedCluster(t)
	t.Output("ZoneId", cloudformation.Output{
		Description: cloudformation.String("Route 53 hosted zone id, for records added outside this stack"),
		Value:       cloudformation.Ref(z.ID),
		Export:      &cloudformation.Export{Name: cloudformation.Sub("${AWS::StackName}-ZoneId")},
	})
	for _, n := range s.Names {
		n.Zone = z
		n.Add(t)
	}
	if s.SearchDomain {
		blocks.SearchDomain{ID: "DhcpOptions", Zone: z}.Add(t)
	}
}

func (s ServiceDiscovery) parameters(t *templates.Template) {
	z := discoveryZoneSpec
	t.Parameter(z.NameParam, cloudformation.Parameter{
		Type:        "String",
		Description: cloudformation.String("Name of the private zone, e.g. service.internal; services are named <service>.<zone>."),
		Default:     "service.internal",
		// Lower-case labels of letters, digits and inner hyphens, at least two.
		AllowedPattern:        cloudformation.String(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`),
		ConstraintDescription: cloudformation.String("a lower-case domain name of at least two labels, such as service.internal, without a trailing dot"),
		MaxLength:             cloudformation.Int(s.maxZoneNameLength()),
	})
	t.Parameter(z.TTLParam, cloudformation.Parameter{
		Type:        "Number",
		Description: cloudformation.String("Seconds resolvers may cache a service name: how long clients keep using an old endpoint after it changes."),
		Default:     60,
		MinValue:    cloudformation.Float64(0),
		MaxValue:    cloudformation.Float64(86400),
	})
	t.Parameter(z.VPCParam, cloudformation.Parameter{
		Type:        "AWS::EC2::VPC::Id",
		Description: cloudformation.String("VPC the zone answers in and the cache runs in; it needs DNS resolution and DNS hostnames enabled."),
	})
	t.Parameter(discoverySubnets, cloudformation.Parameter{
		Type:        "List<AWS::EC2::Subnet::Id>",
		Description: cloudformation.String("Private subnets of the VPC for the cache nodes, in different Availability Zones."),
	})
	t.Parameter(discoveryClientGroup, cloudformation.Parameter{
		Type:        "AWS::EC2::SecurityGroup::Id",
		Description: cloudformation.String("Security group of the clients: the only source admitted to the cache's port 11211."),
	})
	t.Parameter(discoveryNodeType, cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("ElastiCache node type of every cache node."),
		Default:               "cache.t4g.micro",
		AllowedPattern:        cloudformation.String(`^cache\.[a-z0-9]+\.[a-z0-9]+$`),
		ConstraintDescription: cloudformation.String("an ElastiCache node type such as cache.t4g.micro or cache.r7g.large"),
	})
	t.Parameter(discoveryNodeCount, cloudformation.Parameter{
		Type:        "Number",
		Description: cloudformation.String("Number of Memcached nodes; with more than one they are spread across Availability Zones."),
		Default:     2,
		MinValue:    cloudformation.Float64(1),
		MaxValue:    cloudformation.Float64(maxMemcachedNodes),
	})
	t.ParameterGroup("Names", z.NameParam, z.TTLParam)
	t.ParameterGroup("Network", z.VPCParam, discoverySubnets, discoveryClientGroup)
	t.ParameterGroup("Cache", discoveryNodeType, discoveryNodeCount)
	t.Rule("NetworkInVpc", map[string]any{
		"Assertions": []any{
			map[string]any{
				"Assert": map[string]any{"Fn::EachMemberEquals": []any{
					map[string]any{"Fn::ValueOf": []any{discoverySubnets, "VpcId"}},
					cloudformation.Ref(z.VPCParam),
				}},
				"AssertDescription": "The cache subnets must be in the VPC.",
			},
		},
	})
}

// maxZoneNameLength keeps every service name within DNS's 253 characters.
func (s ServiceDiscovery) maxZoneNameLength() int {
	longest := 0
	for _, n := range s.Names {
		longest = max(longest, len(n.Label))
	}
	return 253 - longest - 1
}

// memcachedCluster declares the cache, its subnet group and its security
// group.
func memcachedCluster(t *templates.Template) {
	z := discoveryZoneSpec
	t.Resource(discoveryCacheGroup, &ec2.SecurityGroup{
		GroupDescription: "Memcached nodes: port 11211 from the client security group only",
		VpcId:            cloudformation.String(cloudformation.Ref(z.VPCParam)),
		SecurityGroupIngress: []ec2.SecurityGroup_Ingress{{
			Description:           cloudformation.String("Memcached from the clients"),
			IpProtocol:            "tcp",
			FromPort:              cloudformation.Int(memcachedPort),
			ToPort:                cloudformation.Int(memcachedPort),
			SourceSecurityGroupId: cloudformation.String(cloudformation.Ref(discoveryClientGroup)),
		}},
		// Replaces the default allow-all egress rule: cache nodes only answer
		// (security groups are stateful) and never open connections.
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{{
			Description: cloudformation.String("No outbound traffic: loopback only"),
			IpProtocol:  "-1",
			CidrIp:      cloudformation.String("127.0.0.1/32"),
		}},
		Tags: []tags.Tag{{Key: "Name", Value: cloudformation.Sub("${AWS::StackName}-cache")}},
	}, "Admits Memcached clients by their security group, nothing else")
	t.Resource(discoveryCacheSubnet, &elasticache.SubnetGroup{
		Description: "Subnets of the service-discovery cache nodes",
		Tags:        []tags.Tag{{Key: "Name", Value: cloudformation.Sub("${AWS::StackName}-cache")}},
	}, "")
	// goformation types SubnetIds as a list of strings; the parameter is
	// already the list.
	t.Override(discoveryCacheSubnet, "Properties.SubnetIds", cloudformation.Ref(discoverySubnets))
	deletion, replace := blocks.Transient.Policies()
	t.Resource(discoveryCache, &elasticache.CacheCluster{
		Engine: "memcached",
		// Transit encryption needs Memcached 1.6.12 or later; clients then
		// connect with TLS.
		EngineVersion:                        cloudformation.String(memcachedVersion),
		TransitEncryptionEnabled:             cloudformation.Bool(true),
		CacheNodeType:                        cloudformation.Ref(discoveryNodeType),
		AZMode:                               cloudformation.String(cloudformation.If(discoveryMultiNode, "cross-az", "single-az")),
		Port:                                 cloudformation.Int(memcachedPort),
		CacheSubnetGroupName:                 cloudformation.String(cloudformation.Ref(discoveryCacheSubnet)),
		VpcSecurityGroupIds:                  []string{cloudformation.GetAtt(discoveryCacheGroup, "GroupId")},
		Tags:                                 []tags.Tag{{Key: "Name", Value: cloudformation.Sub("${AWS::StackName}-cache")}},
		AWSCloudFormationDeletionPolicy:      deletion,
		AWSCloudFormationUpdateReplacePolicy: replace,
	}, "Memcached over TLS; clients use its configuration endpoint through the stable name. Transient: a cache, deleted with the stack")
	// goformation types NumCacheNodes as an int, which cannot hold a !Ref.
	t.Override(discoveryCache, "Properties.NumCacheNodes", cloudformation.Ref(discoveryNodeCount))
}
