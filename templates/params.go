package templates

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Parameter is what a template declares about one parameter: what
// CloudFormation checks a value against before it changes anything.
type Parameter struct {
	Name, Type, Description string
	Default                 string
	HasDefault              bool
	AllowedValues           []string
	AllowedPattern          string
	ConstraintDescription   string
	NoEcho                  bool
	// Bounds, "" when not set: MinLength/MaxLength for strings,
	// MinValue/MaxValue for numbers.
	MinLength, MaxLength, MinValue, MaxValue string
}

// Parameters lists the template's parameters in declaration order.
func Parameters(tree *Map) []Parameter {
	section := Section(tree, "Parameters")
	out := make([]Parameter, 0, section.Len())
	for _, name := range section.Keys() {
		m := AsMap(section.Value(name))
		p := Parameter{Name: name, Type: textOf(m, "Type"), Description: textOf(m, "Description"),
			AllowedPattern: textOf(m, "AllowedPattern"), ConstraintDescription: textOf(m, "ConstraintDescription")}
		p.MinLength, p.MaxLength = textOf(m, "MinLength"), textOf(m, "MaxLength")
		p.MinValue, p.MaxValue = textOf(m, "MinValue"), textOf(m, "MaxValue")
		if v, ok := m.Get("NoEcho"); ok {
			p.NoEcho = v == true || scalarText(v) == "true"
		}
		if d, ok := m.Get("Default"); ok {
			p.Default, p.HasDefault = scalarText(d), true
		}
		for _, item := range ListAt(m, "AllowedValues") {
			p.AllowedValues = append(p.AllowedValues, scalarText(item))
		}
		out = append(out, p)
	}
	return out
}

func textOf(m *Map, key string) string { return scalarText(m.Value(key)) }

// scalarText is a parameter field as the text CloudFormation compares.
func scalarText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []any: // a list default, e.g. for List<String>
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = scalarText(item)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// Check explains why CloudFormation would refuse value for p, or returns "".
// It checks what CloudFormation checks without calling AWS: a value for a
// parameter with no default, the type (Number, lists, the shape of
// AWS-specific ids), AllowedValues, AllowedPattern (the whole value must
// match), MinLength/MaxLength and MinValue/MaxValue. For a list, each element
// is checked against the type, AllowedValues and AllowedPattern, as
// CloudFormation does; the bounds apply to String and Number only. Whether an id exists in the account is left to CloudFormation.
func (p Parameter) Check(value string) string {
	if !p.HasDefault && value == "" {
		return fmt.Sprintf("parameter %s has no default, so it needs a value", p.Name)
	}
	element, isList := p.elementType()
	if !isList {
		return p.checkOne(element, value, true)
	}
	if value == "" {
		return ""
	}
	for _, item := range strings.Split(value, ",") {
		if msg := p.checkOne(element, strings.TrimSpace(item), false); msg != "" {
			return msg
		}
	}
	return ""
}

// elementType is the type each value has: the element type of a list.
func (p Parameter) elementType() (string, bool) {
	if p.Type == "CommaDelimitedList" {
		return "String", true
	}
	if inner, ok := strings.CutPrefix(p.Type, "List<"); ok {
		return strings.TrimSuffix(inner, ">"), true
	}
	return p.Type, false
}

