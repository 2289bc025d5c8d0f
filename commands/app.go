package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// Exit codes, as in the CLI contract.
const (
	exitOK       = 0
	exitFindings = 1 // findings or differences
	exitUsage    = 2 // bad usage or input
	exitBroadens = 3 // diff --fail-on broadening: a change widens access
)

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

// commandGroup is the commands of one task.
type commandGroup struct {
	category, purpose string
	commands          []*cli.Command
}

// commandGroups is every command, in the order --help shows them: grouped by
// task, from starting a repository to deploying it. A command exists only
// if it is listed here.
func commandGroups() []commandGroup {
	return []commandGroup{
		{"start", "a repository of your own", []*cli.Command{initCommand(), importCommand()}},
		{"author", "stacks and their templates", []*cli.Command{listCommand(), renderCommand(), checkCommand(), validateCommand()}},
		{"review", "what a change does", []*cli.Command{diffCommand(), planCommand()}},
		{"deploy", "to AWS, per environment", []*cli.Command{paramsCommand(), envCommand(), packageCommand(), deployCommand(), applyCommand()}},
		{"shell", "", []*cli.Command{completionCommand(), versionCommand()}},
	}
}

// commandList is every command of commandGroups, in order, each with its
// category set.
func commandList() []*cli.Command { return commandsOf(commandGroups()) }

// commandsOf is every command of the groups, in order, each with its
// category set.
func commandsOf(groups []commandGroup) []*cli.Command {
	var out []*cli.Command
	for _, g := range groups {
		for _, c := range g.commands {
			c.Category = g.category
			out = append(out, c)
		}
	}
	return out
}

// commandsHelp is the COMMANDS section of --help, in commandGroups' order
// (urfave/cli would sort the categories by name).
func commandsHelp(groups []commandGroup) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, g := range groups {
		heading := g.category
		if g.purpose != "" {
			heading += ": " + g.purpose
		}
		fmt.Fprintf(w, "\n   %s\n", heading)
		for _, c := range g.commands {
			fmt.Fprintf(w, "     %s\t%s\n", c.Name, c.Usage)
		}
	}
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// appHelpTemplate is urfave/cli's, with the commands in task order.
func appHelpTemplate(groups []commandGroup) string {
	return strings.Replace(cli.AppHelpTemplate, `{{template "visibleCommandCategoryTemplate" .}}`, commandsHelp(groups), 1)
}

func newApp(stdout, stderr io.Writer, list []templates.Stack) *cli.App {
	groups := commandGroups() // every command is built once per run
	return &cli.App{
		Name:                  "formwork",
		Usage:                 "render Go-defined CloudFormation stacks to reviewable YAML",
		Version:               versionString(),
		Description:           description(list),
		Commands:              prepareCommands(commandsOf(groups)),
		CustomAppHelpTemplate: appHelpTemplate(groups),
		Writer:                stdout,
		ErrWriter:             stderr,
		EnableBashCompletion:  true,
		BashComplete:          completeCommands,
		HideHelpCommand:       true,
		// --param Key=a,b is one value: CommaDelimitedList parameters hold commas.
		DisableSliceFlagSeparator: true,
		ExitErrHandler:            func(*cli.Context, error) {}, // run maps errors to exit codes
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError("%s: see formwork --help", flagError(err))
		},
	}
}

// description is the app's help text, its examples on the first of the
// stacks served.
func description(list []templates.Stack) string {
	example := "my-stack"
	if len(list) > 0 {
		example = list[0].Name
	}
	return "formwork turns the stacks defined in Go under stacks/ into canonical, short-form\n" +
		"CloudFormation YAML, keeps golden/ in sync with them, and deploys them.\n" +
		"Exit status: 0 ok, 1 findings or differences, 2 bad usage or input, 3 a change that widens\n" +
		"access (diff --fail-on broadening). Scripts that read it use the built binary (make build):\n" +
		"go run turns every failure into 1.\n\n" +
		"Examples:\n" +
		"   formwork list\n" +
		"   formwork render " + example + "\n" +
		"   formwork check\n" +
		"   formwork params " + example + " > params.json   # fill in the values, then:\n" +
		"   formwork deploy " + example + " --params params.json\n" +
		"   formwork completion bash > /etc/bash_completion.d/formwork"
}

// prepareCommands gives every command the same conventions: a bad flag is
// one line and exit 2 (not the help text), "help" is not a subcommand (it
// would shadow a stack argument), and stack arguments complete in the shell.
// Each app gets its own copies, because urfave/cli keeps state in commands
// and flags (a flag read from the environment keeps that value).
func prepareCommands(list []*cli.Command) []*cli.Command {
	out := make([]*cli.Command, len(list))
	for i, orig := range list {
		c := freshCommand(orig)
		out[i] = c
		c.HideHelpCommand = true
		if c.OnUsageError == nil {
			c.OnUsageError = commandUsageError(c.Name)
		}
		if c.BashComplete == nil {
			c.BashComplete = completeStacks
		}
	}
	return out
}

func freshCommand(c *cli.Command) *cli.Command {
	cp := *c
	cp.Flags = make([]cli.Flag, len(c.Flags))
	for i, f := range c.Flags {
		cp.Flags[i] = copyFlag(f)
	}
	return &cp
}

