// Imported from template.yaml by formwork import. It renders that template
// exactly (formwork diff shows no change): edit it as your own from here on.

package stacks

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"github.com/formwork-dev/formwork/templates"
)

// OrderQueue is the stack "order-queue", imported by formwork import.
func OrderQueue() templates.Stack {
	return templates.Stack{
		Name:        "order-queue",
		Description: "a queue",
		Build:       buildOrderQueue,
	}
}

func buildOrderQueue(t *templates.Template) {
	t.Parameter("Retention", cloudformation.Parameter{Type: "Number", Default: 345600})

	t.Resource("Queue", &sqs.Queue{}, "where orders wait")
	// goformation types sqs.Queue.MessageRetentionPeriod as *int, which cannot hold a !Ref
	t.Override("Queue", "Properties.MessageRetentionPeriod", cloudformation.Ref("Retention"))

	t.Output("QueueUrl", cloudformation.Output{Value: cloudformation.Ref("Queue")})
}
