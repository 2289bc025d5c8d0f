package commands

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionCommand is formwork completion.
func completionCommand() *cli.Command {
	return &cli.Command{
		Name:  "completion",
		Usage: "print a shell completion script (bash, zsh or fish)",
		UsageText: "formwork completion bash|zsh|fish\n\n" +
			"Completes commands, flags and stack names.\n\n" +
			"Examples:\n" +
			"   source <(formwork completion bash)\n" +
			"   formwork completion zsh > \"${fpath[1]}/_formwork\"\n" +
			"   formwork completion fish > ~/.config/fish/completions/formwork.fish",
		Action: printCompletion,
		BashComplete: func(c *cli.Context) {
			fmt.Fprintln(c.App.Writer, "bash\nzsh\nfish")
		},
	}
}

func printCompletion(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError("completion takes one shell name: formwork completion bash|zsh|fish")
	}
	switch shell := c.Args().First(); shell {
	case "bash":
		fmt.Fprint(c.App.Writer, bashCompletion)
	case "zsh":
		fmt.Fprint(c.App.Writer, zshCompletion)
	case "fish":
		script, err := c.App.ToFishCompletion()
		if err != nil {
			return fmt.Errorf("cannot write the fish script: %v", err)
		}
		fmt.Fprint(c.App.Writer, script)
	default:
		return usageError("completion: unknown shell %q: use bash, zsh or fish", shell)
	}
	return nil
}

// completeCommands completes the first word: a command, or a global flag.
func completeCommands(c *cli.Context) {
	if strings.HasPrefix(lastTyped(c), "-") {
		fmt.Fprintln(c.App.Writer, "--help\n--version")
		return
	}
	for _, cmd := range c.App.VisibleCommands() {
		fmt.Fprintln(c.App.Writer, cmd.Name)
	}
}

// lastTyped is the word before --generate-bash-completion, if any.
func lastTyped(c *cli.Context) string {
	args, _ := c.App.Metadata["args"].([]string)
	if len(args) < 3 {
		return ""
	}
	return args[len(args)-2]
}

// completeStacks completes a command's arguments: its flags after a "-",
// stack names otherwise.
func completeStacks(c *cli.Context) {
	if strings.HasPrefix(lastTyped(c), "-") {
		for _, f := range c.Command.VisibleFlags() {
			fmt.Fprintln(c.App.Writer, "--"+f.Names()[0])
		}
		return
	}
	for _, s := range catalog(c) {
		fmt.Fprintln(c.App.Writer, s.Name)
	}
}

// The scripts ask formwork itself for candidates: urfave/cli answers
// `formwork ARGS... --generate-bash-completion` with one candidate a line.
const bashCompletion = `# bash completion for formwork.
# Load it with: source <(formwork completion bash)
_formwork_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local -a typed=("${COMP_WORDS[@]:0:COMP_CWORD}")
  local candidates
  if [[ "$cur" == -* ]]; then
    candidates=$("${typed[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    candidates=$("${typed[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
}
complete -o default -F _formwork_complete formwork
`

const zshCompletion = `#compdef formwork
# zsh completion for formwork: save as _formwork in a directory of $fpath.
_formwork() {
  local cur=${words[CURRENT]}
  local -a typed candidates
  typed=(${words[1,CURRENT-1]})
  if [[ "$cur" == -* ]]; then
    candidates=("${(@f)$(${typed[@]} $cur --generate-bash-completion 2>/dev/null)}")
  else
    candidates=("${(@f)$(${typed[@]} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${candidates[1]}" ]]; then
    compadd -- ${candidates[@]}
  else
    _files
  fi
}
if [[ "$funcstack[1]" == "_formwork" ]]; then _formwork "$@"; else compdef _formwork formwork; fi
`
