package rules

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var passRolePassedToService = templates.Rule{
	ID:      "passrole_passed_to_service",
	Summary: "iam:PassRole only with an iam:PassedToService condition",
	Why:     "without it the role may be handed to any service, e.g. a Lambda function or EC2 instance that then acts with its rights",
	Check:   reported(checkPassRole),
}

// coversPassRole reports whether an action (possibly with wildcards) grants
// iam:PassRole.
func coversPassRole(action string) bool {
	return globMatch(strings.ToLower(action), "iam:passrole")
}

// globMatch matches s against an IAM action pattern, where * stands for any
// run of characters and ? for one.
func globMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && globMatch(pattern[1:], s[1:])
}

func checkPassRole(r ruleReport, tree *templates.Map) {
	for _, s := range policyStatements(tree) {
		if !s.allows() || s.kind != identityPolicy {
			continue
		}
		for _, a := range s.actions() {
			if coversPassRole(a) && !hasConditionKey(templates.ValueAt(s.statement, "Condition"), "iam:PassedToService") {
				r.add(s.resource, s.path, "%s lets the role be handed to any service: add Condition StringEquals iam:PassedToService with the one service that needs it (blocks.PassRole does)", a)
				break
			}
		}
	}
}
