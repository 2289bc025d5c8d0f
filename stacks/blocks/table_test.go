package blocks

import (
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func renderTable(t *testing.T, tb Table) string {
	t.Helper()
	return mustRender(t, tb.Add)
}

func TestTableDefaults(t *testing.T) {
	out := renderTable(t, Table{ID: "Items", PartitionKey: Key{"id", "S"}})
	wantAll(t, out, "    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n",
		"BillingMode: PAY_PER_REQUEST\n", "DeletionProtectionEnabled: true\n", "PointInTimeRecoveryEnabled: true\n", "SSEEnabled: true\n",
		"      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n",
		"      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n")
	for _, absent := range []string{"StreamSpecification", "TimeToLiveSpecification", "GlobalSecondaryIndexes", "RANGE", "ProvisionedThroughput"} {
		if strings.Contains(out, absent) {
			t.Errorf("%s without the option:\n%s", absent, out)
		}
	}
}

func TestTableOptions(t *testing.T) {
	out := renderTable(t, Table{ID: "Items", PartitionKey: Key{"pk", "S"}, SortKey: Key{"sk", "N"}, Stream: "NEW_AND_OLD_IMAGES", TimeToLive: "expiresAt",
		Indexes: []Index{{Name: "bySk", PartitionKey: Key{"sk", "N"}, SortKey: Key{"pk", "S"}}}})
	wantAll(t, out, "StreamViewType: NEW_AND_OLD_IMAGES\n", "AttributeName: expiresAt\n        Enabled: true\n",
		"        - AttributeName: sk\n          KeyType: RANGE\n", "IndexName: bySk\n")
	// Each key attribute is defined once, whichever keys share it.
	if n := strings.Count(out, "AttributeType:"); n != 2 {
		t.Errorf("%d attribute definitions, want 2 (pk, sk):\n%s", n, out)
	}
}

func TestTableOptionsRefused(t *testing.T) {
	cases := []struct {
		tb   Table
		want string
	}{
		{Table{ID: "Items"}, `test: Items: Properties.KeySchema: the table has no partition key: set PartitionKey, e.g. blocks.Key{Name: "id", Type: "S"}`},
		{Table{ID: "Items", PartitionKey: Key{"id", "string"}}, `test: Items: Properties.AttributeDefinitions: key attribute id has type "string": use S (string), N (number) or B (binary)`},
		{Table{ID: "Items", PartitionKey: Key{"id", "S"}, Indexes: []Index{{Name: "byId", PartitionKey: Key{"id", "N"}}}},
			"test: Items: Properties.AttributeDefinitions: key attribute id is declared both S and N: an attribute has one type in every key"},
		{Table{ID: "Items", PartitionKey: Key{"id", "S"}, Indexes: []Index{{Name: "a", PartitionKey: Key{"x", "S"}}, {Name: "a", PartitionKey: Key{"y", "S"}}}},
			`test: Items: Properties.GlobalSecondaryIndexes[1].IndexName: index name "a" is used twice: give each index its own name`},
		{Table{ID: "Items", PartitionKey: Key{"id", "S"}, Indexes: []Index{{PartitionKey: Key{"x", "S"}}}},
			"test: Items: Properties.GlobalSecondaryIndexes[0]: index 0 needs a Name and a PartitionKey"},
		{Table{ID: "Items", PartitionKey: Key{"id", "S"}, Stream: "ALL"},
			`test: Items: Properties.StreamSpecification.StreamViewType: stream view "ALL" is not one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES`},
	}
	for _, c := range cases {
		templatestest.WantFinding(t, templatestest.RenderError(rules.All(), c.tb.Add), c.want)
	}
	many := Table{ID: "Items", PartitionKey: Key{"id", "S"}}
	for i := 0; i <= maxGlobalIndexes; i++ {
		many.Indexes = append(many.Indexes, Index{Name: "ix" + string(rune('a'+i)), PartitionKey: Key{"id", "S"}})
	}
	templatestest.WantFinding(t, templatestest.RenderError(rules.All(), many.Add), "test: Items: Properties.GlobalSecondaryIndexes: 21 global secondary indexes, more than the 20 DynamoDB allows by default")
}

// Grants name exactly the table and its indexes; read-only grants no write.
func TestTableGrants(t *testing.T) {
	tb := Table{ID: "Items"}
	read, write := tb.Grant(ReadOnly), tb.Grant(ReadWrite)
	wantResources := []string{Arn("Items"), cloudformation.Sub("${Items.Arn}/index/*")}
	for _, s := range []Statement{read, write} {
		if !slices.Equal(s.Resource, wantResources) {
			t.Errorf("%s resources = %v, want the table and its indexes", s.Sid, s.Resource)
		}
	}
	if read.Sid != "ReadItems" || write.Sid != "ReadWriteItems" {
		t.Errorf("sids %q, %q", read.Sid, write.Sid)
	}
	for _, a := range read.Action {
		if slices.Contains(tableWriteActions, a) {
			t.Errorf("read-only grant allows %s", a)
		}
	}
	for _, a := range append(tableReadActions, "dynamodb:PutItem", "dynamodb:DeleteItem") {
		if !slices.Contains(write.Action, a) {
			t.Errorf("read-write grant lacks %s", a)
		}
	}
	if slices.Contains(write.Action, "dynamodb:DeleteTable") || slices.Contains(write.Action, "dynamodb:*") {
		t.Errorf("read-write grant reaches the table itself: %v", write.Action)
	}
	stream := tb.ReadStream()
	if !slices.Equal(stream.Resource, []string{cloudformation.Sub("${Items.Arn}/stream/*")}) {
		t.Errorf("stream grant on %v, want this table's streams only", stream.Resource)
	}
}

func TestTableGrantRendersForAFunction(t *testing.T) {
	tb := Table{ID: "Items", PartitionKey: Key{"id", "S"}}
	out, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		tb.Add(t)
		DeclareFunction(t, Function{ID: "Fn", Runtime: "python3.13", Handler: "index.handler", Code: InlineCode("pass\n"),
			Permissions: []Statement{tb.Grant(ReadWrite)}})
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, out, "Sid: ReadWriteItems", "- !GetAtt Items.Arn\n", "- !Sub ${Items.Arn}/index/*\n")
}