func (p Parameter) checkOne(typ, value string, bounded bool) string {
	if len(p.AllowedValues) > 0 && !slices.Contains(p.AllowedValues, value) {
		return fmt.Sprintf("parameter %s is %s, which is not one of its allowed values: %s", p.Name, p.shown(value), strings.Join(p.AllowedValues, ", "))
	}
	if typ == "Number" {
		n, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return fmt.Sprintf("parameter %s is a Number, and %s is not a number", p.Name, p.shown(value))
		}
		if msg := p.outside(n, p.MinValue, p.MaxValue, "", value); bounded && msg != "" {
			return msg
		}
	} else if msg := p.outside(float64(len([]rune(value))), p.MinLength, p.MaxLength, " characters", value); bounded && msg != "" {
		return msg
	}
	if shape, ok := idShapes()[typ]; ok && !shape.pattern.MatchString(value) {
		return fmt.Sprintf("parameter %s is %s, which is not %s (%s)", p.Name, p.shown(value), shape.what, p.Type)
	}
	if p.AllowedPattern != "" {
		// CloudFormation matches the whole value.
		re, err := regexp.Compile("^(?:" + p.AllowedPattern + ")$")
		if err == nil && !re.MatchString(value) {
			why := p.ConstraintDescription
			if why == "" {
				why = "it must match " + p.AllowedPattern
			}
			return fmt.Sprintf("parameter %s is %s: %s", p.Name, p.shown(value), strings.TrimSuffix(why, "."))
		}
	}
	return ""
}

// shown is value as a message quotes it: a NoEcho value is never quoted,
// not even its length.
func (p Parameter) shown(value string) string {
	if p.NoEcho {
		return "(a NoEcho value, not shown)"
	}
	return strconv.Quote(value)
}

// idShape is what a value of an AWS-specific parameter type looks like.
type idShape struct {
	what    string
	pattern *regexp.Regexp
}

func shape(what, pattern string) idShape {
	return idShape{what, regexp.MustCompile("^(?:" + pattern + ")$")}
}

// idShapes are the AWS-specific parameter types whose values have a fixed
// form; CloudFormation also checks that they exist, which needs AWS. They are
// compiled on first use, by the commands that check parameter values.
var idShapes = sync.OnceValue(func() map[string]idShape {
	return map[string]idShape{
		"AWS::EC2::VPC::Id":                shape("a VPC id like vpc-0abc12345def67890", `vpc-[0-9a-f]{8,17}`),
		"AWS::EC2::Subnet::Id":             shape("a subnet id like subnet-0abc12345def67890", `subnet-[0-9a-f]{8,17}`),
		"AWS::EC2::SecurityGroup::Id":      shape("a security group id like sg-0abc12345def67890", `sg-[0-9a-f]{8,17}`),
		"AWS::EC2::Image::Id":              shape("an AMI id like ami-0abc12345def67890", `ami-[0-9a-f]{8,17}`),
		"AWS::EC2::Instance::Id":           shape("an instance id like i-0abc12345def67890", `i-[0-9a-f]{8,17}`),
		"AWS::EC2::Volume::Id":             shape("a volume id like vol-0abc12345def67890", `vol-[0-9a-f]{8,17}`),
		"AWS::EC2::KeyPair::KeyName":       shape("a key pair name", `.{1,255}`),
		"AWS::EC2::AvailabilityZone::Name": shape("an availability zone like eu-central-1a", `[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+[a-z]`),
		"AWS::Route53::HostedZone::Id":     shape("a hosted zone id like Z0123456789ABCDEFGHIJ (upper-case letters and digits)", `[0-9A-Z]{1,32}`),
		"AWS::SSM::Parameter::Name":        shape("an SSM parameter name", `[a-zA-Z0-9_.\-/]+`),
	}
})

// outside explains why n is not within [min, max] (either may be unset).
func (p Parameter) outside(n float64, min, max, unit, value string) string {
	lo, hasLo := bound(min)
	hi, hasHi := bound(max)
	if (hasLo && n < lo) || (hasHi && n > hi) {
		switch {
		case hasLo && hasHi:
			return fmt.Sprintf("parameter %s is %s: it must be %s to %s%s", p.Name, p.shown(value), min, max, unit)
		case hasLo:
			return fmt.Sprintf("parameter %s is %s: it must be at least %s%s", p.Name, p.shown(value), min, unit)
		}
		return fmt.Sprintf("parameter %s is %s: it must be at most %s%s", p.Name, p.shown(value), max, unit)
	}
	return ""
}

func bound(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, s != "" && err == nil
}
