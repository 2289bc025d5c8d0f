package commands

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// requiredTopics are the guides the README's front page points to.
var requiredTopics = []string{"environments", "plan-and-apply", "diff", "packaging", "import", "blocks",
	"security-rules", "exit-codes", "json-schemas", "release"}

func TestHelpListsTheCommandsAndTheTopics(t *testing.T) {
	r := formwork(t, "help").wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "COMMANDS:") || !strings.Contains(r.stdout, "HELP TOPICS (formwork help TOPIC):") {
		t.Fatalf("formwork help must list the commands, then the topics:\n%s", r.stdout)
	}
	for _, name := range requiredTopics {
		topic, ok := findTopic(name)
		if !ok || topic.summary == "" || !strings.HasPrefix(topic.body, "# "+name+": ") {
			t.Errorf("topic %s is missing or has no \"# %s: summary\" first line", name, name)
			continue
		}
		if !regexp.MustCompile(`(?m)^   ` + regexp.QuoteMeta(name) + ` +` + regexp.QuoteMeta(topic.summary) + `$`).MatchString(r.stdout) {
			t.Errorf("formwork help does not list %s with its summary", name)
		}
	}
}

func TestHelpTopicAndCommand(t *testing.T) {
	body, err := os.ReadFile("help/environments.md")
	if err != nil {
		t.Fatal(err)
	}
	if r := formwork(t, "help", "environments").wantExit(t, exitOK); r.stdout != string(body) {
		t.Errorf("formwork help environments must print help/environments.md")
	}
	// A command keeps its help; a topic of the same name follows it.
	r := formwork(t, "help", "diff").wantExit(t, exitOK)
	if !strings.HasPrefix(r.stdout, "NAME:\n   formwork diff") || !strings.Contains(r.stdout, "\n# diff: ") {
		t.Errorf("formwork help diff must print the command's help, then the guide:\n%.300s", r.stdout)
	}
	if r := formwork(t, "help", "render").wantExit(t, exitOK); !strings.HasPrefix(r.stdout, "NAME:\n   formwork render") {
		t.Errorf("formwork help render must print the command's help:\n%.300s", r.stdout)
	}
	formwork(t, "help", "enviroments").wantUsage(t, `no command or help topic "enviroments": did you mean "environments"?`)
	formwork(t, "help", "diff", "render").wantUsage(t, "help takes one command or topic, got 2")
}

// TestDocumentedCommandsExist reads every formwork command shown in a sh
// block of the README and the topics: the command and each of its flags
// must exist, and the ones that read only the repository (list, render,
// check, validate, diff of directories, help, version) run and exit 0 or 1.
func TestDocumentedCommandsExist(t *testing.T) {
	t.Chdir("..") // the commands run at the repository's root, as a reader runs them
	docs, _ := filepath.Glob("commands/help/*.md")
	docs = append(docs, "README.md")
	runnable := map[string]bool{"list": true, "render": true, "check": true, "validate": true, "diff": true,
		"help": true, "version": true, "params": true, "deploy": true, "import": true, "completion": true}
	shown, ran := 0, 0
	seen := map[string]bool{}
	for _, doc := range docs {
		for _, d := range documentedCommands(t, doc) {
			args := d.args
			if seen[strings.Join(args, " ")] {
				continue
			}
			seen[strings.Join(args, " ")] = true
			shown++
			cmd := checkCommandLine(t, doc, args)
			if cmd == nil || !runnable[cmd.Name] || writesOrNeedsAWS(args) {
				continue
			}
			ran++
			r := formwork(t, args...)
			if r.code != exitOK && r.code != exitFindings {
				t.Errorf("%s: formwork %s exited %d:\n%s", doc, strings.Join(args, " "), r.code, r.stderr)
			}
			got := strings.TrimSpace(continuation.ReplaceAllString(r.stdout, ""))
			if want := strings.TrimSpace(d.output); want != "" && !strings.ContainsAny(want, "…") && !strings.Contains(want, "...") && got != want {
				t.Errorf("%s: formwork %s prints\n%s\nbut the doc shows\n%s", doc, strings.Join(args, " "), got, want)
			}
		}
	}
	if shown < 25 || ran < 5 {
		t.Errorf("found %d documented commands and ran %d: the extraction is broken", shown, ran)
	}
	t.Logf("%d documented commands checked, %d of them run", shown, ran)
}

