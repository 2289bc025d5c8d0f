package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// paramSpec is what a template declares about one parameter.
type paramSpec struct {
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

// templateParams lists the template's parameters in declaration order.
func templateParams(tree *templates.Map) []paramSpec {
	section := templates.Section(tree, "Parameters")
	out := make([]paramSpec, 0, section.Len())
	for _, name := range section.Keys() {
		v, _ := section.Get(name)
		m := templates.AsMap(v)
		p := paramSpec{Name: name, Type: text(m, "Type"), Description: text(m, "Description"),
			AllowedPattern: text(m, "AllowedPattern"), ConstraintDescription: text(m, "ConstraintDescription")}
		p.MinLength, p.MaxLength = text(m, "MinLength"), text(m, "MaxLength")
		p.MinValue, p.MaxValue = text(m, "MinValue"), text(m, "MaxValue")
		if v, ok := m.Get("NoEcho"); ok {
			p.NoEcho = v == true || scalar(v) == "true"
		}
		if d, ok := m.Get("Default"); ok {
			p.Default, p.HasDefault = scalar(d), true
		}
		if list, ok := m.Get("AllowedValues"); ok {
			items, _ := list.([]any)
			for _, item := range items {
				p.AllowedValues = append(p.AllowedValues, scalar(item))
			}
		}
		out = append(out, p)
	}
	return out
}

func text(m *templates.Map, key string) string {
	v, _ := m.Get(key)
	return scalar(v)
}

func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []any: // a list default, e.g. for List<String>
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = scalar(item)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// checkValue explains why value is not acceptable for p, or returns "".
// Only the constraints CloudFormation checks without calling AWS are
// checked here.
func (p paramSpec) checkValue(value string) string {
	if !p.HasDefault && value == "" {
		return fmt.Sprintf("parameter %s has no default, so it needs a value", p.Name)
	}
	if p.isList() {
		return "" // constraints apply to each element; CloudFormation checks those
	}
	if len(p.AllowedValues) > 0 && !contains(p.AllowedValues, value) {
		return fmt.Sprintf("parameter %s is %q, which is not one of its allowed values: %s", p.Name, value, strings.Join(p.AllowedValues, ", "))
	}
	if p.Type == "Number" {
		n, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Sprintf("parameter %s is a Number, and %q is not a number", p.Name, value)
		}
		if msg := p.outside(n, p.MinValue, p.MaxValue, "", value); msg != "" {
			return msg
		}
	} else if msg := p.outside(float64(len([]rune(value))), p.MinLength, p.MaxLength, " characters", value); msg != "" {
		return msg
	}
	if p.AllowedPattern != "" {
		re, err := regexp.Compile("^(?:" + p.AllowedPattern + ")$")
		if err == nil && !re.MatchString(value) {
			why := p.ConstraintDescription
			if why == "" {
				why = "it must match " + p.AllowedPattern
			}
			return fmt.Sprintf("parameter %s is %q: %s", p.Name, value, strings.TrimSuffix(why, "."))
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isList reports a parameter whose value is a comma-separated list.
func (p paramSpec) isList() bool {
	return p.Type == "CommaDelimitedList" || strings.HasPrefix(p.Type, "List<")
}

// outside explains why n is not within [min, max] (either may be unset).
func (p paramSpec) outside(n float64, min, max, unit, value string) string {
	lo, hasLo := bound(min)
	hi, hasHi := bound(max)
	if (hasLo && n < lo) || (hasHi && n > hi) {
		switch {
		case hasLo && hasHi:
			return fmt.Sprintf("parameter %s is %q: it must be %s to %s%s", p.Name, value, min, max, unit)
		case hasLo:
			return fmt.Sprintf("parameter %s is %q: it must be at least %s%s", p.Name, value, min, unit)
		}
		return fmt.Sprintf("parameter %s is %q: it must be at most %s%s", p.Name, value, max, unit)
	}
	return ""
}

func bound(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, s != "" && err == nil
}
