package rules

import (
	"fmt"
	"strconv"

	"github.com/formwork-dev/formwork/templates"
)

// What the SQS rules (queue_visibility_timeout, dead_letter_retention)
// share. Values are literals, or parameters bounded by MinValue/MaxValue
// taken at their worst; what cannot be bounded is not checked.

// SQS and Lambda defaults, for properties a template leaves out.
const (
	sqsDefaultVisibilitySeconds = 30
	sqsDefaultRetentionSeconds  = 4 * 24 * 3600
)

// boundedNumber is the number at key in props: def when absent, the literal,
// or the bound (MinValue or MaxValue) of the parameter it Refs. ok is false
// when it cannot be bounded.
func boundedNumber(props any, key string, def float64, bound string, params *templates.Map) (float64, bool) {
	v, ok := templates.Lookup(props, key)
	if !ok {
		return def, true
	}
	if fn, isFn := v.(templates.Fn); isFn {
		name, _ := fn.Arg.(string)
		if fn.Name != templates.FnRef {
			return 0, false
		}
		if v, ok = templates.Lookup(params, name, bound); !ok {
			return 0, false
		}
	}
	n, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return n, err == nil
}

func formatNumber(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }
