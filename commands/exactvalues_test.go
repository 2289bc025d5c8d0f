package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Numbers travel as written from a parameters file and an environment file
// to the printed command: no 1.23456789012e+11, no 1e+06, no lost digits.
func TestNumbersTravelAsWritten(t *testing.T) {
	useStacks(t, demoApp)
	golden := goldenDir(t, demoApp)
	for _, n := range []string{"123456789012", "1000000", "12345678901234567890123", "1.50", "012345678901"} {
		params := filepath.Join(t.TempDir(), "params.json")
		body := `{"Parameters": {"Repository": "a/b", "Branch": ` + strings.TrimLeft(n, "0") + `, "Retries": ` + strings.TrimLeft(n, "0") + `}}`
		os.WriteFile(params, []byte(body), 0o644)
		r := formwork(t, "deploy", "demo-app", "--golden", golden, "--params", params).wantExit(t, exitOK)
		if want := "Branch=" + strings.TrimLeft(n, "0") + " Retries=" + strings.TrimLeft(n, "0"); !strings.Contains(r.stdout, want) {
			t.Errorf("--params with %s: want %s in\n%s", n, want, r.stdout)
		}
		envs := writeEnvironment(t, "", "prod", "stacks:\n  demo-app:\n    parameters:\n      Repository: a/b\n      Branch: "+n+"\n      Retries: "+n+"\n")
		r = formwork(t, "deploy", "demo-app", "--golden", golden, "--env", "prod", "--environments", envs).wantExit(t, exitOK)
		if want := "Branch=" + n + " Retries=" + n; !strings.Contains(r.stdout, want) {
			t.Errorf("environment with %s: want %s in\n%s", n, want, r.stdout)
		}
	}
}

func TestParamsFileDuplicates(t *testing.T) {
	useStacks(t, demoApp)
	golden := goldenDir(t, demoApp)
	for body, want := range map[string]string{
		"{\"Parameters\": {\n  \"Branch\": \"a\",\n  \"Branch\": \"b\"\n}}":                                      `"Branch" is given twice, on lines 2 and 3: keep one`,
		"{\"Parameters\": {}, \"Parameters\": {}}":                                                               `"Parameters" is given twice, on lines 1 and 1`,
		`["Branch=a", "Repository=a/b", "Branch=b"]`:                                                             "Branch is given twice, in entries 1 and 3",
		`[{"ParameterKey": "Branch", "ParameterValue": "a"}, {"ParameterKey": "Branch", "ParameterValue": "b"}]`: "Branch is given twice, in entries 1 and 2",
		`{"Parameters": {"Branch": "a"}} {}`:                                                                     "more after the end of the document",
	} {
		params := filepath.Join(t.TempDir(), "params.json")
		os.WriteFile(params, []byte(body), 0o644)
		formwork(t, "deploy", "demo-app", "--golden", golden, "--params", params).wantUsage(t, "--params "+params, want)
	}
}
