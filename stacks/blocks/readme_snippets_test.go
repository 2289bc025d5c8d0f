package blocks_test

import (
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// The README's snippets, as printed (TestREADMEBlockSnippetsAreRun holds
// them to these lines), rendered with every check.

func TestREADMEQueueConsumerWithATable(t *testing.T) {
	_, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		fulfilSource := "def handler(event, context):\n    return {\"batchItemFailures\": []}\n"
		t.Parameter("NotificationEmail", blocks.EmailParameter("Who hears."))
		blocks.Topic{ID: "AlertTopic", DisplayName: "Orders", EmailParameter: "NotificationEmail"}.Add(t)
		orders := blocks.Table{ID: "Orders", PartitionKey: blocks.Key{Name: "orderId", Type: "S"}}
		orders.Add(t)
		blocks.QueueConsumer{
			ID: "Fulfilment", Comment: "orders waiting to be fulfilled", AlertTopic: "AlertTopic",
			Consumer: blocks.Function{
				ID: "Fulfil", Runtime: "python3.13", Handler: "index.handler", Arm64: true, Timeout: 30,
				Code:        blocks.InlineCode(fulfilSource),
				Environment: map[string]string{"ORDERS_TABLE": cloudformation.Ref("Orders")},
				Permissions: []blocks.Statement{orders.Grant(blocks.ReadWrite)},
			},
			AgeText: "Orders wait more than 15 minutes to be fulfilled: Fulfil is failing or too slow.",
		}.Add(t)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestREADMEGoFunction(t *testing.T) {
	_, err := templatestest.Render(t, rules.All(), func(t *templates.Template) {
		blocks.Function{ID: "Job", Description: "Nightly cleanup", Code: blocks.GoPackage("./jobs/cleanup")}.Add(t)
	})
	if err != nil {
		t.Fatal(err)
	}
}
