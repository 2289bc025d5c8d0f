package blocks

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/dynamodb"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/formwork-dev/formwork/templates"
)

// Table is a DynamoDB table that holds data worth keeping: billed per
// request (nothing to size, nothing idle to pay for), encrypted with a KMS
// key (the AWS managed one, or the stack's own EncryptionKey), point-in-time recovery for the last 35 days, deletion
// protection on, and DeletionPolicy and UpdateReplacePolicy Retain, so
// neither deleting the stack nor a change that replaces the table deletes
// the data. Functions get rights on it with Grant.
type Table struct {
	// ID is the table's logical id; CloudFormation names the table.
	ID string
	// Comment says what the items are (written above the table).
	Comment string
	// PartitionKey and SortKey make up the primary key; leave the SortKey's
	// Name empty for a table keyed by the partition key alone.
	PartitionKey, SortKey Key
	// Indexes are global secondary indexes, each projecting every attribute.
	Indexes []Index
	// Stream, when set, is what the table's stream carries for each change:
	// KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES. Read it with
	// ReadStream.
	Stream string
	// TimeToLive names the attribute holding an item's expiry (epoch
	// seconds); DynamoDB deletes expired items. "" for none.
	TimeToLive string
	// EncryptionKey is the logical id of the EncryptionKey (Service
	// "dynamodb") the items are encrypted with; "" for the AWS managed
	// key aws/dynamodb, which the account cannot restrict or audit apart
	// from other tables.
	EncryptionKey string
}

// Key is an attribute of a key: its name and type, S (string), N (number)
// or B (binary).
type Key struct {
	Name, Type string
}

// Index is a global secondary index, queried by its own key.
type Index struct {
	Name                  string
	PartitionKey, SortKey Key
}

// Access is what a grant allows on a table.
type Access int

const (
	// ReadOnly reads items: get, batch get, query, scan.
	ReadOnly Access = iota
	// ReadWrite also puts, updates and deletes items.
	ReadWrite
)

var (
	tableReadActions = []string{
		"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
		"dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
	}
	tableWriteActions = []string{
		"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
	}
	streamReadActions = []string{
		"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
	}
	streamViewTypes = map[string]bool{"KEYS_ONLY": true, "NEW_IMAGE": true, "OLD_IMAGE": true, "NEW_AND_OLD_IMAGES": true}
	keyTypes        = map[string]bool{"S": true, "N": true, "B": true}
)

// maxGlobalIndexes is DynamoDB's default quota of global secondary indexes
// per table.
const maxGlobalIndexes = 20

// Add declares the table in t.
func (tb Table) Add(t *templates.Template) {
	tb.validate(t)
	table := &dynamodb.Table{
		BillingMode:                          cloudformation.String("PAY_PER_REQUEST"),
		KeySchema:                            keySchema(tb.PartitionKey, tb.SortKey),
		AttributeDefinitions:                 tb.attributes(),
		GlobalSecondaryIndexes:               tb.indexes(),
		PointInTimeRecoverySpecification:     &dynamodb.Table_PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: cloudformation.Bool(true)},
		DeletionProtectionEnabled:            cloudformation.Bool(true),
		SSESpecification:                     tb.encryption(),
		AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Retain"),
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
	}
	if tb.Stream != "" {
		table.StreamSpecification = &dynamodb.Table_StreamSpecification{StreamViewType: tb.Stream}
	}
	if tb.TimeToLive != "" {
		table.TimeToLiveSpecification = &dynamodb.Table_TimeToLiveSpecification{AttributeName: cloudformation.String(tb.TimeToLive), Enabled: true}
	}
	t.Resource(tb.ID, table, tb.Comment)
}

// encryption is KMS with the table's own key, or with the AWS managed key.
func (tb Table) encryption() *dynamodb.Table_SSESpecification {
	if tb.EncryptionKey == "" {
		return &dynamodb.Table_SSESpecification{SSEEnabled: true}
	}
	return &dynamodb.Table_SSESpecification{SSEEnabled: true, SSEType: cloudformation.String("KMS"),
		KMSMasterKeyId: cloudformation.String(cloudformation.Ref(tb.EncryptionKey))}
}

// Grant is the statement that lets a function read (or read and write) the
// items of this table and query its indexes, and nothing else.
func (tb Table) Grant(access Access) Statement {
	actions, verb := tableReadActions, "Read"
	if access == ReadWrite {
		actions, verb = append(append([]string{}, tableReadActions...), tableWriteActions...), "ReadWrite"
	}
	return sid(verb+tb.ID, Allow(actions, Arn(tb.ID), cloudformation.Sub("${"+tb.ID+".Arn}/index/*")))
}

