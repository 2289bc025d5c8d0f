package rules

import "github.com/formwork-dev/formwork/templates"

var noWildcardAction = templates.Rule{
	ID:      "no_wildcard_action",
	Summary: `no Allow statement grants Action "*"`,
	Why:     `"*" is administrator access written out by hand`,
	Check:   reported(checkNoWildcardAction),
}

func checkNoWildcardAction(r ruleReport, tree *templates.Map) {
	for _, s := range policyStatements(tree) {
		if !s.allows() {
			continue
		}
		for _, a := range s.actions() {
			if a == "*" {
				r.add(s.resource, s.path+".Action", `Allow grants Action "*": list the actions the principal needs`)
			}
		}
	}
}
