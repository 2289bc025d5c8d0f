package blocks_test

import (
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/stacks/blocks"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// The smallest use, as the package doc shows it: one block, added to a
// template, rendered.
func Example() {
	t := templates.New("exports", "Keeps exports")
	blocks.PrivateBucket{ID: "Exports", Comment: "exports; retained: the only copy", Retention: blocks.Retain}.Add(t)
	out, err := templates.Render(t, templates.YAML, rules.All())
	if err != nil {
		fmt.Println(err)
		return
	}
	resources, _, _ := strings.Cut(string(out), "    Properties:")
	fmt.Print(resources)
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	//
	// Description: Keeps exports
	//
	// Resources:
	//   # exports; retained: the only copy
	//   Exports:
	//     Type: AWS::S3::Bucket
	//     DeletionPolicy: Retain
	//     UpdateReplacePolicy: Retain
}
