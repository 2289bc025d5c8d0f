package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

// Inline code through !Sub: rendered with the most hostile value every
// parameter's constraints accept, the code must still compile. The
// generation-time rule inline_code_parameters says the same without
// running anything; this proves it on the real interpreter.

var pseudoValues = map[string]string{
	"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
	"AWS::StackName": "formwork-stack", "AWS::URLSuffix": "amazonaws.com",
}

// acceptedValues returns the values a parameter accepts that are worth
// compiling: every hostile candidate its pattern lets through, or else one
// ordinary value.
func acceptedValues(p any) []string {
	if max := templates.ValueAt(p, "MaxValue"); max != nil {
		return []string{fmt.Sprint(max)}
	}
	pattern, _ := templates.ValueAt(p, "AllowedPattern").(string)
	re := regexp.MustCompile(`^(?:` + pattern + `)$`)
	var out []string
	for _, h := range rules.HostileCodeCharacters {
		for _, v := range []string{"a" + h + "b", "https://a" + h + "b", h} {
			if re.MatchString(v) {
				out = append(out, v)
				break
			}
		}
	}
	if len(out) == 0 {
		for _, v := range []string{fmt.Sprint(templates.ValueAt(p, "Default")), "node-1", "https://example.org/nodes.json"} {
			if re.MatchString(v) {
				return []string{v}
			}
		}
	}
	return out
}

// hostileRenderings returns the code with one parameter at a time set to
// each value it accepts, the others at an ordinary value.
func hostileRenderings(text string, params *templates.Map) []string {
	vars, _ := templates.SubVariables(text)
	ordinary := map[string]string{}
	accepted := map[string][]string{}
	for _, v := range vars {
		if pv, ok := pseudoValues[v]; ok {
			ordinary[v] = pv
			continue
		}
		p, _ := params.Get(v)
		accepted[v] = acceptedValues(p)
		ordinary[v] = accepted[v][len(accepted[v])-1]
	}
	render := func(over, value string) string {
		out := text
		for _, v := range vars {
			val := ordinary[v]
			if v == over {
				val = value
			}
			out = strings.ReplaceAll(out, "${"+v+"}", val)
		}
		return strings.ReplaceAll(out, "${!", "${")
	}
	var out []string
	for v, values := range accepted {
		for _, value := range values {
			out = append(out, render(v, value))
		}
	}
	return out
}

// compilePython compiles every source in one interpreter and returns the
// error of each that does not compile ("" for those that do).
func compilePython(t *testing.T, sources []string) []string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		missingTool(t, "python3 is not on PATH, so inline Python was not compiled")
	}
	input, _ := json.Marshal(sources)
	script := `import json, sys
for src in json.load(sys.stdin):
    try:
        compile(src, "index.py", "exec")
        print(json.dumps(""))
    except Exception as e:
        print(json.dumps(repr(e)))`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 could not run the compile harness: %v", err)
	}
	var errs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var e string
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("compile harness printed %q", line)
		}
		errs = append(errs, e)
	}
	if len(errs) != len(sources) {
		t.Fatalf("compile harness answered for %d of %d sources", len(errs), len(sources))
	}
	return errs
}

func TestAccessPointMonitorCodeCompilesWithHostileParameters(t *testing.T) {
	tree, err := AccessPointMonitor{}.Stack().Template().Tree()
	if err != nil {
		t.Fatal(err)
	}
	fn, _ := templates.ValueAt(tree, "Resources", "CheckProgram", "Properties", "Code", "ZipFile").(templates.Fn)
	text, _ := templates.SubParts(fn.Arg)
	renderings := hostileRenderings(text, templates.Section(tree, "Parameters"))
	if len(renderings) == 0 {
		t.Fatal("no rendering to compile")
	}
	for i, e := range compilePython(t, renderings) {
		if e != "" {
			t.Errorf("the checker does not compile with a value its parameters accept: %s\n%s", e, renderings[i])
		}
	}
}

// The harness catches what it is for: with the AccessPointName pattern the
// stack had, ^[^"\\]+$, a line break gets through and the code breaks.
func TestHostileRenderingCatchesTheOldPattern(t *testing.T) {
	params := templates.NewMap()
	old := templates.NewMap()
	old.Set("Type", "String")
	old.Set("AllowedPattern", `^[^"\\]+$`)
	params.Set("AccessPointName", old)
	broken := 0
	for _, e := range compilePython(t, hostileRenderings("ACCESS_POINT = \"${AccessPointName}\"\n", params)) {
		if e != "" {
			broken++
		}
	}
	if broken == 0 {
		t.Error("no hostile rendering broke the code the old pattern let through")
	}
}
