package rules

import "github.com/formwork-dev/formwork/templates"

// Small readers of the template tree that several rules share.

// lambdaFunctions is the set of the template's Lambda functions.
func lambdaFunctions(tree *templates.Map) map[string]bool {
	functions := map[string]bool{}
	for _, fn := range templates.ResourcesOfType(tree, "AWS::Lambda::Function") {
		functions[fn.ID] = true
	}
	return functions
}

func listHas(v any, match func(any) bool) bool {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	for _, item := range list {
		if match(item) {
			return true
		}
	}
	return false
}

func distributionConfigs(tree *templates.Map) []templates.Resource {
	return templates.ResourcesOfType(tree, "AWS::CloudFront::Distribution")
}

func buckets(tree *templates.Map) []templates.Resource {
	return templates.ResourcesOfType(tree, "AWS::S3::Bucket")
}

// isTrue accepts true and "true": CloudFormation reads both as true.
func isTrue(v any) bool { return v == true || v == "true" }
