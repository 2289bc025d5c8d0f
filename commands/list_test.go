package commands

import (
	"strings"
	"testing"
)

func TestList(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	r := formwork(t, "list").wantExit(t, exitOK)
	want := "STACK       RESOURCES  DESCRIPTION\n" +
		"demo-app    2          a topic and a role\n" +
		"named-role  1          a role with a name\n"
	if r.stdout != want {
		t.Errorf("list printed\n%s\nwant\n%s", r.stdout, want)
	}
}

func TestListWithNoStacks(t *testing.T) {
	useStacks(t)
	r := formwork(t, "list").wantExit(t, exitOK)
	if strings.TrimSpace(r.stdout) != "STACK  RESOURCES  DESCRIPTION" {
		t.Errorf("list with no stacks printed %q", r.stdout)
	}
}

func TestListRejectsArguments(t *testing.T) {
	formwork(t, "list", "demo-app").wantUsage(t, "list takes no arguments")
}
