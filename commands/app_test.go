package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	r := formwork(t, "--version").wantExit(t, exitOK)
	if !strings.HasPrefix(r.stdout, "formwork version ") {
		t.Errorf("--version printed %q", r.stdout)
	}
}

func TestHelpOnEveryCommandHasAnExample(t *testing.T) {
	r := formwork(t, "--help").wantExit(t, exitOK)
	for _, c := range commandList() {
		if !strings.Contains(r.stdout, "   "+c.Name) {
			t.Errorf("formwork --help does not list %s", c.Name)
		}
		h := formwork(t, c.Name, "--help").wantExit(t, exitOK)
		if !strings.Contains(h.stdout, "Example") || !strings.Contains(h.stdout, "formwork "+c.Name) {
			t.Errorf("formwork %s --help has no example:\n%s", c.Name, h.stdout)
		}
		if strings.Contains(h.stdout, "help, h") {
			t.Errorf("formwork %s --help lists a help subcommand, which would shadow a stack argument", c.Name)
		}
	}
}

func TestUnknownCommandSuggestsTheClosest(t *testing.T) {
	formwork(t, "rendr").wantUsage(t, `unknown command "rendr": did you mean "render"?`, "formwork --help")
	formwork(t, "frobnicate").wantUsage(t, `unknown command "frobnicate"`, "formwork --help lists the commands")
}

func TestUnknownGlobalFlag(t *testing.T) {
	formwork(t, "--colour").wantUsage(t, "unknown flag --colour", "see formwork --help")
}

func TestUnknownFlagOnEveryCommandIsOneLine(t *testing.T) {
	useStacks(t, demoApp)
	for _, c := range commandList() {
		r := formwork(t, c.Name, "--bogus")
		r.wantUsage(t, c.Name+": unknown flag --bogus", "formwork "+c.Name+" --help")
		if strings.Contains(r.stderr+r.stdout, "USAGE") {
			t.Errorf("%s printed the help text for a bad flag", c.Name)
		}
	}
}

func TestFlagWithoutValue(t *testing.T) {
	useStacks(t, demoApp)
	formwork(t, "render", "demo-app", "--format").wantUsage(t, "render: flag --format needs a value")
}

func TestNoArgumentsShowsHelp(t *testing.T) {
	r := formwork(t).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "COMMANDS:") {
		t.Errorf("formwork with no arguments should print the help:\n%s", r.stdout)
	}
}

func TestInterspersedFlags(t *testing.T) {
	useStacks(t, demoApp)
	cmd := func(name string) []string {
		for _, c := range commandList() {
			if c.Name == name {
				return interspersed(c, []string{"demo-app", "--param", "A=1", "--execute", "--stack-name=x", "--", "--odd"})
			}
		}
		t.Fatal("no command " + name)
		return nil
	}
	got := strings.Join(cmd("deploy"), " ")
	want := "--param A=1 --execute --stack-name=x demo-app --odd"
	if got != want {
		t.Errorf("interspersed = %q, want %q", got, want)
	}
}

func TestHelpCommand(t *testing.T) {
	if r := formwork(t, "help").wantExit(t, exitOK); !strings.Contains(r.stdout, "COMMANDS:") {
		t.Errorf("formwork help printed\n%s", r.stdout)
	}
	if r := formwork(t, "help", "deploy").wantExit(t, exitOK); !strings.Contains(r.stdout, "formwork deploy STACK") {
		t.Errorf("formwork help deploy printed\n%s", r.stdout)
	}
	formwork(t, "help", "deplo").wantUsage(t, `unknown command "deplo": did you mean "deploy"?`)
}

func TestEnvironmentErrorsNameTheVariable(t *testing.T) {
	useStacks(t, demoApp)
	t.Setenv("FORMWORK_FORMAT", "xml")
	formwork(t, "render", "demo-app").wantUsage(t, `FORMWORK_FORMAT (environment): unknown format "xml"`)
	formwork(t, "render", "demo-app", "--format", "toml").wantUsage(t, `--format: unknown format "toml"`)
	t.Setenv("FORMWORK_FORMAT", "")
	t.Setenv("FORMWORK_NO_CFN_LINT", "maybe")
	formwork(t, "validate", "demo-app").wantUsage(t, `FORMWORK_NO_CFN_LINT="maybe" is not a bool value: set it to true or false, or unset it (it sets --no-cfn-lint)`)
	t.Setenv("FORMWORK_NO_CFN_LINT", "")
	t.Setenv("FORMWORK_GOLDEN", filepath.Join(t.TempDir(), "none"))
	formwork(t, "check").wantUsage(t, "FORMWORK_GOLDEN (environment) ", "no such directory")
}

// TestHelpExamplesRun runs the examples of formwork --help that need no
// files, on the stacks it was given.
func TestHelpExamplesRun(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	help := formwork(t, "--help").wantExit(t, exitOK).stdout
	for _, want := range []string{"formwork render demo-app\n", "formwork params demo-app > params.json", "formwork deploy demo-app --params params.json"} {
		if !strings.Contains(help, want) {
			t.Errorf("--help lacks the example %q:\n%s", want, help)
		}
	}
	formwork(t, "render", "demo-app").wantExit(t, exitOK)
	params := filepath.Join(t.TempDir(), "params.json")
	skeleton := formwork(t, "params", "demo-app").wantExit(t, exitOK).stdout
	os.WriteFile(params, []byte(skeleton), 0o644)
	r := formwork(t, "deploy", "demo-app", "--params", params, "--golden", t.TempDir())
	if r.code == exitOK {
		return
	}
	if !strings.Contains(r.stderr, "needs a value") && !strings.Contains(r.stderr, "golden") {
		t.Errorf("deploy example fails for a reason other than unfilled values or golden/: %s", r.stderr)
	}
}

// TestHelpListsCommandsByTask: --help shows the commands grouped by task, in
// the order a team meets them, not alphabetically, and lists each once.
func TestHelpListsCommandsByTask(t *testing.T) {
	r := formwork(t, "--help").wantExit(t, exitOK)
	order := []string{"start: a repository", "     init ", "     import ", "author:", "     list ", "     validate ",
		"review:", "     diff ", "     plan ", "deploy:", "     params ", "     apply ", "shell", "     completion "}
	at := 0
	for _, want := range order {
		i := strings.Index(r.stdout[at:], want)
		if i < 0 {
			t.Fatalf("--help lacks %q after position %d (task order):\n%s", want, at, r.stdout)
		}
		at += i + len(want)
	}
	for _, c := range commandList() {
		if n := strings.Count(r.stdout, "\n     "+c.Name+" "); n != 1 {
			t.Errorf("--help lists %s %d times", c.Name, n)
		}
	}
}
