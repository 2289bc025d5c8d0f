package stacks

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/formwork-dev/formwork/stacks/blocks"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
)

// templates-pipeline deploys formwork's own output: a push to the branch
// runs `make test`, renders every stack into out/, and then, for each stack
// in TemplatesPipeline.Stacks, creates a change set, waits for a person to
// approve it (ManualApproval; the approval is announced on ApprovalTopic
// with a link to the change set) and executes it.
//
// StackDeployRole, the role CloudFormation assumes to change the deployed
// stacks, gets for each resource type those stacks declare the exact
// actions CloudFormation needs, on that stack's own resources (see
// deploy_rights.go; read from the stacks' templates when this one is
// generated, so a new resource type shows up here in the golden diff).
// Every role it creates or changes must carry DeployedRoleBoundary, which it
// cannot remove, so an approved change set cannot create a role with more
// than the boundary allows. Its own roles live under the IAM path
// selfPath, which no PREFIX-NAME-* pattern can match, and are denied to it
// besides: it cannot rewrite itself, whatever the prefix. Trust policies are
// the part a boundary cannot limit: the rule role_trust_scoped, run by make test in
// the RenderTemplates build, and the person approving the change set, who
// reads its IAM changes, are the control there.
// TemplatesPipeline shapes the templates-pipeline stack.
type TemplatesPipeline struct {
	// Stacks are the stacks to deploy, one stage each, in this order. Each
	// is deployed as StackNamePrefix-NAME from the rendered NAME.yaml.
	Stacks []templates.Stack
	// ManualApproval puts a manual approval between creating and executing
	// each change set.
	ManualApproval bool
	// ConfigurationDir is the repository directory holding NAME.json, the
	// CloudFormation template configuration (parameter values, tags) of
	// each deployed stack; "" deploys with the templates' defaults. The
	// pipeline adds PermissionsBoundaryArn to each stack's parameters.
	ConfigurationDir string
	// WithoutAccessLogs drops the log bucket that receives the artifact
	// bucket's S3 server access logs. Logging is on by default.
	WithoutAccessLogs bool
	// BoundaryServices are services (IAM prefixes such as "dynamodb") the
	// deployed stacks' roles may use beyond those their inline policies
	// name: what their managed policies grant. The permissions boundary
	// caps every role the deployed stacks create to these services.
	BoundaryServices []string
}

// DefaultTemplatesPipeline is the templates-pipeline stack of the catalogue:
// it deploys three of the catalogue's stacks, each change set approved.
func DefaultTemplatesPipeline() TemplatesPipeline {
	return TemplatesPipeline{
		Stacks:           []templates.Stack{AccessPointMonitor{}.Stack(), DefaultServiceDiscovery().Stack(), DefaultServerlessAppPipeline().Stack()},
		ManualApproval:   true,
		ConfigurationDir: "deploy",
		// What serverless deploy of an HTTP API backend uses, granted by
		// the account's BackendDeployPolicyName policy.
		BoundaryServices: []string{"apigateway", "cloudformation", "iam", "lambda", "logs", "s3"},
	}
}

// Stack is the templates-pipeline stack with these options.
func (o TemplatesPipeline) Stack() templates.Stack {
	return templates.Stack{
		Name:        "templates-pipeline",
		Description: "Pipeline that deploys formwork's stacks: GitHub source, CodeBuild tests and renders the templates, one CloudFormation change set per stack",
		Build:       o.build,
	}
}

