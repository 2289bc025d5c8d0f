package blocks

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/rules"
)

// SchedulePattern accepts a rate(...) or cron(...) expression EventBridge
// accepts and nothing else: the Go option and the deploy-time parameter are
// held to one rule (rules.ValidateSchedule).
const SchedulePattern = rules.SchedulePattern

// ValidateSchedule reports whether expr is a schedule expression EventBridge
// accepts; the error says how to write one.
func ValidateSchedule(expr string) error { return rules.ValidateSchedule(expr) }

// ScheduleParameter declares a String parameter holding a schedule
// expression, constrained by SchedulePattern. defaultExpr is checked when the
// template is rendered (see checkScheduleExpressions).
func ScheduleParameter(description, defaultExpr string) cloudformation.Parameter {
	return cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String(description),
		Default:               defaultExpr,
		AllowedPattern:        cloudformation.String(SchedulePattern),
		ConstraintDescription: cloudformation.String("must be " + strings.ReplaceAll(rules.ScheduleHint, "write ", "")),
	}
}
