package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// The schedule expressions EventBridge accepts. The same text is a Go regexp
// (ValidateSchedule) and a CloudFormation AllowedPattern (ScheduleParameter),
// so Go options and deploy-time parameters are held to one rule.
const (
	// rate(1 minute|hour|day) or rate(N minutes|hours|days) for N >= 2:
	// EventBridge rejects "rate(1 minutes)" and "rate(5 minute)".
	ratePattern = `rate\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\)`
	// cron(minutes hours day-of-month month day-of-week year).
	cronPattern = `cron\([0-9*,/-]+ [0-9*,/-]+ [0-9*,?/LW-]+ [0-9A-Za-z*,/-]+ [0-9A-Za-z*,?/L#-]+ [0-9*,/-]+\)`
	// SchedulePattern accepts a rate(...) or cron(...) expression and
	// nothing else.
	SchedulePattern = `^(` + ratePattern + `|` + cronPattern + `)$`
)

var scheduleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(SchedulePattern) })

// ScheduleHint says how to write a schedule expression EventBridge accepts.
const ScheduleHint = "write rate(1 minute|hour|day), rate(N minutes|hours|days) with N >= 2, " +
	"or cron(minutes hours day-of-month month day-of-week year) with ? in exactly one of the two day fields"

// ValidateSchedule reports whether expr is a schedule expression EventBridge
// accepts; the error says how to write one.
func ValidateSchedule(expr string) error {
	if !scheduleRE().MatchString(expr) {
		return fmt.Errorf("schedule %q is not a schedule expression: %s", expr, ScheduleHint)
	}
	if !strings.HasPrefix(expr, "cron(") {
		return nil
	}
	fields := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
	dayOfMonth, dayOfWeek := fields[2] == "?", fields[4] == "?"
	if dayOfMonth == dayOfWeek {
		return fmt.Errorf("schedule %q: exactly one of day-of-month and day-of-week must be ?: %s", expr, ScheduleHint)
	}
	return nil
}
