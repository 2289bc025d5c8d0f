package stacks

import (
	_ "embed"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/templates"
)

// OrderService is the order-service stack: an HTTP API takes orders into a
// DynamoDB table and onto a queue, and a queue consumer fulfils them. It is
// the catalogue's example of the everyday blocks (HTTPFunction, Table,
// QueueConsumer) composed.
type OrderService struct {
	// CustomDomain serves the API at ApiDomainName, with a certificate
	// validated in HostedZoneId, instead of its execute-api address.
	CustomDomain bool
}

// DefaultOrderService is the stack as committed in golden/: with a custom
// domain.
func DefaultOrderService() OrderService { return OrderService{CustomDomain: true} }

// Stack is the order-service stack with these options.
func (o OrderService) Stack() templates.Stack {
	return templates.Stack{
		Name:        "order-service",
		Description: "Takes orders over an IAM-signed HTTP API into a DynamoDB table and a queue, and fulfils them from the queue, with alarms on errors, latency and stuck orders",
		Build:       o.Build,
	}
}

// The order service's code, deployed inline as written (no !Sub: the
// table and queue reach it through its environment).
var (
	//go:embed assets/order_intake.py
	orderIntakeSource string
	//go:embed assets/order_fulfilment.py
	orderFulfilmentSource string
)

// orders is the table every part of the service shares.
var orders = blocks.Table{
	ID:           "Orders",
	Comment:      "one item per order; byCustomer lists a customer's orders by date",
	PartitionKey: blocks.Key{Name: "orderId", Type: "S"},
	Indexes: []blocks.Index{{
		Name:         "byCustomer",
		PartitionKey: blocks.Key{Name: "customerId", Type: "S"},
		SortKey:      blocks.Key{Name: "createdAt", Type: "S"},
	}},
	EncryptionKey: "OrdersKey",
}

// Build declares the stack: parameters, the topic, the table, the API, then
// the fulfilment queue and its consumer.
func (o OrderService) Build(t *templates.Template) {
	o.parameters(t)
	blocks.Topic{ID: "AlertTopic", DisplayName: "Order service", EmailParameter: "NotificationEmail"}.Add(t)
	blocks.EncryptionKey{ID: "OrdersKey", Service: "dynamodb", Comment: "encrypts the orders table"}.Add(t)
	orders.Add(t)
	environment := map[string]string{
		"ORDERS_TABLE":         cloudformation.Ref(orders.ID),
		"FULFILMENT_QUEUE_URL": cloudformation.Ref("FulfilmentQueue"),
	}
	api := blocks.HTTPFunction{
		ID:      "OrdersApi",
		Comment: "the order service's HTTP API; callers sign their requests with IAM (SigV4)",
		Handler: blocks.Function{
			ID:          "TakeOrder",
			Description: "Stores a new order and queues it for fulfilment; shows an order",
			Runtime:     "python3.13",
			Handler:     "index.handler",
			Arm64:       true,
			Code:        blocks.InlineCode(orderIntakeSource),
			MemorySize:  256,
			Timeout:     10,
			Environment: environment,
			Permissions: []blocks.Statement{orders.Grant(blocks.ReadWrite), blocks.SendTo("FulfilmentQueue")},
			// 50 requests per second (the stage's throttle) of about
			// 200 ms each; the reserve keeps a slow table from draining
			// the account's concurrency, and other functions from
			// starving the API.
			ReservedConcurrency: 10,
		},
		Routes:           []string{"POST /orders", "GET /orders/{orderId}"},
		AlertTopic:       "AlertTopic",
		ServerErrorsText: "Orders are failing: the order API answered 5 or more requests with a 5xx in five minutes. TakeOrder's log group says why.",
		LatencyText:      "Taking orders is slow: one request in twenty has taken over a second for fifteen minutes. Check TakeOrder's duration and DynamoDB latency.",
	}
	if o.CustomDomain {
		api.Domain = &blocks.Domain{Name: cloudformation.Ref("ApiDomainName"), HostedZoneID: cloudformation.Ref("HostedZoneId")}
	}
	api.Add(t)
	blocks.QueueConsumer{
		ID:      "FulfilmentQueue",
		Comment: "orders taken and waiting to be fulfilled",
		Consumer: blocks.Function{
			ID:          "Fulfil",
			Description: "Fulfils a batch of taken orders",
			Runtime:     "python3.13",
			Handler:     "index.handler",
			Arm64:       true,
			Code:        blocks.InlineCode(orderFulfilmentSource),
			MemorySize:  256,
			Timeout:     30,
			Environment: map[string]string{"ORDERS_TABLE": cloudformation.Ref(orders.ID)},
			Permissions: []blocks.Statement{orders.Grant(blocks.ReadWrite)},
			// As many as the mapping invokes at once (MaxConcurrency):
			// guaranteed, and never throttled.
			ReservedConcurrency: 5,
		},
		MaxConcurrency: 5,
		AlertTopic:     "AlertTopic",
		AgeText:        "Orders wait more than 15 minutes to be fulfilled: Fulfil is failing or too slow. Its log group says which.",
		DeadLetterText: "An order failed fulfilment five times; it waits in FulfilmentQueueDeadLetters. Fix the cause, then redrive it from the SQS console.",
	}.Add(t)
	blocks.OutputRef{ID: "OrdersTableName", Resource: orders.ID, Description: "The orders table"}.Add(t)
	blocks.OutputRef{ID: "FulfilmentQueueUrl", Resource: "FulfilmentQueue", Description: "Queue of orders waiting to be fulfilled"}.Add(t)
}

func (o OrderService) parameters(t *templates.Template) {
	if o.CustomDomain {
		t.Parameter("ApiDomainName", cloudformation.Parameter{
			Type:                  "String",
			Description:           cloudformation.String("Domain name the API answers at, e.g. orders.example.com, in the HostedZoneId zone"),
			AllowedPattern:        cloudformation.String(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`),
			ConstraintDescription: cloudformation.String("must be a lower-case domain name such as orders.example.com, without a trailing dot"),
			MaxLength:             cloudformation.Int(253),
		})
		t.Parameter("HostedZoneId", cloudformation.Parameter{
			Type:        "AWS::Route53::HostedZone::Id",
			Description: cloudformation.String("Public Route 53 zone holding ApiDomainName; the certificate is validated through it"),
		})
		t.ParameterGroup("Domain", "ApiDomainName", "HostedZoneId")
	}
	t.Parameter("NotificationEmail", blocks.EmailParameter("Address that is told when orders fail, slow down or get stuck."))
	t.ParameterGroup("Notification", "NotificationEmail")
}
