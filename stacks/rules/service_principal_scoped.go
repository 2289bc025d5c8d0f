package rules

import (
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var servicePrincipalScoped = templates.Rule{
	ID:      "service_principal_scoped",
	Summary: "a service principal is scoped with aws:SourceArn or aws:SourceAccount",
	Why:     "otherwise the service acting for any other account (the confused deputy) may invoke the function or use the resource",
	Check:   reported(checkServicePrincipals),
}

// sourceKeys are the condition keys that tie a service principal to this
// account or to one resource.
var sourceKeys = []string{"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID"}

func checkServicePrincipals(r ruleReport, tree *templates.Map) {
	for _, p := range templates.ResourcesOfType(tree, "AWS::Lambda::Permission") {
		principal := templates.StringAt(p.Properties, "Principal")
		if !strings.HasSuffix(principal, ".amazonaws.com") {
			continue
		}
		_, arn := p.Properties.Get("SourceArn")
		_, account := p.Properties.Get("SourceAccount")
		if !arn && !account {
			r.add(p.ID, "Properties.SourceArn", "lets %s invoke the function for any account: set SourceArn to the resource that invokes it (or SourceAccount to !Ref AWS::AccountId)", principal)
		}
	}
	for _, s := range policyStatements(tree) {
		if !s.allows() || s.kind != resourcePolicy {
			continue
		}
		services := strs(templates.ValueAt(s.statement, "Principal", "Service"))
		if len(services) > 0 && !hasConditionKey(templates.ValueAt(s.statement, "Condition"), sourceKeys...) {
			r.add(s.resource, s.path+".Condition", "lets %s act on the resource for any account: add Condition ArnEquals aws:SourceArn (the resource acting) or StringEquals aws:SourceAccount !Ref AWS::AccountId",
				strings.Join(services, ", "))
		}
	}
}
