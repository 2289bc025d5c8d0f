package stacks

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// The hardening of templates-pipeline's deploy role: each test fails on the
// role it had before (service wildcards on every resource of the service,
// iam:* on role/PREFIX-*, s3:* on PREFIX-*).

func deployPolicy(t *testing.T) (*templates.Map, []*templates.Map) {
	t.Helper()
	tree, err := DefaultTemplatesPipeline().Stack().Template().Tree()
	if err != nil {
		t.Fatal(err)
	}
	var statements []*templates.Map
	for _, st := range templates.ListAt(tree, "Resources", "StackDeployRole", "Properties", "Policies") {
		for _, s := range templates.ListAt(st, "PolicyDocument", "Statement") {
			statements = append(statements, s.(*templates.Map))
		}
	}
	if len(statements) == 0 {
		t.Fatal("StackDeployRole has no statements")
	}
	return tree, statements
}

func actionsOf(st *templates.Map) []string {
	var out []string
	for _, a := range templates.ListAt(st, "Action") {
		out = append(out, fmt.Sprint(a))
	}
	return out
}

func resourceTexts(st *templates.Map) []string {
	var out []string
	for _, r := range templates.ListAt(st, "Resource") {
		switch v := r.(type) {
		case string:
			out = append(out, v)
		case templates.Fn:
			text, _ := templates.SubParts(v.Arg)
			out = append(out, text)
		}
	}
	return out
}

func TestDeployRoleListsExactActions(t *testing.T) {
	_, statements := deployPolicy(t)
	for _, st := range statements {
		if templates.StringAt(st, "Effect") != "Allow" {
			continue
		}
		for _, a := range actionsOf(st) {
			if strings.Contains(a, "*") {
				t.Errorf("deploy role allows %s: every allowed action must be named exactly", a)
			}
		}
	}
}

// Roles, functions, topics, queues, rules, alarms and buckets: only the
// deployed stacks' own, by name.
func TestDeployRoleScopesNamedResourcesToEachStack(t *testing.T) {
	_, statements := deployPolicy(t)
	named := regexp.MustCompile(`:(role/|function:|rule/|alarm:|log-group:/aws/[a-z]+/|::|[0-9}]:)`)
	for _, st := range statements {
		if templates.StringAt(st, "Effect") != "Allow" {
			continue
		}
		for _, arn := range resourceTexts(st) {
			service := strings.SplitN(arn, ":", 4)
			if arn == "*" || len(service) < 3 || !map[string]bool{"iam": true, "lambda": true, "sns": true, "sqs": true, "events": true, "cloudwatch": true, "s3": true, "logs": true}[service[2]] {
				continue
			}
			if strings.Contains(arn, "aws-service-role/") {
				continue
			}
			if !strings.Contains(arn, "${StackNamePrefix}-") || strings.Contains(arn, "${StackNamePrefix}-*") || !named.MatchString(arn) {
				t.Errorf("%v on %s: name one deployed stack's resources, ${StackNamePrefix}-NAME-*", actionsOf(st), arn)
			}
		}
	}
}

func TestDeployRoleCreatesRolesOnlyWithTheBoundary(t *testing.T) {
	_, statements := deployPolicy(t)
	mutating := map[string]bool{"iam:CreateRole": true, "iam:PutRolePolicy": true, "iam:AttachRolePolicy": true, "iam:PutRolePermissionsBoundary": true}
	seen, denied := map[string]bool{}, false
	for _, st := range statements {
		acts := actionsOf(st)
		if templates.StringAt(st, "Effect") == "Deny" {
			denied = denied || strings.Contains(strings.Join(acts, " "), "iam:DeleteRolePermissionsBoundary")
			continue
		}
		boundary := templates.RefTarget(templates.ValueAt(st, "Condition", "StringEquals", "iam:PermissionsBoundary"))
		for _, a := range acts {
			if mutating[a] {
				seen[a] = true
				if boundary != "DeployedRoleBoundary" {
					t.Errorf("%s is allowed without Condition StringEquals iam:PermissionsBoundary !Ref DeployedRoleBoundary", a)
				}
			}
		}
	}
	if !seen["iam:CreateRole"] {
		t.Error("the deployed stacks declare roles, yet the deploy role may not create one")
	}
	if !denied {
		t.Error("the deploy role must be denied iam:DeleteRolePermissionsBoundary")
	}
}

func TestDeployRolePassesRolesOnlyToNamedServices(t *testing.T) {
	_, statements := deployPolicy(t)
	for _, st := range statements {
		for _, a := range actionsOf(st) {
			grantsPassRole := regexp.MustCompile(`^(\*|iam:\*|iam:Pass\*|iam:PassRole)$`).MatchString(a)
			if grantsPassRole && templates.StringAt(st, "Effect") == "Allow" && templates.ValueAt(st, "Condition", "StringEquals", "iam:PassedToService") == nil {
				t.Errorf("iam:PassRole on %v without iam:PassedToService", resourceTexts(st))
			}
		}
	}
}

