package commands

import (
	"embed"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/formwork-dev/formwork/templates"
)

// helpFiles are the guides behind formwork help TOPIC, one Markdown file a
// topic, its first line "# TOPIC: one-line summary".
//
//go:embed help/*.md
var helpFiles embed.FS

// helpTopic is one guide.
type helpTopic struct {
	name, summary, body string
}

// helpTopics lists the guides in the order formwork help shows them.
func helpTopics() []helpTopic {
	entries, _ := helpFiles.ReadDir("help")
	byName := map[string]helpTopic{}
	for _, e := range entries {
		body, _ := helpFiles.ReadFile("help/" + e.Name())
		name := strings.TrimSuffix(e.Name(), ".md")
		first, _, _ := strings.Cut(string(body), "\n")
		_, summary, _ := strings.Cut(first, ": ")
		byName[name] = helpTopic{name, summary, string(body)}
	}
	var out []helpTopic
	for _, name := range topicOrder {
		if t, ok := byName[name]; ok {
			out = append(out, t)
			delete(byName, name)
		}
	}
	for _, e := range entries { // any file not yet in topicOrder, last
		if t, ok := byName[strings.TrimSuffix(e.Name(), ".md")]; ok {
			out = append(out, t)
		}
	}
	return out
}

// topicOrder is the reading order: from a first stack to a release.
var topicOrder = []string{
	"environments", "plan-and-apply", "diff", "packaging", "import", "blocks",
	"security-rules", "exit-codes", "json-schemas", "release",
}

func findTopic(name string) (helpTopic, bool) {
	for _, t := range helpTopics() {
		if t.name == name {
			return t, true
		}
	}
	return helpTopic{}, false
}

// listTopics writes the topics, one a line with its summary.
func listTopics(w io.Writer) {
	fmt.Fprintln(w, "\nHELP TOPICS (formwork help TOPIC):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range helpTopics() {
		fmt.Fprintf(tw, "   %s\t%s\n", t.name, t.summary)
	}
	tw.Flush()
}

// helpRequest answers formwork help [TOPIC|COMMAND] when it names no
// command, or a topic: the app's help and the topics, or the topic (after
// the command's own help when a command has the same name). handled is
// false when the request is a command's help, left to the app.
func helpRequest(args []string, stdout, stderr io.Writer, runApp func([]string) int) (code int, handled bool) {
	if len(args) < 2 || args[1] != "help" || args[len(args)-1] == completionFlag {
		return 0, false
	}
	switch {
	case len(args) == 2:
		code := runApp([]string{args[0], "--help"})
		listTopics(stdout)
		return code, true
	case len(args) > 3:
		fmt.Fprintf(stderr, "formwork: help takes one command or topic, got %d: e.g. formwork help environments\n", len(args)-2)
		return exitUsage, true
	}
	topic, ok := findTopic(args[2])
	if !ok {
		if msg := unknownTopic(args[2]); msg != "" {
			fmt.Fprintln(stderr, msg)
			return exitUsage, true
		}
		return 0, false // a command's help, or an unknown command's error, as before
	}
	code = exitOK
	if commandNamed(args[2]) {
		code = runApp([]string{args[0], args[2], "--help"})
		fmt.Fprintln(stdout)
	}
	fmt.Fprint(stdout, topic.body)
	return code, true
}

func commandNamed(name string) bool {
	for _, c := range commandList() {
		if c.Name == name {
			return true
		}
	}
	return false
}

// unknownTopic is the error for a name closest to a topic, "" otherwise.
func unknownTopic(name string) string {
	if commandNamed(name) {
		return ""
	}
	var names []string
	for _, c := range commandList() {
		names = append(names, c.Name)
	}
	for _, t := range helpTopics() {
		names = append(names, t.name)
	}
	guess := templates.Closest(name, names)
	if _, ok := findTopic(guess); !ok {
		return ""
	}
	return fmt.Sprintf("formwork: no command or help topic %q: did you mean %q? (formwork help lists both)", name, guess)
}
