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
//
// The package is laid out the way cfn-lint's rules are: one file per rule,
// named after its id (no_wildcard_action.go holds the rule noWildcardAction
// and its check), with the resources it must flag and accept beside it in
// testdata/<id>/violation.yaml and compliant.yaml. What several rules share
// lives in helper files named for what they hold (policy.go, tree.go,
// dns.go, queue.go, inline_code.go, parameter_pattern.go, lifecycle.go).
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
// artifact, code too large for Lambda. formwork help security-rules lists them
// in this order.
func Wiring() templates.Rules {
	return templates.Rules{
		scheduleExpressionValid,
		scheduleTargetPermitted,
		schedulerTargetPermitted,
		apiIntegrationPermitted,
		queueVisibilityTimeout,
		deadLetterRetention,
		alarmHasActions,
		inlineCodeSize,
		inlineCodeSubstitution,
		recordsInZone,
		searchDomainIsZone,
		recordValuesValid,
		cloudfrontCertificateUSEast1,
		pipelineWiring,
	}
}

// Security is the security rules, in the order formwork help security-rules
// explains them. Their ids are those of the cfn-guard rules that
// cross-check the same things in formwork's own CI
// (stacks/testdata/guard/*.guard).
func Security() templates.Rules {
	return templates.Rules{
		noAdministratorAccess,
		noWildcardAction,
		noServiceWildcard,
		noWildcardActionOnAllResources,
		roleTrustScoped,
		passRolePassedToService,
		servicePrincipalScoped,
		bucketPublicAccessBlock,
		bucketEncryption,
		bucketTLSOnlyPolicy,
		bucketACLsDisabled,
		cloudfrontViewerHTTPS,
		cloudfrontTLSPolicy,
		lambdaRuntimeSupported,
		codebuildImageCurrent,
		logGroupRetention,
		inlineCodeParameters,
		deletionPolicyExplicit,
	}
}
