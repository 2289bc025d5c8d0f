package commands

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/stacks"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
)

const repoGolden = "../golden"

// TestEveryRegisteredStack runs the commands over the real stacks, whichever
// exist: each renders, validates, has a parameters skeleton, and deploys
// from golden/ once its required parameters are given.
func TestEveryRegisteredStack(t *testing.T) {
	all := stacks.Catalogue()
	if len(all) == 0 {
		t.Skip("no stacks are registered yet")
	}
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			r := formwork(t, "render", s.Name).wantExit(t, exitOK)
			if r.stdout != mustRender(t, s, templates.YAML) {
				t.Errorf("render %s differs from Stack.Render", s.Name)
			}
			formwork(t, "validate", s.Name, "--no-cfn-lint").wantExit(t, exitOK)

			skeleton := formwork(t, "params", s.Name).wantExit(t, exitOK).stdout
			var doc struct{ Parameters, Descriptions map[string]string }
			if err := json.Unmarshal([]byte(skeleton), &doc); err != nil {
				t.Fatalf("params %s is not JSON: %v", s.Name, err)
			}
			if len(doc.Parameters) != len(doc.Descriptions) {
				t.Errorf("params %s: every parameter needs a description entry", s.Name)
			}
			deployRegistered(t, s)
		})
	}
}

// deployRegistered checks deploy refuses missing required parameters by
// name (except those formwork package supplies), and prints a command naming
// the golden file otherwise.
func deployRegistered(t *testing.T, s templates.Stack) {
	t.Helper()
	tree, err := s.Template().Tree()
	if err != nil {
		t.Fatal(err)
	}
	packaged := map[string]bool{} // formwork package fills these in
	for _, a := range s.Template().Assets() {
		packaged[a.BucketParameter], packaged[a.KeyParameter] = true, true
	}
	var required []string
	for _, p := range templates.Parameters(tree) {
		if !p.HasDefault && !packaged[p.Name] {
			required = append(required, p.Name)
		}
	}
	args := []string{"deploy", s.Name, "--golden", repoGolden, "--s3-bucket", "artifacts"}
	if len(required) > 0 {
		r := formwork(t, args...)
		r.wantUsage(t, "needs a value for "+strings.Join(required, ", "))
		return
	}
	if _, err := os.Stat(repoGolden + "/" + golden.File(s.Name)); err != nil {
		t.Skipf("no golden file yet: %v", err)
	}
	r := formwork(t, args...).wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "--template-file "+repoGolden+"/"+golden.File(s.Name)) {
		t.Errorf("deploy %s printed\n%s", s.Name, r.stdout)
	}
}

func TestCheckAgainstTheRepositoryGolden(t *testing.T) {
	if len(stacks.Catalogue()) == 0 {
		t.Skip("no stacks are registered yet")
	}
	formwork(t, "check", "--golden", repoGolden).wantExit(t, exitOK)
}