func (o TemplatesPipeline) build(t *templates.Template) {
	repo := blocks.GitHubRepoParameters(t)
	t.Parameter("StackNamePrefix", cloudformation.Parameter{
		Type:                  "String",
		Description:           cloudformation.String("Each deployed stack is named PREFIX-NAME; its IAM roles and S3 buckets get names starting with PREFIX-"),
		Default:               "formwork",
		AllowedPattern:        cloudformation.String(`[a-z][a-z0-9-]{0,39}`),
		ConstraintDescription: cloudformation.String("lower-case letters, digits and dashes, starting with a letter, at most 40"),
	})
	t.Parameter("ApprovalEmail", blocks.EmailParameter("Address that is told when a change set waits for approval."))
	t.ParameterGroup("Deployment", "StackNamePrefix", "ApprovalEmail")
	blocks.EncryptionKey{ID: "ApprovalTopicKey", Service: "sns", Comment: "encrypts the change sets announced for approval"}.Add(t)
	blocks.Topic{ID: "ApprovalTopic", DisplayName: "Change sets to review", EmailParameter: "ApprovalEmail",
		Announces: "announces every change set waiting for approval, with a link to it", EncryptionKey: "ApprovalTopicKey"}.Add(t)

	artifacts := addArtifactBucket(t, "ArtifactBucket", addAccessLogs(t, o.WithoutAccessLogs, false))
	blocks.BuildProject{
		ID:             "RenderTemplates",
		Comment:        "Runs make test and renders every stack into out/, the artifact the deploy stages read",
		Description:    "make test, then formwork render --out out/",
		Source:         blocks.FromPipeline(artifacts),
		Buildspec:      renderTemplatesBuildspec,
		TimeoutMinutes: 20,
	}.Add(t)
	deployed, err := o.deployed()
	if err != nil {
		t.Fail("StackDeployRole", "", err.Error())
		return
	}
	o.deployRole(t, deployed)
	for _, role := range []string{"RenderTemplatesRole", "StackDeployRole", "PipelineRole"} {
		t.Override(role, "Properties.Path", selfPath)
	}

	stages := []blocks.Stage{
		{Name: "Source", Actions: []blocks.Action{blocks.SourceAction("Source", repo, "Source")}},
		{Name: "RenderTemplates", Actions: []blocks.Action{blocks.BuildAction("RenderTemplates", "RenderTemplates", "Source", "Rendered")}},
	}
	for _, s := range deployed {
		stages = append(stages, blocks.Stage{Name: s.Name, Actions: blocks.ChangeSetActions(o.stackDeploy(s))})
	}
	blocks.Pipeline{
		ID:             "Pipeline",
		Comment:        "Source, then RenderTemplates, then one change set per stack, on every push to the branch",
		ArtifactBucket: artifacts,
		Stages:         stages,
	}.Add(t)
	blocks.PipelineOutputs{Pipeline: "Pipeline"}.Add(t)
}

// deployedStack is a stack the pipeline deploys, with its template tree and
// the resource types it declares.
type deployedStack struct {
	templates.Stack
	tree  *templates.Map
	types []string
}

// deployed builds each listed stack's template once.
func (o TemplatesPipeline) deployed() ([]deployedStack, error) {
	if len(o.Stacks) == 0 {
		return nil, fmt.Errorf("TemplatesPipeline.Stacks is empty: list the stacks the pipeline deploys")
	}
	out := make([]deployedStack, len(o.Stacks))
	for i, s := range o.Stacks {
		tree, types, err := stackResourceTypes(s)
		if err != nil {
			return nil, fmt.Errorf("TemplatesPipeline.Stacks: %v", err)
		}
		out[i] = deployedStack{s, tree, types}
	}
	return out, nil
}

func (o TemplatesPipeline) stackDeploy(s deployedStack) blocks.StackDeploy {
	tree := s.tree
	d := blocks.StackDeploy{
		StackName:     "${StackNamePrefix}-" + s.Name,
		Template:      "Rendered::" + golden.File(s.Name),
		Inputs:        []string{"Rendered"},
		RoleID:        "StackDeployRole",
		Approval:      o.ManualApproval,
		ApprovalTopic: "ApprovalTopic",
		Capabilities:  strings.Join(templates.Capabilities(tree), ","),
	}
	if _, ok := templates.Section(tree, "Parameters").Get(blocks.BoundaryParameter); ok {
		d.ParameterOverrides = cloudformation.Sub(`{"` + blocks.BoundaryParameter + `": "${DeployedRoleBoundary}"}`)
	}
	if o.ConfigurationDir != "" {
		d.Configuration = "Source::" + strings.TrimSuffix(o.ConfigurationDir, "/") + "/" + s.Name + ".json"
		d.Inputs = append(d.Inputs, "Source")
	}
	return d
}

// cfnLintVersion is the cfn-lint the build installs: an exact release, so
// what lints the templates the deploy role deploys changes only through a
// reviewed change to this line.
const cfnLintVersion = "1.51.0"

