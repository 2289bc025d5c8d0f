package templates

import "fmt"

// CloudFormation's template quotas.
const (
	MaxResources  = 500
	MaxParameters = 200
	MaxOutputs    = 200
	MaxMappings   = 200
	// MaxBodyBytes is the largest template CloudFormation accepts (from S3).
	MaxBodyBytes = 1_000_000
	// MaxDirectBodyBytes is the largest template `aws cloudformation deploy`
	// sends inline; a larger one needs --s3-bucket.
	MaxDirectBodyBytes = 51_200
)

var sectionLimitsRule = Rule{ID: "section_limits", Summary: "at most 500 resources, 200 parameters, 200 outputs and 200 mappings",
	Why: "CloudFormation refuses a template over its limits", Check: checkSectionLimits}

var sectionLimits = []struct {
	section string
	max     int
}{
	{"Resources", MaxResources},
	{"Parameters", MaxParameters},
	{"Outputs", MaxOutputs},
	{"Mappings", MaxMappings},
}

// checkSectionLimits reports a section with more entries than CloudFormation
// accepts.
func checkSectionLimits(stack string, tree *Map) []Finding {
	var out []Finding
	for _, l := range sectionLimits {
		if n := Section(tree, l.section).Len(); n > l.max {
			out = append(out, Finding{Stack: stack, Path: l.section, Message: fmt.Sprintf(
				"%d %s, over CloudFormation's limit of %d: split the stack (e.g. a nested stack)", n, lower(l.section), l.max)})
		}
	}
	return out
}

// CheckSize checks an encoded template body. errs holds a body too large for
// CloudFormation at all; warnings a body too large for a direct
// `aws cloudformation deploy`, which then needs --s3-bucket.
func CheckSize(stack string, body []byte) (errs, warnings Findings) {
	n := len(body)
	switch {
	case n > MaxBodyBytes:
		errs = append(errs, Finding{Stack: stack, Message: fmt.Sprintf(
			"template body is %s bytes, over CloudFormation's limit of %s: split the stack or move inline code to S3", commas(n), commas(MaxBodyBytes))})
	case n > MaxDirectBodyBytes:
		warnings = append(warnings, Finding{Stack: stack, Message: fmt.Sprintf(
			"template body is %s bytes, over the %s that aws cloudformation deploy sends inline: deploy with --s3-bucket", commas(n), commas(MaxDirectBodyBytes))})
	}
	return errs, warnings
}

func lower(s string) string {
	b := []byte(s)
	if len(b) > 0 && b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// commas writes 51200 as "51,200".
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
