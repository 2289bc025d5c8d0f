package rules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

var noAdministratorAccess = templates.Rule{
	ID:      "no_administrator_access",
	Summary: "no AWS managed AdministratorAccess or *FullAccess policy is attached",
	Why:     "those policies grant every action of a service (or of all of them) on every resource: whoever assumes the role can do anything there",
	Check:   reported(checkNoAdministratorAccess),
}

var adminPolicy = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(AdministratorAccess|FullAccess)$`) })

func checkNoAdministratorAccess(r ruleReport, tree *templates.Map) {
	for _, id := range templates.ResourcesOfType(tree, "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group") {
		for i, arn := range asList(templates.ValueAt(id.Properties, "ManagedPolicyArns")) {
			for _, text := range arnTexts(arn) {
				if name := adminPolicy().FindString(text); name != "" {
					r.add(id.ID, fmt.Sprintf("Properties.ManagedPolicyArns[%d]", i),
						"attaches the AWS managed policy %s, which grants whole services: write a policy with the actions and resources this identity needs", text[strings.LastIndex(text, "/")+1:])
				}
			}
		}
	}
}

// arnTexts returns the literal text of an ARN: the string, a !Sub text, or
// the parts of a !Join.
func arnTexts(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case templates.Fn:
		switch t.Name {
		case templates.FnSub:
			text, _ := templates.SubParts(t.Arg)
			return []string{text}
		case templates.FnJoin:
			if args, ok := t.Arg.([]any); ok && len(args) == 2 {
				return []string{strings.Join(strs(args[1]), "")}
			}
		}
	}
	return nil
}
