package rules

// The Lambda runtimes and the stateful resource types the rules
// lambda_runtime_supported and deletion_policy_explicit read are generated
// from cfn-lint's data into lifecycle_gen.go (make generate).

//go:generate python3 gen/lifecycle.py lifecycle_gen.go
//go:generate gofmt -w lifecycle_gen.go

// runtimeLifecycle is when AWS deprecates a Lambda runtime, and what
// replaces it.
type runtimeLifecycle struct{ deprecated, successor string }
