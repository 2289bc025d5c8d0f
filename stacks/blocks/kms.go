package blocks

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/kms"
	"github.com/formwork-dev/formwork/templates"
)

// EncryptionKey is a customer managed KMS key that one AWS service uses to
// encrypt a resource of the stack at rest (a Table's items, a Topic's
// messages). It rotates yearly and is retained with the stack: what it
// encrypted, a backup or a retained table, cannot be read without it.
//
// Its key policy grants as little as the service needs:
//   - the account (its IAM policies) may administer the key, but not
//     encrypt or decrypt with it;
//   - principals of this account may use it only through Service
//     (kms:ViaService), the way the service's AWS managed key works. Who
//     reads the data is then decided where it always is, in the grants on
//     the resource itself (Table.Grant, sns:Publish on the topic), and the
//     key cannot be used directly, from another account or by another
//     service.
//
// The policy names no role of the stack: a role's policy names the table or
// topic, which names the key, so naming the role in the key would be a
// circular reference CloudFormation refuses.
type EncryptionKey struct {
	ID string
	// Service is the service that encrypts with the key, as in its
	// endpoint: one of KeyServices ("dynamodb", "sns", "sqs").
	Service string
	// Comment says what the key protects (written above it).
	Comment string
}

// keyAdministration are the key policy's administrative actions: everything
// but using the key and granting its use.
var keyAdministration = []string{
	"kms:CancelKeyDeletion", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey",
	"kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies",
	"kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource",
	"kms:UntagResource", "kms:UpdateKeyDescription",
}

// keyUse is what each service does with the key for a caller. DynamoDB
// also keeps grants for its background work and re-encrypts on key
// changes; SNS and SQS make and open data keys.
var keyUse = map[string][]string{
	"dynamodb": {"kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"},
	"sns":      {"kms:Decrypt", "kms:GenerateDataKey*"},
	"sqs":      {"kms:Decrypt", "kms:GenerateDataKey*"},
}

// serviceNames are the services' names as their docs write them.
var serviceNames = map[string]string{"dynamodb": "DynamoDB", "sns": "SNS", "sqs": "SQS"}

// KeyServices are the services an EncryptionKey serves.
func KeyServices() []string { return slices.Sorted(maps.Keys(keyUse)) }

// Add declares the key in t.
func (k EncryptionKey) Add(t *templates.Template) {
	actions, ok := keyUse[k.Service]
	if !ok {
		t.Fail(k.ID, "Properties.KeyPolicy", fmt.Sprintf("Service %q: name the service that encrypts with the key, one of %s", k.Service, strings.Join(KeyServices(), ", ")))
	}
	deletion, replace := Retain.Policies()
	account := map[string]any{"AWS": cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")}
	administer := Statement{Sid: "AdministerKey", Effect: "Allow", Principal: account, Action: keyAdministration, Resource: []string{"*"}}
	use := Statement{Sid: "UseThrough" + serviceNames[k.Service], Effect: "Allow", Principal: map[string]any{"AWS": "*"}, Action: actions, Resource: []string{"*"}}.
		When("StringEquals", "kms:CallerAccount", cloudformation.Ref("AWS::AccountId")).
		When("StringEquals", "kms:ViaService", cloudformation.Sub(k.Service+".${AWS::Region}.amazonaws.com"))
	t.Resource(k.ID, &kms.Key{
		Description:                          cloudformation.String(k.Comment),
		EnableKeyRotation:                    cloudformation.Bool(true),
		PendingWindowInDays:                  cloudformation.Int(30),
		KeyPolicy:                            Policy(administer, use),
		AWSCloudFormationDeletionPolicy:      deletion,
		AWSCloudFormationUpdateReplacePolicy: replace,
	}, joinComment(k.Comment, "retained: what it encrypted cannot be read without it"))
}
