package stacks

import (
	"slices"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// The catalogue's remaining security findings (issue 23), one test each;
// every one fails on the template the stack rendered before.

// TestDeployedRoleBoundaryCannotBeEscaped: a role under the boundary that
// may use IAM creates or changes a role only with this same boundary,
// cannot remove a boundary and cannot edit the boundary itself. Before, it
// allowed iam:* and a bounded role could create a role without one.
func TestDeployedRoleBoundaryCannotBeEscaped(t *testing.T) {
	tree := stackTree(t, DefaultTemplatesPipeline().Stack())
	boundary := templates.ValueAt(tree, "Resources", "DeployedRoleBoundary", "Properties")
	own := ownPolicyArn(t, boundary)
	statements := map[string]*templates.Map{}
	for _, st := range templates.ListAt(boundary, "PolicyDocument", "Statement") {
		statements[templates.StringAt(st, "Sid")] = templates.AsMap(st)
	}
	if !slices.Contains(strs(templates.ValueAt(statements["TheseServicesInThisAccount"], "Action")), "iam:*") {
		t.Fatal("the default boundary no longer allows iam:*; this test needs a stack whose bounded roles use IAM")
	}

	roles := statements["RolesOnlyWithThisBoundary"]
	if templates.StringAt(roles, "Effect") != "Deny" {
		t.Fatal("no Deny statement RolesOnlyWithThisBoundary")
	}
	for _, action := range []string{"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"} {
		if !slices.Contains(strs(templates.ValueAt(roles, "Action")), action) {
			t.Errorf("RolesOnlyWithThisBoundary does not cover %s", action)
		}
	}
	if got := subText(templates.ValueAt(roles, "Condition", "StringNotEquals", "iam:PermissionsBoundary")); got != own {
		t.Errorf("RolesOnlyWithThisBoundary requires boundary %q, want the policy's own ARN %q", got, own)
	}

	if !slices.Contains(strs(templates.ValueAt(statements["KeepBoundaries"], "Action")), "iam:DeleteRolePermissionsBoundary") {
		t.Error("KeepBoundaries does not deny iam:DeleteRolePermissionsBoundary")
	}
	keep := statements["KeepThisBoundary"]
	for _, action := range []string{"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"} {
		if templates.StringAt(keep, "Effect") != "Deny" || !slices.Contains(strs(templates.ValueAt(keep, "Action")), action) {
			t.Errorf("KeepThisBoundary does not deny %s", action)
		}
	}
	if got := strs(templates.ValueAt(keep, "Resource")); len(got) != 1 || subText(templates.ListAt(keep, "Resource")[0]) != own {
		t.Errorf("KeepThisBoundary guards %v, want the boundary %q", got, own)
	}
}

// ownPolicyArn is the ARN (as !Sub text) a managed policy gets from its
// Path and ManagedPolicyName.
func ownPolicyArn(t *testing.T, policy any) string {
	t.Helper()
	name := subText(templates.ValueAt(policy, "ManagedPolicyName"))
	if name == "" {
		t.Fatal("the boundary has no ManagedPolicyName, so it cannot name its own ARN")
	}
	path := templates.StringAt(policy, "Path")
	if path == "" {
		path = "/"
	}
	return "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy" + path + name
}

// subText is the text of a string or of a !Sub.
func subText(v any) string {
	if fn, ok := v.(templates.Fn); ok && fn.Name == templates.FnSub {
		s, _ := fn.Arg.(string)
		return s
	}
	s, _ := v.(string)
	return s
}

// strs is a string or a list of them, !Sub texts included.
func strs(v any) []string {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []string
	for _, x := range list {
		out = append(out, subText(x))
	}
	return out
}

// keyOf checks that resource encrypts with a KMS key the stack declares,
// whose policy grants no kms:* and lets the account use it only through
// service, and returns the key's logical id.
func keyOf(t *testing.T, tree *templates.Map, resource string, keyPath []string, service string) {
	t.Helper()
	key := templates.RefTarget(templates.ValueAt(templates.ValueAt(tree, "Resources", resource, "Properties"), keyPath...))
	if templates.StringAt(tree, "Resources", key, "Type") != "AWS::KMS::Key" {
		t.Fatalf("%s.%s is %v, want !Ref of a KMS key the stack declares", resource, strings.Join(keyPath, "."), templates.ValueAt(tree, "Resources", resource, "Properties"))
	}
	props := templates.ValueAt(tree, "Resources", key, "Properties")
	if templates.ValueAt(props, "EnableKeyRotation") != true {
		t.Errorf("key %s does not rotate", key)
	}
	for _, st := range templates.ListAt(props, "KeyPolicy", "Statement") {
		actions := strs(templates.ValueAt(st, "Action"))
		if slices.Contains(actions, "kms:*") {
			t.Errorf("key %s statement %s grants kms:*", key, templates.StringAt(st, "Sid"))
		}
		crypto := slices.ContainsFunc(actions, func(a string) bool { return a == "kms:Decrypt" || strings.HasPrefix(a, "kms:GenerateDataKey") })
		via := subText(templates.ValueAt(st, "Condition", "StringEquals", "kms:ViaService"))
		if crypto && via != service+".${AWS::Region}.amazonaws.com" {
			t.Errorf("key %s statement %s lets principals decrypt other than through %s (kms:ViaService %q)", key, templates.StringAt(st, "Sid"), service, via)
		}
	}
}

// TestOrderServiceTableEncryptedWithItsOwnKey: before, the table used the
// AWS managed key aws/dynamodb (SSEEnabled only), shared by every table.
func TestOrderServiceTableEncryptedWithItsOwnKey(t *testing.T) {
	tree := stackTree(t, OrderService{}.Stack())
	if got := templates.StringAt(tree, "Resources", orders.ID, "Properties", "SSESpecification", "SSEType"); got != "KMS" {
		t.Errorf("SSEType = %q, want KMS", got)
	}
	keyOf(t, tree, orders.ID, []string{"SSESpecification", "KMSMasterKeyId"}, "dynamodb")
}

// TestApprovalTopicEncrypted: before, the topic had no KmsMasterKeyId.
func TestApprovalTopicEncrypted(t *testing.T) {
	keyOf(t, stackTree(t, DefaultTemplatesPipeline().Stack()), "ApprovalTopic", []string{"KmsMasterKeyId"}, "sns")
}

// TestOrderServiceFunctionsReserveConcurrency: before, both functions ran
// on the account's shared pool; the consumer's reserve must cover what its
// mapping invokes at once.
func TestOrderServiceFunctionsReserveConcurrency(t *testing.T) {
	tree := stackTree(t, OrderService{}.Stack())
	for _, fn := range []string{"TakeOrder", "Fulfil"} {
		if templates.ValueAt(tree, "Resources", fn, "Properties", "ReservedConcurrentExecutions") == nil {
			t.Errorf("%s has no ReservedConcurrentExecutions", fn)
		}
	}
	reserved := templates.ValueAt(tree, "Resources", "Fulfil", "Properties", "ReservedConcurrentExecutions")
	maximum := templates.ValueAt(tree, "Resources", "FulfilmentQueueMapping", "Properties", "ScalingConfig", "MaximumConcurrency")
	if reserved != maximum {
		t.Errorf("Fulfil reserves %v, its mapping invokes up to %v at once: want them equal", reserved, maximum)
	}
}

// TestServiceDiscoveryRetainsItsZone: before, deleting the stack deleted
// the zone and the records clients had added to it.
func TestServiceDiscoveryRetainsItsZone(t *testing.T) {
	zone := templates.ValueAt(stackTree(t, DefaultServiceDiscovery().Stack()), "Resources", discoveryZone)
	for _, policy := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		if got := templates.StringAt(zone, policy); got != "Retain" {
			t.Errorf("%s = %q, want Retain", policy, got)
		}
	}
}

// TestTemplatesPipelineRefusesKeys: the deploy role cannot be scoped to a
// stack's own KMS keys, so a stack with one is refused with the reason,
// not deployed with rights over every key of the account.
func TestTemplatesPipelineRefusesKeys(t *testing.T) {
	_, err := deployRightsFor("AWS::KMS::Key", "${StackNamePrefix}-order-service", "boundary")
	if err == nil || !strings.Contains(err.Error(), "templates-pipeline does not deploy AWS::KMS::Key: KMS names keys by generated ids") {
		t.Errorf("got %v, want the refusal naming AWS::KMS::Key", err)
	}
}
