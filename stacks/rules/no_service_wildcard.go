package rules

import (
	"regexp"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

var noServiceWildcard = templates.Rule{
	ID:      "no_service_wildcard",
	Summary: `no Allow statement grants a whole service ("s3:*") or uses NotAction`,
	Why:     "a service wildcard grants actions nobody reviewed, including ones the service adds later; NotAction grants everything it does not list",
	Check:   reported(checkNoServiceWildcard),
}

var serviceWildcard = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9-]+:\*$`) })

func checkNoServiceWildcard(r ruleReport, tree *templates.Map) {
	for _, s := range policyStatements(tree) {
		if !s.allows() || s.kind == keyPolicy {
			continue
		}
		if _, ok := s.statement.Get("NotAction"); ok && !hasString(templates.ValueAt(s.statement, "Resource"), "*") {
			r.add(s.resource, s.path+".NotAction", "Allow with NotAction grants every action it does not list: list the actions the principal needs in Action")
		}
		for _, a := range s.actions() {
			if serviceWildcard().MatchString(a) {
				r.add(s.resource, s.path+".Action", "Allow grants %s, every action of the service: list the actions the principal needs", a)
			}
		}
	}
}
