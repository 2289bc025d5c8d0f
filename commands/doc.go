// Package commands is the formwork command-line interface as a library: a
// repository's main hands it the stacks to serve, and gets every command
// (init, import, list, render, check, validate, diff, plan, params, env,
// package, deploy, apply, completion), their flags, help and exit codes.
//
// The smallest use is a repository's whole main:
//
//	func main() { commands.Main(stacks.All()...) }
//
// Main and Run check every render against rules.All (stacks/rules); a
// Config hands the CLI another rule set. Exit codes: 0 ok, 1 findings or
// differences, 2 bad usage or input, 3 a change that widens access under
// diff --fail-on broadening.
package commands
