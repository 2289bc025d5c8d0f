package commands

import (
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

const completionFlag = "--generate-bash-completion"

// interspersed moves a command's flags in front of its positional arguments,
// so `formwork deploy my-stack --param K=V` means the same as
// `formwork deploy --param K=V my-stack`: urfave/cli v2 stops reading flags
// at the first argument. Anything after a "--" the user typed stays
// positional.
func interspersed(cmd *cli.Command, args []string) []string {
	complete := len(args) > 0 && args[len(args)-1] == completionFlag
	if complete {
		args = args[:len(args)-1]
	}
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if !strings.Contains(a, "=") && takesValue(cmd, strings.TrimLeft(a, "-")) {
				if i+1 == len(args) { // no value: let the flag parser say so
					return withCompletion(flags, complete)
				}
				i++
				flags = append(flags, args[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	out := flags
	if len(positional) > 0 && strings.HasPrefix(positional[0], "-") {
		out = append(out, "--") // the user's own "--"
	}
	return withCompletion(append(out, positional...), complete)
}

func withCompletion(args []string, complete bool) []string {
	if complete {
		args = append(args, completionFlag)
	}
	return args
}

// takesValue reports whether the command's flag called name reads the next
// argument as its value.
func takesValue(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if d, ok := f.(cli.DocGenerationFlag); ok {
				return d.TakesValue()
			}
			return true
		}
	}
	return false
}

// flagLabel names where a flag's value came from, for an error about it:
// "--format" when it was typed, "FORMWORK_FORMAT" when the environment set
// it, so the user fixes the right thing.
func flagLabel(c *cli.Context, name string) string {
	typed, _ := c.App.Metadata["args"].([]string)
	for _, a := range typed {
		if a == "--"+name || strings.HasPrefix(a, "--"+name+"=") || a == "-"+name || strings.HasPrefix(a, "-"+name+"=") {
			return "--" + name
		}
	}
	for _, f := range c.Command.Flags {
		env, ok := f.(interface{ GetEnvVars() []string })
		if !ok || !slices.Contains(f.Names(), name) {
			continue
		}
		for _, e := range env.GetEnvVars() {
			if _, set := os.LookupEnv(e); set {
				return e + " (environment)"
			}
		}
	}
	return "--" + name
}
