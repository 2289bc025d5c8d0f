package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/formwork-dev/formwork/stacks"
	"github.com/urfave/cli/v2"
)

// Exit codes, as in the CLI contract.
const (
	exitOK       = 0
	exitFindings = 1 // findings or differences
	exitUsage    = 2 // bad usage or input
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitError carries an exit code and a one-line message.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// usageError is bad input: exit 2.
func usageError(format string, args ...any) error {
	return exitError{exitUsage, fmt.Sprintf(format, args...)}
}

// findingsError reports findings or differences already printed: exit 1.
func findingsError(format string, args ...any) error {
	return exitError{exitFindings, fmt.Sprintf(format, args...)}
}

// commands is the list every command file appends to in init.
var commands []*cli.Command

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:    "formwork",
		Usage:   "render Go-defined CloudFormation stacks to reviewable YAML",
		Version: version,
		Description: "formwork turns the stacks defined in Go under stacks/ into canonical, short-form\n" +
			"CloudFormation YAML, keeps golden/ in sync with them, and prints the commands that deploy them.\n\n" +
			"Examples:\n" +
			"   formwork list\n" +
			"   formwork render access-point-monitor\n" +
			"   formwork render --out out/",
		Commands:             commands,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		HideHelpCommand:      true,
		ExitErrHandler:       func(*cli.Context, error) {}, // run maps errors to exit codes
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError("%v: see formwork --help", err)
		},
	}
}

// run executes the CLI and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") && app.Command(args[1]) == nil {
		fmt.Fprintln(stderr, unknownCommand(app, args[1]))
		return exitUsage
	}
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "formwork: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "formwork: "+oneLine(err.Error()))
	return exitUsage
}

func unknownCommand(app *cli.App, name string) string {
	var names []string
	for _, c := range app.Commands {
		names = append(names, c.Name)
	}
	msg := fmt.Sprintf("formwork: unknown command %q", name)
	if guess := stacks.Closest(name, names); guess != "" {
		msg += fmt.Sprintf(": did you mean %q?", guess)
	}
	return msg + " (formwork --help lists the commands)"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
