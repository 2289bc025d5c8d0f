package commands

import (
	"strings"
)

// awsCommand is a command line being built: the arguments the program runs
// with, and how each is printed. A NoEcho value is printed as a reference
// to a shell variable, never as its text, and no value can become an
// option: the AWS CLI reads any argument that starts with "-" as one.
type awsCommand struct {
	argv  []string
	shown map[int]string // shell text printed instead of argv[i]
}

func newAWSCommand(words ...string) *awsCommand {
	return &awsCommand{argv: words, shown: map[int]string{}}
}

// option adds --name and its values; it refuses a value that the AWS CLI
// would read as an option, naming what it is.
func (a *awsCommand) option(name string, values ...string) error {
	for _, v := range values {
		if strings.HasPrefix(v, "-") {
			return usageError("--%s %q starts with \"-\", so the AWS CLI would read it as an option: change it", name, v)
		}
	}
	a.argv = append(append(a.argv, "--"+name), values...)
	return nil
}

// flag adds an option without a value.
func (a *awsCommand) flag(name string) { a.argv = append(a.argv, "--"+name) }

// secret adds key=value, printed as key="$variable".
func (a *awsCommand) secret(key, value, variable string) {
	a.shown[len(a.argv)] = shellQuote(key+"=") + `"$` + variable + `"`
	a.argv = append(a.argv, key+"="+value)
}

// String is the command as a shell runs it, one option per line after the
// first three words, continued with backslashes; secrets as variables.
func (a *awsCommand) String() string {
	var b strings.Builder
	for i, arg := range a.argv {
		switch {
		case i == 0:
		case i < 3 || !strings.HasPrefix(arg, "--"):
			b.WriteByte(' ')
		default:
			b.WriteString(" \\\n  ")
		}
		if s, ok := a.shown[i]; ok {
			b.WriteString(s)
		} else {
			b.WriteString(shellQuote(arg))
		}
	}
	return b.String()
}