// documented is a formwork command line shown in a doc and, when it is
// shown at a "$ " prompt, the output shown under it.
type documented struct {
	args   []string
	output string
}

// continuation joins lines ending in a backslash, in commands and output.
var continuation = regexp.MustCompile(`\\\n\s*`)

// documentedCommands are the formwork command lines in doc's sh (or plain)
// blocks, each cut at the first comment, pipe or redirection.
func documentedCommands(t *testing.T, doc string) []documented {
	body, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	var out []documented
	fenced, in, prompt := false, false, false // inside a code block; a sh (or plain) one; after a "$ " command
	for _, line := range strings.Split(continuation.ReplaceAllString(string(body), ""), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			fenced = !fenced
			in = fenced && (trimmed == "```sh" || trimmed == "```")
			prompt = false
			continue
		}
		if !in {
			continue
		}
		command := strings.TrimPrefix(trimmed, "$ ")
		if !strings.HasPrefix(command, "formwork ") {
			if prompt {
				out[len(out)-1].output += line + "\n"
			}
			continue
		}
		prompt = command != trimmed
		var args []string
		for _, f := range shellWords(command)[1:] {
			if f == "#" || strings.ContainsAny(f[:1], "|><&;") {
				break
			}
			args = append(args, f)
		}
		out = append(out, documented{args: args})
	}
	return out
}

// shellWords splits a command line as sh does for plain words and '...'
// or "..." quoting; operators stay words of their own.
func shellWords(line string) []string {
	var words []string
	var word strings.Builder
	quote, inWord := rune(0), false
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

// checkCommandLine fails the test unless args name a command and only its
// flags; it returns the command (nil for a global flag such as --version).
func checkCommandLine(t *testing.T, doc string, args []string) *cli.Command {
	t.Helper()
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return nil
	}
	cmd := commandByName(args[0])
	if cmd == nil {
		t.Errorf("%s: formwork %s: no such command", doc, strings.Join(args, " "))
		return nil
	}
	if len(args) > 1 {
		for _, sub := range cmd.Subcommands {
			if sub.Name == args[1] {
				cmd = sub
			}
		}
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !hasFlag(cmd, name) {
			t.Errorf("%s: formwork %s: %s has no flag --%s", doc, strings.Join(args, " "), cmd.Name, name)
		}
	}
	return cmd
}

func commandByName(name string) *cli.Command {
	for _, c := range commandList() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func hasFlag(cmd *cli.Command, name string) bool {
	if name == "help" {
		return true
	}
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// writesOrNeedsAWS is a command line a test cannot run as shown: it writes
// files (--out, --into), calls AWS (--execute, stack:, --env), or reads a
// file or directory the reader makes first.
func writesOrNeedsAWS(args []string) bool {
	for _, a := range args {
		switch {
		case strings.Contains(a, "[") || regexp.MustCompile(`^[A-Z][A-Z.]+$`).MatchString(a):
			return true // a synopsis: DIR, FILE, [STACK...]
		case a == "--out", a == "--into", a == "--execute", a == "--env", strings.HasPrefix(a, "stack:"):
			return true
		case strings.Contains(a, "/") || regexp.MustCompile(`\.(json|yaml|yml|template)$`).MatchString(a):
			if _, err := os.Stat(strings.TrimPrefix(a, "file://")); err != nil && !strings.Contains(a, "://") && !strings.Contains(a, "=") {
				return true
			}
		}
	}
	return false
}
