package commands

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCheckPassesWhenGoldenMatches(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	dir := goldenDir(t, demoApp, namedRole)
	r := formwork(t, "check", "--golden", dir).wantExit(t, exitOK)
	if r.stdout != dir+": 2 templates match their stacks\n" || r.stderr != "" {
		t.Errorf("check printed %q / %q", r.stdout, r.stderr)
	}
}

func TestCheckReportsStaleMissingAndExtraAndWritesNothing(t *testing.T) {
	useStacks(t, demoApp, namedRole)
	dir := goldenDir(t, demoApp)
	stale := filepath.Join(dir, "demo-app.yaml")
	body, _ := os.ReadFile(stale)
	os.WriteFile(stale, []byte(strings.Replace(string(body), "where alarms go", "old comment", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "retired.yaml"), []byte("Resources: {}\n"), 0o644)
	before := listDir(t, dir)

	r := formwork(t, "check", "--golden", dir).wantExit(t, exitFindings)

	for _, want := range []string{
		"--- a/demo-app.yaml\n+++ b/demo-app.yaml\n", "-  # old comment\n", "+  # where alarms go\n",
		"--- /dev/null\n+++ b/named-role.yaml\n",
		"--- a/retired.yaml\n+++ /dev/null\n", "-Resources: {}\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, r.stdout)
		}
	}
	wantLast := "formwork: " + dir + " differs from the stacks (1 stale, 1 missing, 1 extra): run make golden, then review and commit the diff\n"
	if r.stderr != wantLast {
		t.Errorf("check's last line is %q, want %q", r.stderr, wantLast)
	}
	if after := listDir(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("check changed %s", dir)
	}
}

func TestCheckGoldenFromEnvironment(t *testing.T) {
	useStacks(t, demoApp)
	t.Setenv("FORMWORK_GOLDEN", goldenDir(t, demoApp))
	formwork(t, "check").wantExit(t, exitOK)
}

func TestCheckMissingGoldenDirectory(t *testing.T) {
	useStacks(t, demoApp)
	missing := filepath.Join(t.TempDir(), "nope")
	formwork(t, "check", "--golden", missing).wantUsage(t, "--golden "+missing+": no such directory", "run make golden")
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("check created %s", missing)
	}
}

func TestCheckWithNoStacksAndNoGolden(t *testing.T) {
	useStacks(t)
	formwork(t, "check", "--golden", filepath.Join(t.TempDir(), "nope")).wantExit(t, exitOK)
}

func TestCheckGoldenIsAFile(t *testing.T) {
	useStacks(t, demoApp)
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	formwork(t, "check", "--golden", file).wantUsage(t, "--golden "+file, "not a directory")
}

func TestCheckTakesNoStacks(t *testing.T) {
	useStacks(t, demoApp)
	formwork(t, "check", "demo-app").wantUsage(t, "check takes no stack names")
}

func TestCheckStackWithFindingsExits2(t *testing.T) {
	useStacks(t, broken)
	r := formwork(t, "check", "--golden", t.TempDir()).wantExit(t, exitUsage)
	if !strings.Contains(r.stderr, `broken: Url: Value: !GetAtt Topic.Url: AWS::SNS::Topic has no attribute "Url"`) {
		t.Errorf("check did not report the stack's findings:\n%s", r.stderr)
	}
}