// renderTemplatesBuildspec tests formwork and renders the templates. The
// go directive in go.mod picks the toolchain (GOTOOLCHAIN=auto); cfn-lint
// is installed because make test lints golden/ with it.
var renderTemplatesBuildspec = blocks.Buildspec{
	Env: &blocks.BuildEnv{Variables: map[string]string{"GOTOOLCHAIN": "auto"}},
	Phases: blocks.BuildPhases{
		Install: blocks.Commands("pip3 install --quiet cfn-lint==" + cfnLintVersion),
		Build:   blocks.Commands("make test", "make build", "./bin/formwork render --out out/"),
	},
	Artifacts: &blocks.BuildArtifacts{Files: []string{"*.yaml"}, BaseDirectory: "out"},
}

// selfPath is the IAM path of this stack's own roles. A deployed stack's
// roles are role/PREFIX-NAME-*, and a prefix is lower-case letters, digits
// and dashes, so no prefix can reach a role whose path starts with "_".
const selfPath = "/_formwork-pipeline/"

// deployRole declares StackDeployRole with the rights the listed stacks'
// resource types need (deploy_rights.go), and, when they declare roles,
// DeployedRoleBoundary, the boundary of every role it creates.
func (o TemplatesPipeline) deployRole(t *templates.Template, deployed []deployedStack) {
	statements, bounded, err := deployStatements(deployed)
	if err != nil {
		t.Fail("StackDeployRole", "", err.Error())
		return
	}
	t.Resource("StackDeployRole", blocks.ServiceRole("cloudformation.amazonaws.com", "deploy-stacks", blocks.Policy(statements...)),
		"What CloudFormation may change in the deployed stacks: the exact actions on their own resources (deploy_rights.go)")
	if bounded {
		o.addBoundary(t, deployed)
	}
}

// deployStatements are the deploy role's statements; bounded reports
// whether a deployed stack takes the permissions boundary.
func deployStatements(deployed []deployedStack) (statements []blocks.Statement, bounded bool, err error) {
	boundary := cloudformation.Ref("DeployedRoleBoundary")
	unscoped := map[string]bool{}
	for _, s := range deployed {
		tree, types := s.tree, s.types
		if !blocks.HasBoundRoles(tree) {
			return nil, false, fmt.Errorf("stack %s declares roles without the permissions boundary the deploy role requires: call blocks.BoundRoles(t) last in its Build", s.Name)
		}
		_, takesBoundary := templates.Section(tree, "Parameters").Get(blocks.BoundaryParameter)
		bounded = bounded || takesBoundary
		stack := "${StackNamePrefix}-" + s.Name
		for _, typ := range types {
			rights, err := deployRightsFor(typ, stack, boundary)
			if err != nil {
				return nil, false, fmt.Errorf("stack %s: %v", s.Name, err)
			}
			for _, st := range rights {
				if len(st.Resource) == 1 && st.Resource[0] == "*" {
					for _, a := range st.Action {
						unscoped[a] = true
					}
					continue
				}
				statements = blocks.MergeStatements(statements, st)
			}
		}
		statements = append(statements, passRoles(stack, types)...)
	}
	if len(unscoped) > 0 {
		statements = append(statements, blocks.Allow(slices.Sorted(maps.Keys(unscoped)), "*"))
	}
	return append(statements, deployRoleDenials()...), bounded, nil
}

// addBoundary declares DeployedRoleBoundary and the waivers it needs: it is
// written as grants, but bounds rather than grants.
func (o TemplatesPipeline) addBoundary(t *templates.Template, deployed []deployedStack) {
	services := o.boundaryServices(deployed)
	t.Resource("DeployedRoleBoundary", deployedRoleBoundary(services),
		"The most any role of a deployed stack may do: the deploy role creates roles only with this boundary")
	if len(services) == 0 {
		return
	}
	t.Waive("DeployedRoleBoundary", "no_service_wildcard", "a permissions boundary is a ceiling, not a grant: it allows nothing by itself, each bounded role still needs its own policy")
	t.Waive("DeployedRoleBoundary", "no_wildcard_action_on_all_resources", "a permissions boundary is a ceiling, not a grant: its Resource \"*\" only caps the roles it bounds to this account")
	if slices.Contains(services, "iam") {
		t.Waive("DeployedRoleBoundary", "passrole_passed_to_service", "a permissions boundary is a ceiling, not a grant: a bounded role passes a role only if its own policy allows it, and that policy is checked")
	}
}

