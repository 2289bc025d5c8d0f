// Package rules is formwork's rule set: the checks every rendered template
// must pass, for formwork's catalogue and a team's stacks alike.
//
// A rule is a value (templates.Rule): an id a stack may waive for one
// resource with a written reason, what it requires, why, and its check.
// The entry points take the set explicitly, so a check cannot silently not
// run:
//
//	commands.Main(stacks...)                              // the CLI runs rules.All()
//	golden.Test(t, "../golden", stacks, rules.All(), *update) // a team's go test
//	templates.Render(tmpl, templates.YAML, rules.All())   // the engine itself
//
// All is the engine's rules (references, attributes, limits), the wiring
// rules a reviewer would catch (a schedule whose target has no permission,
// an alarm nobody hears) and the security rules (least privilege, private
// encrypted buckets, supported runtimes). A team adds its own rules by
// appending to All.
package rules

import "github.com/formwork-dev/formwork/templates"

// All is every rule formwork has: the engine's, the wiring and the
// security rules, in the order their findings are reported.
func All() templates.Rules {
	out := templates.EngineRules()
	out = append(out, Wiring()...)
	return append(out, Security()...)
}

// Wiring is the rules that catch resources a reviewer would see are not
// connected: a schedule or API whose function may not be invoked, an alarm
// with no action, a record outside its zone, a pipeline with a dangling
// artifact, code too large for Lambda.
func Wiring() templates.Rules {
	var out templates.Rules
	for _, set := range []templates.Rules{scheduleRules, httpRules, queueRules, alarmRules, inlineCodeRules, dnsRules, cdnRules, pipelineRules} {
		out = append(out, set...)
	}
	return out
}

// Security is the security rules, in the order the README explains them.
func Security() templates.Rules {
	out := make(templates.Rules, len(securityRules))
	for i, r := range securityRules {
		out[i] = templates.Rule{ID: r.id, Summary: r.summary, Why: r.why, Check: r.checker()}
	}
	return out
}
