package blocks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
)

// Permissions boundaries. A pipeline that deploys stacks which create roles
// (templates-pipeline) lets its deploy role create a role only with the
// boundary it names, so that no role a change set creates can do more than
// the boundary allows. Such a stack calls BoundRoles last in its Build: its
// roles then carry the boundary given in BoundaryParameter, or none when
// the parameter is empty (a stack deployed by hand).
const (
	BoundaryParameter = "PermissionsBoundaryArn"
	boundaryCondition = "HasPermissionsBoundary"
)

// BoundRoles declares the BoundaryParameter parameter and gives every IAM
// role declared so far that boundary when the parameter is set.
func BoundRoles(t *templates.Template) {
	t.Parameter(BoundaryParameter, cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("ARN of the managed policy that bounds every role of this stack (templates-pipeline passes its own); empty for none"),
		Default:               "",
		AllowedPattern:        cloudformation.String(`^(arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+)?$`),
		ConstraintDescription: cloudformation.String("must be empty or an IAM managed policy ARN"),
	})
	t.ParameterGroup("Permissions", BoundaryParameter)
	t.Condition(boundaryCondition, cloudformation.Not([]string{cloudformation.Equals(cloudformation.Ref(BoundaryParameter), "")}))
	for _, id := range t.ResourceIDsOfType("AWS::IAM::Role") {
		t.Override(id, "Properties.PermissionsBoundary",
			cloudformation.If(boundaryCondition, cloudformation.Ref(BoundaryParameter), cloudformation.Ref("AWS::NoValue")))
	}
}

// HasBoundRoles reports whether every role of a template tree takes its
// permissions boundary from BoundaryParameter, as BoundRoles arranges.
func HasBoundRoles(tree *templates.Map) bool {
	if _, ok := templates.Section(tree, "Parameters").Get(BoundaryParameter); !ok {
		return len(templates.ResourcesOfType(tree, "AWS::IAM::Role")) == 0
	}
	for _, role := range templates.ResourcesOfType(tree, "AWS::IAM::Role") {
		fn, ok := templates.ValueAt(role.Properties, "PermissionsBoundary").(templates.Fn)
		args, _ := fn.Arg.([]any)
		if !ok || fn.Name != templates.FnIf || len(args) != 3 || templates.RefTarget(args[1]) != BoundaryParameter {
			return false
		}
	}
	return true
}
