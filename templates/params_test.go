package templates

import (
	"strings"
	"testing"
)

func TestCheckValue(t *testing.T) {
	required := Parameter{Name: "R", Type: "String"}
	pattern := Parameter{Name: "P", Type: "String", HasDefault: true, AllowedPattern: `[a-z]+`}
	bad := Parameter{Name: "B", Type: "String", HasDefault: true, AllowedPattern: `(?<=x)y`} // not RE2: not checked here
	list := Parameter{Name: "L", Type: "List<AWS::EC2::Subnet::Id>", AllowedValues: []string{"subnet-0123abcd", "subnet-89abcdef"}}
	subnets := Parameter{Name: "SL", Type: "List<AWS::EC2::Subnet::Id>"}
	csv := Parameter{Name: "C", Type: "CommaDelimitedList", HasDefault: true, AllowedPattern: `[a-z]+`, MaxLength: "3"}
	numbers := Parameter{Name: "LN", Type: "List<Number>", HasDefault: true}
	vpc := Parameter{Name: "V", Type: "AWS::EC2::VPC::Id"}
	zone := Parameter{Name: "Z", Type: "AWS::Route53::HostedZone::Id"}
	az := Parameter{Name: "AZ", Type: "AWS::EC2::AvailabilityZone::Name"}
	ssmName := Parameter{Name: "SN", Type: "AWS::SSM::Parameter::Name"}
	ssmValue := Parameter{Name: "SV", Type: "AWS::SSM::Parameter::Value<String>", HasDefault: true}
	allowed := Parameter{Name: "A", Type: "String", HasDefault: true, AllowedValues: []string{"dev", "prod"}}
	partial := Parameter{Name: "PP", Type: "String", HasDefault: true, AllowedPattern: `[0-9]`}
	num := Parameter{Name: "N", Type: "Number", HasDefault: true}
	ranged := Parameter{Name: "M", Type: "Number", HasDefault: true, MinValue: "2", MaxValue: "60"}
	short := Parameter{Name: "S", Type: "String", HasDefault: true, MaxLength: "3"}
	long := Parameter{Name: "T", Type: "String", HasDefault: true, MinLength: "2"}
	cases := []struct {
		p     Parameter
		value string
		want  string // "" = accepted
	}{
		{required, "", "has no default, so it needs a value"},
		{required, "x", ""},
		{pattern, "abc", ""},
		{pattern, "abc1", `parameter P is "abc1": it must match [a-z]+`},
		{pattern, "", `parameter P is "": it must match`},
		{bad, "anything", ""},
		{list, "subnet-0123abcd,subnet-89abcdef", ""},
		{list, "subnet-0123abcd, subnet-89abcdef", ""},
		{list, "subnet-0123abcd,subnet-00000000", `parameter L is "subnet-00000000", which is not one of its allowed values`},
		{subnets, "subnet-0123abcd,subnet-1", `parameter SL is "subnet-1", which is not a subnet id`},
		{list, "", "has no default, so it needs a value"},
		{csv, "abcd,efgh", ""}, // MaxLength is for String
		{csv, "abc,EF", `parameter C is "EF": it must match [a-z]+`},
		{numbers, "1,2.5,-3", ""},
		{numbers, "1,two", `parameter LN is a Number, and "two" is not a number`},
		{vpc, "vpc-0abc12345def67890", ""},
		{vpc, "vpc-1a2b3c4d", ""},
		{vpc, "vpc-XYZ", `parameter V is "vpc-XYZ", which is not a VPC id`},
		{vpc, "subnet-1a2b3c4d", "which is not a VPC id"},
		{zone, "Z0123456789ABCDEFGHIJ", ""},
		{zone, "z123", "which is not a hosted zone id"},
		{zone, "/hostedzone/Z123", "which is not a hosted zone id"},
		{az, "eu-central-1a", ""},
		{az, "us-gov-west-1b", ""},
		{az, "eu-central-1", "which is not an availability zone"},
		{ssmName, "/formwork/api-token", ""},
		{ssmName, "bad name", "which is not an SSM parameter name"},
		{ssmValue, "/any/name", ""},
		{allowed, "prod", ""},
		{allowed, "Prod", `parameter A is "Prod", which is not one of its allowed values: dev, prod`},
		{partial, "1", ""},
		{partial, "12", "it must match [0-9]"}, // the whole value, not a part
		{num, "1.5", ""},
		{num, "-3", ""},
		{num, "3x", "is a Number"},
		{num, "NaN", "is a Number"},
		{num, "Inf", "is a Number"},
		{num, "1e3", ""},
		{ranged, "2", ""},
		{ranged, "60", ""},
		{ranged, "1", `parameter M is "1": it must be 2 to 60`},
		{ranged, "61", "it must be 2 to 60"},
		{short, "äöü", ""},
		{short, "abcd", `parameter S is "abcd": it must be at most 3 characters`},
		{long, "a", "it must be at least 2 characters"},
	}
	for _, c := range cases {
		got := c.p.Check(c.value)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s=%q: got %q, want %q", c.p.Name, c.value, got, c.want)
		}
	}
}
