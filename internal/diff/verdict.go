package diff

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// Replacement is formwork's verdict on whether an update replaces a
// resource (a new physical resource, the old one deleted or retained), as
// CDK's ResourceImpact and Terraform's plans.Action are: one type, decided
// per property by decideProperty and per resource by the worst of its
// properties.
type Replacement string

// Replacement verdicts. Their strings are the JSON schema's.
const (
	ReplaceYes     Replacement = "yes"
	ReplaceMaybe   Replacement = "maybe"   // the template cannot tell; Why says what decides it
	ReplaceNo      Replacement = "no"      // updated in place (Why says when it interrupts, or why it is rejected)
	ReplaceUnknown Replacement = "unknown" // the registry does not describe the type, or a value is unknown
)

var replacementRank = map[Replacement]int{"": 0, ReplaceNo: 1, ReplaceUnknown: 2, ReplaceMaybe: 3, ReplaceYes: 4}

// Worse returns the more severe of two verdicts.
func (r Replacement) Worse(other Replacement) Replacement {
	if replacementRank[other] > replacementRank[r] {
		return other
	}
	return r
}

// decideProperty is the one place a property change gets its verdict:
// what AWS documents for the property (updateRules) where it is definite,
// otherwise the registry's verdict (create-only: yes; conditionally
// create-only: maybe), given as registry and why.
func decideProperty(typ string, property string, registry Replacement, why string, old, new resourceSide) (Replacement, string) {
	if rule, ok := ruleFor(typ, property); ok {
		return rule.decide(old, new, registry, why)
	}
	if registry == ReplaceMaybe && !strings.Contains(why, "decides") {
		why += "; CloudFormation's change set decides (formwork plan shows it)"
	}
	return registry, why
}

// DocumentedInPlace reports a resource updated in place because AWS
// documents the update of each of its changed properties as such (the
// change set may still call it Conditional: the registry's word).
func DocumentedInPlace(r ResourceDiff) bool {
	found := false
	for _, p := range r.Properties {
		if p.Replaces != ReplaceNo {
			return false
		}
		found = found || strings.HasPrefix(p.Why, inPlaceWhy)
	}
	return found
}

// inPlaceWhy starts the reason of an update AWS documents as in place.
const inPlaceWhy = "updated in place"

// decideResource is a resource's verdict: the worst of its properties'.
func decideResource(props []PropertyDiff) Replacement {
	verdict := ReplaceNo
	for _, p := range props {
		verdict = verdict.Worse(p.Replaces)
	}
	return verdict
}

// updateRule is what AWS documents about updating one property, where
// the registry says "conditionally create-only" (or nothing) and the
// documentation is definite, or names what decides it.
type updateRule struct {
	typ, property string
	source        string // the AWS documentation that says so
	decide        func(old, new resourceSide, registry Replacement, why string) (Replacement, string)
}

func ruleFor(typ, property string) (updateRule, bool) {
	typ = registryType(typ)
	for _, r := range updateRules {
		if r.typ == typ && r.property == property {
			return r, true
		}
	}
	return updateRule{}, false
}

const templateReference = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"

