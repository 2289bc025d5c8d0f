package commands

import (
	"bytes"
	"encoding/json"
	"runtime"
	"slices"
	"strings"
)

// awsCommand is a command line being built: the arguments the program runs
// with, and how each is printed. A NoEcho value is printed as a reference
// to a shell variable, never as its text, and no value can become an
// option: the AWS CLI reads any argument that starts with "-" as one.
type awsCommand struct {
	argv  []string
	shown map[int]string // shell text printed instead of argv[i]
	// overrides are argv[overrides[0]:overrides[1]], the Key=Value words
	// of --parameter-overrides (none when equal).
	overrides [2]int
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

// parameters adds --parameter-overrides and its Key=Value words.
func (a *awsCommand) parameters(words func()) {
	a.flag("parameter-overrides")
	a.overrides[0] = len(a.argv)
	words()
	a.overrides[1] = len(a.argv)
}

// stdinDevice is where the AWS CLI reads a file:// value from this
// process's pipe, on the systems that have it.
const stdinDevice = "/dev/stdin"

// withOverridesOnStdin is the command with its parameter overrides read by
// the AWS CLI from its standard input (--parameter-overrides
// file:///dev/stdin, a JSON list of Key=Value), and that input: a NoEcho
// value then appears in no process's command line (ps, /proc/PID/cmdline)
// and in no file. ok is false where there is no /dev/stdin.
func (a *awsCommand) withOverridesOnStdin() (cmd *awsCommand, stdin []byte, ok bool) {
	if runtime.GOOS == "windows" || a.overrides[0] == a.overrides[1] {
		return nil, nil, false
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a.argv[a.overrides[0]:a.overrides[1]]); err != nil {
		return nil, nil, false
	}
	argv := append(append(slices.Clone(a.argv[:a.overrides[0]]), "file://"+stdinDevice), a.argv[a.overrides[1]:]...)
	return newAWSCommand(argv...), buf.Bytes(), true
}

// hasSecrets reports whether a NoEcho value is among the words.
func (a *awsCommand) hasSecrets() bool { return len(a.shown) > 0 }

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