// deployRoleDenials keep the deploy role from lifting a boundary or
// touching this stack's own roles.
func deployRoleDenials() []blocks.Statement {
	keep := blocks.Statement{Sid: "KeepBoundaries", Effect: "Deny", Action: []string{"iam:DeleteRolePermissionsBoundary"}, Resource: []string{"*"}}
	self := blocks.Statement{Sid: "NotThisPipeline", Effect: "Deny", Action: []string{"iam:*"},
		Resource: []string{
			cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role" + selfPath + "*"),
			cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy" + selfPath + "*"),
		}}
	return []blocks.Statement{keep, self}
}

// boundaryServices are the services the bounded roles may use: those their
// inline policies name, and BoundaryServices.
func (o TemplatesPipeline) boundaryServices(deployed []deployedStack) []string {
	services := map[string]bool{}
	for _, s := range o.BoundaryServices {
		services[s] = true
	}
	for _, s := range deployed {
		for _, role := range templates.ResourcesOfType(s.tree, "AWS::IAM::Role") {
			for _, p := range templates.ListAt(role.Properties, "Policies") {
				for _, st := range templates.ListAt(p, "PolicyDocument", "Statement") {
					for _, a := range templates.ListAt(st, "Action") {
						if service, _, ok := strings.Cut(fmt.Sprint(a), ":"); ok {
							services[service] = true
						}
					}
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(services))
}

// boundaryName is DeployedRoleBoundary's name, under selfPath: the boundary
// must name its own ARN, which !Ref of itself would make circular.
const boundaryName = "${AWS::StackName}-role-boundary"

// boundaryArn is DeployedRoleBoundary's ARN, built from its name.
var boundaryArn = cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy" + selfPath + boundaryName)

// roleChangesUnderBoundary are the IAM actions that create a role or change
// what it may do, each of which carries the iam:PermissionsBoundary
// condition key: the boundary the role has, or is given.
var roleChangesUnderBoundary = []string{
	"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
	"iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
}

// deployedRoleBoundary caps every role the deployed stacks create: the
// listed services, in this account only. A bounded role that may use IAM
// still cannot escape the boundary: it creates or changes a role only when
// that role carries this same boundary, cannot remove a boundary, cannot
// edit or delete this policy, and cannot make users or long-term
// credentials.
func deployedRoleBoundary(services []string) *iam.ManagedPolicy {
	actions := make([]string, len(services))
	for i, s := range services {
		actions[i] = s + ":*"
	}
	var statements []blocks.Statement
	if len(actions) > 0 {
		statements = append(statements, blocks.Statement{Sid: "TheseServicesInThisAccount", Effect: "Allow", Action: actions, Resource: []string{"*"}}.
			When("StringEqualsIfExists", "aws:ResourceAccount", cloudformation.Ref("AWS::AccountId")))
	}
	statements = append(statements,
		blocks.Statement{Sid: "RolesOnlyWithThisBoundary", Effect: "Deny", Resource: []string{"*"}, Action: roleChangesUnderBoundary}.
			When("StringNotEquals", "iam:PermissionsBoundary", boundaryArn),
		blocks.Statement{Sid: "KeepBoundaries", Effect: "Deny", Resource: []string{"*"},
			Action: []string{"iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"}},
		blocks.Statement{Sid: "KeepThisBoundary", Effect: "Deny", Resource: []string{boundaryArn},
			Action: []string{"iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"}},
		blocks.Statement{Sid: "NoLongTermCredentials", Effect: "Deny", Resource: []string{"*"},
			Action: []string{"iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateUser", "iam:UpdateLoginProfile"}},
	)
	return &iam.ManagedPolicy{
		ManagedPolicyName: cloudformation.String(cloudformation.Sub(boundaryName)),
		Path:              cloudformation.String(selfPath),
		Description:       cloudformation.String("Permissions boundary of the roles that templates-pipeline's change sets create"),
		PolicyDocument:    blocks.Policy(statements...),
	}
}

// stackResourceTypes returns a stack's tree and the resource types it
// declares.
func stackResourceTypes(s templates.Stack) (*templates.Map, []string, error) {
	if s.Name == "templates-pipeline" {
		return nil, nil, fmt.Errorf("templates-pipeline cannot deploy itself: update it with formwork deploy")
	}
	tree, err := s.Template().Tree()
	if err != nil {
		return nil, nil, err
	}
	var types []string
	for _, r := range templates.Resources(tree) {
		if !slices.Contains(types, r.Type) {
			types = append(types, r.Type)
		}
	}
	return tree, types, nil
}
