package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

var roleTrustScoped = templates.Rule{
	ID:      "role_trust_scoped",
	Summary: "a role trusts AWS services, this account, or a federated identity under a condition",
	Why:     "a role that trusts another account, or everyone, hands its rights outside the account; a boundary cannot limit who assumes a role",
	Check:   reported(checkRoleTrust),
}

// checkRoleTrust reads each role's trust policy: every Allow names service
// principals, principals of this account (written with AWS::AccountId), or
// a federated identity provider constrained by a Condition.
func checkRoleTrust(r ruleReport, tree *templates.Map) {
	for _, role := range templates.ResourcesOfType(tree, "AWS::IAM::Role") {
		for i, st := range asList(templates.ValueAt(role.Properties, "AssumeRolePolicyDocument", "Statement")) {
			if templates.StringAt(st, "Effect") != "Allow" {
				continue
			}
			path := fmt.Sprintf("Properties.AssumeRolePolicyDocument.Statement[%d].Principal", i)
			if msg := trustProblem(templates.ValueAt(st, "Principal"), templates.ValueAt(st, "Condition")); msg != "" {
				r.add(role.ID, path, "%s", msg)
			}
		}
	}
}

func trustProblem(principal, condition any) string {
	if principal == "*" {
		return `the role trusts Principal "*", anyone in any account: name the service or the principals of this account`
	}
	p := templates.AsMap(principal)
	for _, kind := range p.Keys() {
		switch kind {
		case "Service":
		case "AWS":
			for _, v := range asList(p.Value(kind)) {
				if !ofThisAccount(v) {
					return fmt.Sprintf("the role trusts %v, which is not written as this account's (${AWS::AccountId}): trust another account only with a waiver that says why", v)
				}
			}
		case "Federated":
			if templates.AsMap(condition).Len() == 0 {
				return "the role trusts a federated identity provider without a Condition, so every identity it issues may assume it: add one (e.g. the token's sub)"
			}
		default:
			return fmt.Sprintf("the role trusts a %s principal: name the service or the principals of this account", kind)
		}
	}
	return ""
}

// ofThisAccount reports whether an AWS principal is written with this
// account's id: !Ref AWS::AccountId, or a !Sub naming ${AWS::AccountId}
// and no other account.
func ofThisAccount(v any) bool {
	fn, ok := v.(templates.Fn)
	if !ok {
		return false
	}
	if fn.Name == templates.FnRef {
		return fn.Arg == "AWS::AccountId"
	}
	text, _ := templates.SubParts(fn.Arg)
	return fn.Name == templates.FnSub && strings.Contains(text, "${AWS::AccountId}") && !literalAccount().MatchString(text)
}

var literalAccount = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[0-9]{12}`) })
