package commands

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const topic = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"

// diff takes templates only: one document, with Resources. Anything else
// is refused in one line that quotes nothing from the file.
func TestDiffRefusesWhatIsNotOneTemplate(t *testing.T) {
	dir := t.TempDir()
	head := filepath.Join(dir, "head.yaml")
	os.WriteFile(head, []byte(topic), 0o644)
	for body, want := range map[string]string{
		topic + "---\n" + topic:                                    "it holds more than one YAML document (---)",
		"db_password: hunter2-planted\napi_key: k-planted\n":       "it has no Resources section",
		"- hunter2-planted\n":                                      "its top level is not a mapping",
		`{"Resources": {}, "Resources": {"X": "hunter2-planted"}}`: `"Resources" is given twice`,
		`{"password": "hunter2-planted"}`:                          "it has no Resources section",
		"password: [hunter2-planted\n":                             "it is neither YAML nor JSON (a syntax error at line",
	} {
		base := filepath.Join(t.TempDir(), "base.yaml")
		os.WriteFile(base, []byte(body), 0o644)
		r := formwork(t, "diff", "--base", base, "--head", head)
		r.wantUsage(t, base+" is not a CloudFormation template: "+want)
		if strings.Contains(r.stderr, "planted") {
			t.Errorf("diff printed the file's values: %s", r.stderr)
		}
	}
}

// A template the engine reads plainly is taken without the YAML decoder's
// explaining, and only when the decoder would find nothing to explain.
func TestPlainTemplatesNeedNoExplaining(t *testing.T) {
	goldens, _ := filepath.Glob("../golden/*.yaml")
	cases, _ := filepath.Glob("../internal/diff/testdata/*/*.yaml")
	if len(goldens) == 0 || len(cases) == 0 {
		t.Fatal("no golden templates or diff test cases")
	}
	bodies := map[string]bool{ // body: read plainly
		topic: true,
		"AWSTemplateFormatVersion: \"2010-09-09\"\n" + topic: true,
		"---\n" + topic:            false, // a marker: the decoder decides
		topic + "---\n" + topic:    false,
		topic + "...\n":            false,
		"%YAML 1.2\n---\n" + topic: false,
		"db_password: hunter2\n":   false,
		"- hunter2\n":              false,
		"Resources: [\n":           false,
	}
	for _, path := range append(goldens, cases...) {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		bodies[string(body)] = strings.HasPrefix(path, "../golden/")
	}
	for body, plain := range bodies {
		got := plainlyOneTemplate([]byte(body))
		if plain && !got {
			t.Errorf("not read plainly, so explained at a cost:\n%.200s", body)
		}
		if got && notAYAMLTemplate([]byte(body)) != "" {
			t.Errorf("read plainly, but the decoder says %q:\n%.200s", notAYAMLTemplate([]byte(body)), body)
		}
	}
}

// A symlink to /dev/zero or a named pipe given as a template, parameters
// or environment file is refused at once: no hang, no exhausted memory.
func TestInputsThatAreNotFiles(t *testing.T) {
	useStacks(t, demoApp)
	golden := goldenDir(t, demoApp)
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("cannot make a named pipe: %v", err)
	}
	envs := t.TempDir()
	os.Symlink("/dev/zero", filepath.Join(envs, "prod.yaml"))
	head := filepath.Join(dir, "head.yaml")
	os.WriteFile(head, []byte(topic), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "--base", zero, "--head", head}, "--base " + zero + ": not a directory"},
		{[]string{"diff", "--base", pipe, "--head", head}, "--base " + pipe + ": not a directory"},
		{[]string{"deploy", "demo-app", "--golden", golden, "--params", zero}, "--params " + zero + ": not a regular file (a device)"},
		{[]string{"deploy", "demo-app", "--golden", golden, "--params", pipe}, "--params " + pipe + ": not a regular file (a named pipe)"},
		{[]string{"deploy", "demo-app", "--golden", golden, "--env", "prod", "--environments", envs}, "prod.yaml:1: cannot read it: not a regular file (a device)"},
		{[]string{"import", zero, "--into", teamRepo(t)}, "cannot read " + zero + ": not a regular file (a device)"},
	} {
		done := make(chan result, 1)
		go func() { done <- formwork(t, c.args...) }()
		select {
		case r := <-done:
			r.wantUsage(t, c.want)
		case <-time.After(20 * time.Second):
			t.Fatalf("formwork %v hangs", c.args)
		}
	}
}

func TestInputsOverTheLimit(t *testing.T) {
	useStacks(t, demoApp)
	big := filepath.Join(t.TempDir(), "params.json")
	f, _ := os.Create(big)
	f.Truncate(2 << 20)
	f.Close()
	formwork(t, "deploy", "demo-app", "--golden", goldenDir(t, demoApp), "--params", big).
		wantUsage(t, "--params "+big+": larger than 1 MB, more than formwork reads")
}
