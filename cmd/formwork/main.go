// Command formwork renders formwork's catalogue of stacks to canonical
// CloudFormation YAML, checks them against golden/, and deploys them. A
// team's own repository has a main like this one with its own stacks
// (formwork init writes it).
package main

import (
	"github.com/formwork-dev/formwork/cmd/cli"
	"github.com/formwork-dev/formwork/stacks"
)

func main() { cli.Main(stacks.Catalogue()...) }
