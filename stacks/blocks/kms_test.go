package blocks

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func TestEncryptionKeyNeedsAKnownService(t *testing.T) {
	for _, service := range []string{"", "s3"} {
		err := templatestest.RenderError(rules.All(), func(t *templates.Template) {
			EncryptionKey{ID: "Key", Service: service}.Add(t)
		})
		templatestest.WantFinding(t, err, "test: Key: Properties.KeyPolicy: ", `name the service that encrypts with the key, one of dynamodb, sns, sqs`)
	}
}

func TestTableEncryptedWithTheStacksKey(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		EncryptionKey{ID: "ItemsKey", Service: "dynamodb", Comment: "encrypts the items"}.Add(t)
		Table{ID: "Items", PartitionKey: Key{Name: "id", Type: "S"}, EncryptionKey: "ItemsKey"}.Add(t)
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, out,
		"  # encrypts the items; retained: what it encrypted cannot be read without it\n  ItemsKey:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n",
		"      SSESpecification:\n        KMSMasterKeyId: !Ref ItemsKey\n        SSEEnabled: true\n        SSEType: KMS\n",
		"          - Sid: UseThroughDynamoDB\n",
		"                kms:ViaService: !Sub dynamodb.${AWS::Region}.amazonaws.com\n",
		"                kms:CallerAccount: !Ref AWS::AccountId\n",
	)
	if strings.Contains(out, "kms:*") {
		t.Errorf("the key policy grants kms:*:\n%s", out)
	}
}

func TestTableWithoutKeyUsesTheAWSManagedKey(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		Table{ID: "Items", PartitionKey: Key{Name: "id", Type: "S"}}.Add(t)
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, out, "      SSESpecification:\n        SSEEnabled: true\n")
	if strings.Contains(out, "KMSMasterKeyId") {
		t.Errorf("a table without EncryptionKey names a key:\n%s", out)
	}
}

func TestTopicEncryptedWithItsKey(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		t.Parameter("Email", EmailParameter("Who reviews."))
		EncryptionKey{ID: "ReviewKey", Service: "sns", Comment: "encrypts reviews"}.Add(t)
		Topic{ID: "Reviews", DisplayName: "Reviews", EmailParameter: "Email", Announces: "what waits for review", EncryptionKey: "ReviewKey"}.Add(t)
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, out,
		"  # what waits for review\n  Reviews:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: Reviews\n      KmsMasterKeyId: !Ref ReviewKey\n",
		"            Action:\n              - kms:Decrypt\n              - kms:GenerateDataKey*\n",
	)
}

func TestPrivateZoneIsRetainedUnlessTransient(t *testing.T) {
	for retention, want := range map[Retention]string{"": "Retain", Retain: "Retain", Transient: "Delete"} {
		out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
			t.Parameter("ZoneName", cloudformation.Parameter{Type: "String"})
			t.Parameter("VpcId", cloudformation.Parameter{Type: "AWS::EC2::VPC::Id"})
			PrivateZone{ID: "Zone", NameParam: "ZoneName", VPCParam: "VpcId", Retention: retention}.Add(t)
		})
		if err != nil {
			t.Fatal(err)
		}
		wantAll(t, out, "    Type: AWS::Route53::HostedZone\n    DeletionPolicy: "+want+"\n    UpdateReplacePolicy: "+want+"\n")
	}
}
