// Imported from template.json by formwork import. It renders that template
// exactly (formwork diff shows no change): edit it as your own from here on.

package stacks

import (
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"github.com/formwork-dev/formwork/templates"
)

// CrlfBom is the stack "crlf-bom", imported by formwork import.
func CrlfBom() templates.Stack {
	return templates.Stack{
		Name:  "crlf-bom",
		Build: buildCrlfBom,
	}
}

func buildCrlfBom(t *templates.Template) {
	t.Resource("Q", &sqs.Queue{
		QueueName:          cloudformation.String("aé/b"),
		MaximumMessageSize: cloudformation.Int(262144),
		FifoQueue:          cloudformation.Bool(true),
	}, "")
	// goformation types sqs.Queue.DelaySeconds as *int, which cannot hold 1.5e1
	t.Override("Q", "Properties.DelaySeconds", json.Number("1.5e1"))

	t.Output("O", cloudformation.Output{Value: cloudformation.GetAtt("Q", "Arn")})
}