// updateRules is written once, from the CloudFormation template reference
// ("Update requires: ..." under each property) and the UpdatePolicy
// attribute's page, each entry naming its page.
var updateRules = []updateRule{
	{"AWS::DynamoDB::Table", "KeySchema", templateReference + "aws-resource-dynamodb-table.html#cfn-dynamodb-table-keyschema",
		always("the key schema cannot change in place (Update requires: Replacement): CloudFormation creates a new, empty table")},
	{"AWS::DynamoDB::Table", "LocalSecondaryIndexes", templateReference + "aws-resource-dynamodb-table.html#cfn-dynamodb-table-localsecondaryindexes",
		always("local secondary indexes are fixed when a table is created (Update requires: Replacement): CloudFormation creates a new, empty table")},
	{"AWS::RDS::DBInstance", "StorageEncrypted", templateReference + "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-storageencrypted",
		always("encryption cannot be turned on or off in place (Update requires: Replacement): CloudFormation creates a new database")},
	{"AWS::RDS::DBCluster", "StorageEncrypted", templateReference + "aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-storageencrypted",
		always("encryption cannot be turned on or off in place (Update requires: Replacement): CloudFormation creates a new cluster")},
	{"AWS::RDS::DBInstance", "EngineVersion", templateReference + "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-engineversion",
		interrupts("the database restarts to upgrade its engine (Update requires: Some interruptions); a major version also needs AllowMajorVersionUpgrade")},
	{"AWS::EC2::Instance", "UserData", templateReference + "aws-resource-ec2-instance.html#cfn-ec2-instance-userdata",
		interrupts("EC2 stops and starts the instance to change its user data (Update requires: Some interruptions); the new script runs only if it is written to run on every boot")},
	{"AWS::EC2::Instance", "InstanceType", templateReference + "aws-resource-ec2-instance.html#cfn-ec2-instance-instancetype",
		interrupts("EC2 stops and starts the instance to resize it (Update requires: Some interruptions)")},
	{"AWS::EC2::Instance", "EbsOptimized", templateReference + "aws-resource-ec2-instance.html#cfn-ec2-instance-ebsoptimized",
		interrupts("EC2 stops and starts the instance (Update requires: Some interruptions)")},
	{"AWS::EC2::Instance", "KernelId", templateReference + "aws-resource-ec2-instance.html#cfn-ec2-instance-kernelid",
		interrupts("EC2 stops and starts the instance (Update requires: Some interruptions)")},
	{"AWS::EC2::Instance", "RamdiskId", templateReference + "aws-resource-ec2-instance.html#cfn-ec2-instance-ramdiskid",
		interrupts("EC2 stops and starts the instance (Update requires: Some interruptions)")},
	{"AWS::AutoScaling::AutoScalingGroup", "LaunchConfigurationName", templateReference + "aws-attribute-updatepolicy.html", byUpdatePolicy},
	{"AWS::AutoScaling::AutoScalingGroup", "LaunchTemplate", templateReference + "aws-attribute-updatepolicy.html", byUpdatePolicy},
	{"AWS::AutoScaling::AutoScalingGroup", "MixedInstancesPolicy", templateReference + "aws-attribute-updatepolicy.html", byUpdatePolicy},
	{"AWS::AutoScaling::AutoScalingGroup", "VPCZoneIdentifier", templateReference + "aws-attribute-updatepolicy.html", byUpdatePolicy},
	{customResourceType, "ServiceToken", templateReference + "aws-resource-cloudformation-customresource.html", rejected},
}

func always(why string) func(old, new resourceSide, registry Replacement, registryWhy string) (Replacement, string) {
	return func(resourceSide, resourceSide, Replacement, string) (Replacement, string) { return ReplaceYes, why }
}

func interrupts(why string) func(old, new resourceSide, registry Replacement, registryWhy string) (Replacement, string) {
	return func(resourceSide, resourceSide, Replacement, string) (Replacement, string) {
		return ReplaceNo, inPlaceWhy + " with an interruption: " + why
	}
}

// rejected: CloudFormation refuses the update (see serviceTokenFailure);
// nothing is replaced. Why a referenced value changes is kept.
func rejected(_, _ resourceSide, _ Replacement, why string) (Replacement, string) {
	if strings.HasPrefix(why, "refers to ") {
		return ReplaceNo, why
	}
	return ReplaceNo, "rejected, not replaced: CloudFormation does not allow changing a custom resource's service token"
}

// byUpdatePolicy: an Auto Scaling group whose launch configuration,
// template, instance mix or subnets change is replaced only under
// AutoScalingReplacingUpdate with WillReplace true; otherwise it is updated
// in place, its instances rolled by AutoScalingRollingUpdate or left until
// they are next replaced.
func byUpdatePolicy(_, new resourceSide, _ Replacement, _ string) (Replacement, string) {
	policy := templates.AsMap(new.body.Value("UpdatePolicy"))
	if replacing, ok := policy.Get("AutoScalingReplacingUpdate"); ok {
		willReplace, _ := field(replacing, "WillReplace")
		switch text, isScalar := scalarText(willReplace); {
		case isScalar && text == "true":
			return ReplaceYes, "UpdatePolicy AutoScalingReplacingUpdate WillReplace: CloudFormation creates a new group and deletes the old one"
		case !isScalar:
			return ReplaceMaybe, "replaced if UpdatePolicy.AutoScalingReplacingUpdate.WillReplace (" + Summarize(willReplace) + ") is true in the deployment"
		}
	}
	if _, ok := policy.Get("AutoScalingRollingUpdate"); ok {
		return ReplaceNo, inPlaceWhy + ": UpdatePolicy AutoScalingRollingUpdate replaces its instances in batches"
	}
	return ReplaceNo, inPlaceWhy + ": without an UpdatePolicy, running instances keep the old configuration until they are replaced"
}