// copyFlag copies the struct a flag points to.
func copyFlag(f cli.Flag) cli.Flag {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return f
	}
	cp := reflect.New(v.Elem().Type())
	cp.Elem().Set(v.Elem())
	return cp.Interface().(cli.Flag)
}

func commandUsageError(name string) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		return usageError("%s: %s: see formwork %s --help", name, flagError(err), name)
	}
}

// flagError rewrites the flag package's wording into the CLI's.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + strings.TrimLeft(name, "-")
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag --" + strings.TrimLeft(name, "-") + " needs a value"
	}
	if m := envParseError().FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s=%q is not a %s value: set it to true or false, or unset it (it sets --%s)", m[3], m[1], m[2], m[4])
	}
	return oneLine(msg)
}

// envParseError is urfave/cli's wording for a bad value in an environment
// variable that sets a flag.
var envParseError = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`could not parse "(.*)" as (\w+) value from environment variable "(\w+)" for flag ([\w-]+)`)
})

// Config is what a formwork CLI serves: a repository's stacks, and the rules
// every render of them must pass. Main and Run use rules.All; a team that
// adds rules of its own builds a Config:
//
//	commands.Config{Stacks: infra.Stacks(), Rules: append(rules.All(), infra.Rules()...)}.Main()
type Config struct {
	Stacks []templates.Stack
	Rules  templates.Rules
}

// Main runs the formwork CLI over os.Args for exactly the given stacks,
// with every formwork rule (rules.All), and exits with its status. It is
// the whole of a repository's main:
//
//	func main() { commands.Main(infra.Stacks()...) }
func Main(list ...templates.Stack) {
	Config{Stacks: list, Rules: rules.All()}.Main()
}

// Main runs the CLI over os.Args and exits with its status.
func (cfg Config) Main() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := interruptible(os.Stderr)
	code := cfg.Run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// memoryLimit bounds the heap of a run: formwork lives for milliseconds, so
// the garbage collector only starts when the heap nears this size (a render
// of every stack allocates about 3 MB). Measured on `formwork render --out`
// (hyperfine, 40 runs): 16 ms mean with the collector off, 18 ms with
// GOGC=100, whose collection cycle and background workers cost more than the
// page faults of a heap that is never reused. GOGC or GOMEMLIMIT in the
// environment still win.
const memoryLimit = 64 << 20

// Run executes the CLI with args (args[0] is the program name) over the
// given stacks, with every formwork rule (rules.All), and returns the process exit code: 0 ok, 1 findings or
// differences, 2 bad usage or input, 3 a diff that widens access
// (diff --fail-on broadening).
func Run(args []string, stdout, stderr io.Writer, list []templates.Stack) int {
	return Config{Stacks: list, Rules: rules.All()}.Run(context.Background(), args, stdout, stderr)
}

// Run executes the CLI with args (args[0] is the program name) under ctx
// and returns the process exit code, as the function Run does. When ctx is
// cancelled (Main cancels it on SIGINT or SIGTERM), the command undoes what
// it started, or says what remains and how to remove it, and returns.
func (cfg Config) Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	list := cfg.Stacks
	if err := templates.CheckStacks(list); err != nil {
		fmt.Fprintln(stderr, "formwork: "+err.Error())
		return exitUsage
	}
	if err := cfg.Rules.Validate(); err != nil {
		fmt.Fprintln(stderr, "formwork: "+err.Error())
		return exitUsage
	}
	if code, ok := helpRequest(args, stdout, stderr, func(a []string) int { return cfg.Run(ctx, a, stdout, stderr) }); ok {
		return code
	}
	app := newApp(stdout, stderr, list)
	app.Metadata = map[string]any{"args": args, stacksKey: list, rulesKey: cfg.Rules} // args as typed, for completion
	args = helpAsFlag(args)
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
		cmd := app.Command(args[1])
		if cmd == nil {
			fmt.Fprintln(stderr, unknownCommand(app, args[1]))
			return exitUsage
		}
		head, rest := args[:2:2], args[2:]
		if len(rest) > 0 {
			if sub := cmd.Command(rest[0]); sub != nil { // formwork env export ...
				cmd, head, rest = sub, args[:3:3], args[3:]
			}
		}
		args = append(head, interspersed(cmd, rest)...)
	}
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	var ee exitError
	if ctx.Err() != nil && !(errors.As(err, &ee) && ee.code == exitInterrupted) {
		fmt.Fprintln(stderr, "formwork: interrupted: "+oneLine(err.Error()))
		return exitInterrupted
	}
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "formwork: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "formwork: "+oneLine(err.Error()))
	return exitUsage
}

// helpAsFlag reads `formwork help [COMMAND]` as `formwork [COMMAND] --help`.
func helpAsFlag(args []string) []string {
	if len(args) < 2 || args[1] != "help" || args[len(args)-1] == completionFlag {
		return args
	}
	return append(append([]string{args[0]}, args[2:]...), "--help")
}

func unknownCommand(app *cli.App, name string) string {
	var names []string
	for _, c := range app.Commands {
		names = append(names, c.Name)
	}
	msg := fmt.Sprintf("formwork: unknown command %q", name)
	if guess := templates.Closest(name, names); guess != "" {
		msg += fmt.Sprintf(": did you mean %q?", guess)
	}
	return msg + " (formwork --help lists the commands)"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