func TestDeployRoleScopesS3ToThisAccount(t *testing.T) {
	_, statements := deployPolicy(t)
	for _, st := range statements {
		if strings.HasPrefix(strings.Join(actionsOf(st), " "), "s3:") &&
			templates.RefTarget(templates.ValueAt(st, "Condition", "StringEquals", "aws:ResourceAccount")) != "AWS::AccountId" {
			t.Errorf("%v: bucket ARNs name no account: add Condition StringEquals aws:ResourceAccount !Ref AWS::AccountId", actionsOf(st))
		}
	}
}

// The pipeline's own roles sit under selfPath, which no role/PREFIX-NAME-*
// pattern can reach for any prefix the parameter accepts, and are denied
// to the deploy role besides.
func TestDeployRoleCannotRewriteThePipeline(t *testing.T) {
	tree, statements := deployPolicy(t)
	for _, role := range []string{"RenderTemplatesRole", "StackDeployRole", "PipelineRole"} {
		if got := templates.StringAt(tree, "Resources", role, "Properties", "Path"); got != selfPath {
			t.Errorf("%s has Path %q, want %q", role, got, selfPath)
		}
	}
	prefix := regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	name := strings.TrimPrefix(selfPath, "/")
	for i := 1; i < len(name); i++ {
		if name[i] == '-' && prefix.MatchString(name[:i]) {
			t.Errorf("prefix %q reaches role%s* through role/%s-*", name[:i], selfPath, name[:i])
		}
	}
	denied := false
	for _, st := range statements {
		for _, r := range resourceTexts(st) {
			denied = denied || (templates.StringAt(st, "Effect") == "Deny" && strings.HasSuffix(r, "role"+selfPath+"*"))
		}
	}
	if !denied {
		t.Errorf("no Deny on role%s*", selfPath)
	}
}

func TestTemplatesPipelineApprovalsNotifyWithALink(t *testing.T) {
	tree, _ := deployPolicy(t)
	reviews := 0
	for _, stage := range templates.ListAt(tree, "Resources", "Pipeline", "Properties", "Stages") {
		for _, action := range templates.ListAt(stage, "Actions") {
			if templates.StringAt(action, "Name") != "ReviewChangeSet" {
				continue
			}
			reviews++
			if templates.RefTarget(templates.ValueAt(action, "Configuration", "NotificationArn")) != "ApprovalTopic" {
				t.Errorf("%s: the approval notifies no topic", templates.StringAt(stage, "Name"))
			}
			link, _ := templates.ValueAt(action, "Configuration", "ExternalEntityLink").(templates.Fn)
			if text, _ := templates.SubParts(link.Arg); !strings.Contains(text, "changeSetId=formwork") {
				t.Errorf("%s: the approval has no link to the change set: %v", templates.StringAt(stage, "Name"), link)
			}
		}
	}
	if reviews != len(DefaultTemplatesPipeline().Stacks) {
		t.Errorf("%d approvals, want one per stack", reviews)
	}
}

func TestTemplatesPipelineAcknowledgesOnlyNeededCapabilities(t *testing.T) {
	tree, _ := deployPolicy(t)
	want := map[string]any{"access-point-monitor": "CAPABILITY_IAM", "service-discovery": nil, "serverless-app-pipeline": "CAPABILITY_IAM"}
	for _, stage := range templates.ListAt(tree, "Resources", "Pipeline", "Properties", "Stages") {
		name := templates.StringAt(stage, "Name")
		w, deployed := want[name]
		if !deployed {
			continue
		}
		got := templates.ValueAt(templates.ListAt(stage, "Actions")[0], "Configuration", "Capabilities")
		if got != w {
			t.Errorf("%s acknowledges %v, want %v (CAPABILITY_AUTO_EXPAND only for a stack with a transform)", name, got, w)
		}
	}
}

func TestTemplatesPipelinePinsCfnLint(t *testing.T) {
	spec, err := renderTemplatesBuildspec.Text()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`pip3 install [^\n]*cfn-lint==[0-9]+\.[0-9]+\.[0-9]+\n`).MatchString(spec) {
		t.Errorf("cfn-lint is not pinned to an exact version:\n%s", spec)
	}
}

func TestTemplatesPipelineRefusesUnboundedRoles(t *testing.T) {
	// scheduled-binary's roles take no boundary.
	_, err := renderTemplatesPipeline(t, TemplatesPipeline{Stacks: []templates.Stack{DefaultScheduledBinary().Stack()}})
	if err == nil || !strings.Contains(err.Error(), "call blocks.BoundRoles(t) last in its Build") {
		t.Fatalf("want a refusal naming blocks.BoundRoles, got %v", err)
	}
}