// ReadStream lets a function (or an event source mapping acting with its
// role) read this table's stream, and no other.
func (tb Table) ReadStream() Statement {
	return sid("ReadStreamOf"+tb.ID, Allow(streamReadActions, cloudformation.Sub("${"+tb.ID+".Arn}/stream/*")))
}

func keySchema(partition, sort Key) []dynamodb.Table_KeySchema {
	keys := []dynamodb.Table_KeySchema{{AttributeName: partition.Name, KeyType: "HASH"}}
	if sort.Name != "" {
		keys = append(keys, dynamodb.Table_KeySchema{AttributeName: sort.Name, KeyType: "RANGE"})
	}
	return keys
}

// keys are every key attribute of the table and its indexes, in the order
// first used.
func (tb Table) keys() []Key {
	all := []Key{tb.PartitionKey, tb.SortKey}
	for _, ix := range tb.Indexes {
		all = append(all, ix.PartitionKey, ix.SortKey)
	}
	var out []Key
	seen := map[string]bool{}
	for _, k := range all {
		if k.Name != "" && !seen[k.Name] {
			seen[k.Name] = true
			out = append(out, k)
		}
	}
	return out
}

// attributes defines exactly the key attributes: CloudFormation refuses a
// definition that no key uses.
func (tb Table) attributes() []dynamodb.Table_AttributeDefinition {
	var out []dynamodb.Table_AttributeDefinition
	for _, k := range tb.keys() {
		out = append(out, dynamodb.Table_AttributeDefinition{AttributeName: k.Name, AttributeType: k.Type})
	}
	return out
}

func (tb Table) indexes() []dynamodb.Table_GlobalSecondaryIndex {
	var out []dynamodb.Table_GlobalSecondaryIndex
	for _, ix := range tb.Indexes {
		out = append(out, dynamodb.Table_GlobalSecondaryIndex{
			IndexName:  ix.Name,
			KeySchema:  keySchema(ix.PartitionKey, ix.SortKey),
			Projection: &dynamodb.Table_Projection{ProjectionType: cloudformation.String("ALL")},
		})
	}
	return out
}

// validate refuses tables DynamoDB would reject at deploy time.
func (tb Table) validate(t *templates.Template) {
	fail := func(path, format string, args ...any) { t.Fail(tb.ID, path, fmt.Sprintf(format, args...)) }
	if tb.PartitionKey.Name == "" {
		fail("Properties.KeySchema", "the table has no partition key: set PartitionKey, e.g. blocks.Key{Name: \"id\", Type: \"S\"}")
	}
	types := map[string]string{}
	keys := []Key{tb.PartitionKey, tb.SortKey}
	for _, ix := range tb.Indexes {
		keys = append(keys, ix.PartitionKey, ix.SortKey)
	}
	for _, k := range keys {
		switch {
		case k.Name == "":
		case !keyTypes[k.Type]:
			fail("Properties.AttributeDefinitions", "key attribute %s has type %q: use S (string), N (number) or B (binary)", k.Name, k.Type)
		case types[k.Name] != "" && types[k.Name] != k.Type:
			fail("Properties.AttributeDefinitions", "key attribute %s is declared both %s and %s: an attribute has one type in every key", k.Name, types[k.Name], k.Type)
		default:
			types[k.Name] = k.Type
		}
	}
	tb.validateIndexes(fail)
	if tb.Stream != "" && !streamViewTypes[tb.Stream] {
		fail("Properties.StreamSpecification.StreamViewType", "stream view %q is not one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES", tb.Stream)
	}
}

func (tb Table) validateIndexes(fail func(path, format string, args ...any)) {
	if len(tb.Indexes) > maxGlobalIndexes {
		fail("Properties.GlobalSecondaryIndexes", "%d global secondary indexes, more than the %d DynamoDB allows by default", len(tb.Indexes), maxGlobalIndexes)
	}
	names := map[string]bool{}
	for i, ix := range tb.Indexes {
		path := fmt.Sprintf("Properties.GlobalSecondaryIndexes[%d]", i)
		if names[ix.Name] {
			fail(path+".IndexName", "index name %q is used twice: give each index its own name", ix.Name)
		}
		names[ix.Name] = true
		if ix.Name == "" || ix.PartitionKey.Name == "" {
			fail(path, "index %d needs a Name and a PartitionKey", i)
		}
	}
}
