// Command formwork renders Go-defined CloudFormation stacks to canonical YAML,
// checks them against golden/, and prints the commands that deploy them.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}
