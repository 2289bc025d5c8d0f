package rules

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var apiIntegrationPermitted = templates.Rule{
	ID:      "api_integration_permitted",
	Summary: "an API integration with a function has a permission naming that API",
	Why:     "without it every request is answered 500 and nothing reaches the function's logs",
	Check:   checkAPIIntegrationsPermitted,
}

// checkAPIIntegrationsPermitted refuses an API Gateway (v2) integration
// with a Lambda function of the template that no AWS::Lambda::Permission
// lets that API invoke: CloudFormation deploys it, and every request is
// answered 500 with nothing in the function's logs. A permission counts
// when its Principal is apigateway.amazonaws.com, its FunctionName names
// the function and its SourceArn names the API.
func checkAPIIntegrationsPermitted(stack string, tree *templates.Map) []templates.Finding {
	functions := lambdaFunctions(tree)
	var out []templates.Finding
	for _, in := range templates.ResourcesOfType(tree, "AWS::ApiGatewayV2::Integration") {
		fn := templates.RefTarget(templates.ValueAt(in.Properties, "IntegrationUri"))
		api := templates.RefTarget(templates.ValueAt(in.Properties, "ApiId"))
		if !functions[fn] || api == "" || apiMayInvoke(tree, api, fn) {
			continue
		}
		out = append(out, templates.Finding{Stack: stack, LogicalID: in.ID, Path: "Properties.IntegrationUri",
			Message: fmt.Sprintf("API %s hands requests to Lambda function %s, but no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke it from %s: "+
				"add one with FunctionName !Ref %s and SourceArn !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${%s}/* (blocks.HTTPFunction does this)", api, fn, api, fn, api)})
	}
	return out
}

// apiMayInvoke reports whether a permission of the template lets API
// Gateway invoke fn with a SourceArn naming api.
func apiMayInvoke(tree *templates.Map, api, fn string) bool {
	for _, p := range templates.ResourcesOfType(tree, "AWS::Lambda::Permission") {
		if templates.StringAt(p.Properties, "Principal") != "apigateway.amazonaws.com" ||
			templates.RefTarget(templates.ValueAt(p.Properties, "FunctionName")) != fn {
			continue
		}
		if source, ok := symbolicName(templates.ValueAt(p.Properties, "SourceArn")); ok && strings.Contains(source, "${"+api+"}") {
			return true
		}
	}
	return false
}
