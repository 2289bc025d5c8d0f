package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
)

// PolicyDocument is an IAM policy. It is a struct, not a map, so that it
// renders in the order people write policies: Version, then Statement.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one IAM policy statement, rendered Sid, Effect, Principal,
// Action, Resource, Condition.
type Statement struct {
	Sid       string         `json:"Sid,omitempty"`
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal,omitempty"`
	Action    []string       `json:"Action"`
	Resource  []string       `json:"Resource,omitempty"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// Policy returns a policy document of the current version.
func Policy(statements ...Statement) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: statements}
}

// Allow grants actions on resources. Resources may hold intrinsics
// (cloudformation.GetAtt, cloudformation.Sub).
func Allow(actions []string, resources ...string) Statement {
	return Statement{Effect: "Allow", Action: actions, Resource: resources}
}

// When adds a condition to the statement and returns it.
func (s Statement) When(operator, key string, value any) Statement {
	cond := map[string]any{}
	for k, v := range s.Condition {
		cond[k] = v
	}
	inner, _ := cond[operator].(map[string]any)
	merged := map[string]any{key: value}
	for k, v := range inner {
		merged[k] = v
	}
	cond[operator] = merged
	s.Condition = cond
	return s
}

// ServicePrincipal is the principal of an AWS service, e.g.
// "lambda.amazonaws.com".
func ServicePrincipal(service string) map[string]any {
	return map[string]any{"Service": service}
}

// ServiceRole returns a role that only the given service may assume, holding
// one inline policy named after what the role does.
//
// L1 helper: it returns a goformation resource for t.Resource and declares
// nothing.
func ServiceRole(service, policyName string, policy PolicyDocument) *iam.Role {
	return &iam.Role{
		AssumeRolePolicyDocument: Policy(Statement{
			Effect:    "Allow",
			Principal: ServicePrincipal(service),
			Action:    []string{"sts:AssumeRole"},
		}),
		Policies: []iam.Role_Policy{{PolicyName: policyName, PolicyDocument: policy}},
	}
}

// Arn is !GetAtt Resource.Arn.
func Arn(logicalID string) string { return cloudformation.GetAtt(logicalID, "Arn") }
