package rules

import (
	"fmt"
	"sort"
	"time"

	"github.com/formwork-dev/formwork/templates"
)

var lambdaRuntimeSupported = templates.Rule{
	ID:      "lambda_runtime_supported",
	Summary: "Lambda functions use a runtime AWS supports",
	Why:     "a deprecated runtime gets no security patches, and AWS then blocks creating and updating the function",
	Check:   reported(checkLambdaRuntime),
}

// today is the date runtimes are judged on, as YYYY-MM-DD in UTC: a
// runtime past its deprecation date fails the render from that day on.
var today = func() string { return time.Now().UTC().Format(time.DateOnly) }

func checkLambdaRuntime(r ruleReport, tree *templates.Map) {
	for _, fn := range templates.ResourcesOfType(tree, "AWS::Lambda::Function") {
		if pkg := templates.StringAt(fn.Properties, "PackageType"); pkg == "Image" {
			continue // the image brings its runtime
		}
		if msg := runtimeProblem(templates.ValueAt(fn.Properties, "Runtime")); msg != "" {
			r.add(fn.ID, "Properties.Runtime", "%s", msg)
		}
	}
}

func runtimeProblem(v any) string {
	name, ok := v.(string)
	if v == nil {
		return "the function has no Runtime: set a supported one, e.g. python3.13, nodejs22.x or provided.al2023"
	}
	if !ok {
		return "Runtime is not a literal runtime name, so its support cannot be checked: write it out, e.g. python3.13 or provided.al2023"
	}
	life, known := lambdaRuntimes[name]
	switch {
	case !known:
		return fmt.Sprintf("%q is not a Lambda runtime: use e.g. python3.13, nodejs22.x or provided.al2023", name)
	case life.deprecated != "" && life.deprecated <= today():
		return fmt.Sprintf("runtime %s has been deprecated since %s and gets no security patches: move to %s", name, life.deprecated, life.successor)
	}
	return ""
}

// SupportedRuntimes lists, sorted, the Lambda runtimes the rule
// lambda_runtime_supported accepts today.
func SupportedRuntimes() []string {
	var out []string
	for name := range lambdaRuntimes {
		if runtimeProblem(name) == "" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
