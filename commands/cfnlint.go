package commands

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
)

// cfnLintMatch is one entry of `cfn-lint --format json`.
type cfnLintMatch struct {
	Filename string
	Level    string
	Message  string
	Location struct {
		Path []any
	}
	Rule struct {
		Id string
	}
}

// runCfnLint lints the rendered templates, written to a temporary directory
// that is removed afterwards, and returns cfn-lint's matches as findings.
// err is set when cfn-lint itself failed rather than reporting matches.
func runCfnLint(exe string, rendered []golden.Rendered) (templates.Findings, error) {
	if len(rendered) == 0 {
		return nil, nil
	}
	dir, err := os.MkdirTemp("", "formwork-validate-")
	if err != nil {
		return nil, fmt.Errorf("cannot make a directory for cfn-lint: %v", rootCause(err))
	}
	defer os.RemoveAll(dir)
	args := []string{"--format", "json", "--"}
	stackOf := map[string]string{}
	for _, r := range rendered {
		path := filepath.Join(dir, golden.File(r.Stack.Name))
		if err := os.WriteFile(path, r.Body, 0o644); err != nil {
			return nil, fmt.Errorf("cannot write %s for cfn-lint: %v", path, rootCause(err))
		}
		args = append(args, path)
		stackOf[path] = r.Stack.Name
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var matches []cfnLintMatch
	if err := json.Unmarshal(stdout.Bytes(), &matches); err != nil {
		return nil, fmt.Errorf("cfn-lint failed (%v): %s", runErr, firstLine(stderr.String()+stdout.String()))
	}
	out := make(templates.Findings, 0, len(matches))
	for _, m := range matches {
		out = append(out, m.finding(stackOf))
	}
	return out, nil
}

func (m cfnLintMatch) finding(stackOf map[string]string) templates.Finding {
	stack := stackOf[m.Filename]
	if stack == "" {
		stack = strings.TrimSuffix(filepath.Base(m.Filename), ".yaml")
	}
	f := templates.Finding{Stack: stack, Message: fmt.Sprintf("cfn-lint %s (%s): %s", m.Rule.Id, strings.ToLower(m.Level), oneLine(m.Message))}
	if m.Rule.Id != "" {
		f.Rule = templates.CfnLintRule + m.Rule.Id
	}
	path := m.Location.Path
	if len(path) >= 2 {
		f.LogicalID = fmt.Sprint(path[1])
		f.Path = dottedPath(path[2:])
	} else {
		f.Path = dottedPath(path)
	}
	return f
}

// dottedPath writes ["Properties", "Tags", 0, "Value"] as Properties.Tags[0].Value.
func dottedPath(parts []any) string {
	var b strings.Builder
	for _, p := range parts {
		switch v := p.(type) {
		case float64:
			fmt.Fprintf(&b, "[%d]", int(v))
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "no output"
	}
	return s
}

// waiveLint removes the cfn-lint findings the stacks' waivers excuse (a
// waiver of cfn-lint:W3011 on an entry excuses W3011's findings on it), and
// adds a finding for each cfn-lint waiver that excuses nothing.
func waiveLint(rendered []golden.Rendered, lint templates.Findings) templates.Findings {
	type key struct{ stack, id, rule string }
	used := map[key]bool{}
	var waivers []templates.Waiver
	for _, r := range rendered {
		for _, w := range r.Stack.Template().Waivers() {
			if strings.HasPrefix(w.Rule, templates.CfnLintRule) {
				waivers = append(waivers, w)
				used[key{w.Stack, w.LogicalID, w.Rule}] = false
			}
		}
	}
	var out templates.Findings
	for _, f := range lint {
		k := key{f.Stack, f.LogicalID, f.Rule}
		if _, waived := used[k]; waived && f.Rule != "" {
			used[k] = true
			continue
		}
		out = append(out, f)
	}
	for _, w := range waivers {
		if !used[key{w.Stack, w.LogicalID, w.Rule}] {
			out = append(out, templates.Finding{Stack: w.Stack, LogicalID: w.LogicalID,
				Message: fmt.Sprintf("waiver of rule %s excuses no finding on %s: cfn-lint no longer reports it, so delete the waiver", w.Rule, w.LogicalID)})
		}
	}
	return out
}
