package blocks_test

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// Go code behind a queue consumer: the block declares the asset (formwork
// package builds ./jobs/fulfil for linux/arm64, zips and uploads it) and
// the two parameters that receive the object's bucket and key.
func ExampleGoPackage() {
	t := templates.New("fulfilment", "Fulfils orders")
	t.Parameter("NotificationEmail", blocks.EmailParameter("Who hears about stuck orders."))
	blocks.Topic{ID: "AlertTopic", DisplayName: "Fulfilment", EmailParameter: "NotificationEmail"}.Add(t)
	blocks.QueueConsumer{
		ID: "Orders", Comment: "orders waiting to be fulfilled", AlertTopic: "AlertTopic",
		Consumer: blocks.Function{ID: "Fulfil", Description: "Fulfils a batch of orders", Code: blocks.GoPackage("./jobs/fulfil")},
	}.Add(t)
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range t.Assets() {
		fmt.Printf("asset %s: %s -> %s, %s\n", a.Name, a.Source, a.BucketParameter, a.KeyParameter)
	}
	parameters, _, _ := strings.Cut(string(out), "\nResources:")
	fmt.Println(parameters)
	_, function, _ := strings.Cut(string(out), "  Fulfil:\n")
	function, _, _ = strings.Cut(function, "\n\n")
	fmt.Println(function)
	// Output:
	// asset Fulfil: go ./jobs/fulfil -> FulfilCodeBucket, FulfilCodeKey
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Fulfils orders
	//
	// Metadata:
	//   AWS::CloudFormation::Interface:
	//     ParameterGroups:
	//       - Label:
	//           default: Fulfil code
	//         Parameters:
	//           - FulfilCodeBucket
	//           - FulfilCodeKey
	//
	// Parameters:
	//   NotificationEmail:
	//     Type: String
	//     Description: Who hears about stuck orders. SNS asks it to confirm the subscription first.
	//     AllowedPattern: ^[^@\s]+@[^@\s]+\.[^@\s]+$
	//     ConstraintDescription: must be one e-mail address, like ops@example.org
	//     MaxLength: 254
	//
	//   FulfilCodeBucket:
	//     Type: String
	//     Description: "S3 bucket holding Fulfil's code: formwork package uploads it there"
	//     AllowedPattern: ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$
	//     ConstraintDescription: must be an S3 bucket name
	//
	//   FulfilCodeKey:
	//     Type: String
	//     Description: "Key of Fulfil's code in FulfilCodeBucket: formwork deploy passes the one formwork package uploaded, formwork/<SHA-256 of the zip>.zip"
	//     MaxLength: 1024
	//     MinLength: 1
	//
	//     Type: AWS::Lambda::Function
	//     Properties:
	//       Architectures:
	//         - arm64
	//       Code:
	//         S3Bucket: !Ref FulfilCodeBucket
	//         S3Key: !Ref FulfilCodeKey
	//       Description: Fulfils a batch of orders
	//       Handler: bootstrap
	//       LoggingConfig:
	//         LogGroup: !Ref FulfilLogs
	//       Role: !GetAtt FulfilRole.Arn
	//       Runtime: provided.al2023
}
