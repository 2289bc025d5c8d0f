// Command formwork renders formwork's catalogue of stacks to canonical
// CloudFormation YAML, checks them against golden/, and deploys them. A
// team's own repository has a main like this one with its own stacks
// (formwork init writes it).
package main

import (
	"github.com/formwork-dev/formwork/commands"
	"github.com/formwork-dev/formwork/stacks"
)

func main() { commands.Main(stacks.Catalogue()...) }
