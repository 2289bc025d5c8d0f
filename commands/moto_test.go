package commands

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/moto"
	"github.com/formwork-dev/formwork/internal/plan"
)

// The tests in this file run formwork plan, apply and diff against moto's
// CloudFormation, one moto for the package, reset before each test.

func TestMain(m *testing.M) {
	code := m.Run()
	moto.StopShared()
	os.Exit(code)
}

// apmEnvironment is environments/dev.yaml deploying access-point-monitor
// as stack apm-dev; email is its NotificationEmail.
func apmEnvironment(t *testing.T, email string) string {
	t.Helper()
	return writeEnvironment(t, "", "dev", `account: "123456789012"
region: us-east-1
tags:
  environment: dev
stacks:
  access-point-monitor:
    stackName: apm-dev
    parameters:
      NodesApiUrl: https://map.example.net/meshviewer.json
      AccessPointName: node-1
      NotificationEmail: `+email+"\n")
}

// writeEnvironment writes DIR/<name>.yaml (a new DIR when dir is "").
func writeEnvironment(t *testing.T, dir, name, body string) string {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// planJSON runs formwork plan --format json and decodes the report.
func planJSON(t *testing.T, want int, args ...string) plan.Report {
	t.Helper()
	r := formwork(t, append([]string{"plan", "--format", "json"}, args...)...).wantExit(t, want)
	var report plan.Report
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("plan --format json printed no report: %v\n%s", err, r.stdout)
	}
	return report
}

// stackOnMoto describes a stack through formwork's own client.
func stackOnMoto(t *testing.T, name string) *cloud.Stack {
	t.Helper()
	c, err := cloud.New(context.Background(), cloud.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.DescribeStack(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// deployAPM plans and applies access-point-monitor as apm-dev.
func deployAPM(t *testing.T, envs string) {
	t.Helper()
	formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs, "--keep", "--change-set", "first").wantExit(t, exitFindings)
	formwork(t, "apply", "access-point-monitor", "--env", "dev", "--environments", envs, "--change-set", "first").wantExit(t, exitOK)
}

func TestMotoPlanOfNewStackShowsNineAdditions(t *testing.T) {
	moto.Shared(t)
	envs := apmEnvironment(t, "ops@example.org")
	r := formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs).wantExit(t, exitFindings)
	if !strings.Contains(r.stdout, "9 to add, 0 to modify, 0 to remove") || len(regexp.MustCompile(`\n  \+ \w+ \(AWS::`).FindAllString(r.stdout, -1)) != 9 {
		t.Errorf("plan of a new stack does not show 9 additions:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "change set formwork-") {
		t.Errorf("the change set is not named after the commit:\n%s", r.stdout)
	}
	report := planJSON(t, exitFindings, "access-point-monitor", "--env", "dev", "--environments", envs)
	if report.Summary.Add != 9 || !report.NewStack || report.Status != plan.Changes || len(report.Resources) != 9 {
		t.Errorf("JSON plan: %+v", report.Summary)
	}
	for _, res := range report.Resources {
		if res.Action != "Add" || res.Source != "cloudformation" || res.Predicted.Change != "add" || res.Disagreement != "" {
			t.Errorf("%s: %+v", res.LogicalID, res)
		}
	}
}

func TestMotoAbandonedPlanOfNewStackLeavesNoStack(t *testing.T) {
	moto.Shared(t)
	envs := apmEnvironment(t, "ops@example.org")
	formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs).wantExit(t, exitFindings)
	if st := stackOnMoto(t, "apm-dev"); st != nil {
		t.Fatalf("an abandoned plan left stack apm-dev behind: %+v", st)
	}
	formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs, "--keep").wantExit(t, exitFindings)
	if st := stackOnMoto(t, "apm-dev"); st == nil || st.Status != "REVIEW_IN_PROGRESS" {
		t.Fatalf("plan --keep of a new stack should leave it REVIEW_IN_PROGRESS for apply, got %+v", st)
	}
	// another plan, abandoned, keeps the stack the kept plan needs
	formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs, "--change-set", "other").wantExit(t, exitFindings)
	if st := stackOnMoto(t, "apm-dev"); st == nil {
		t.Fatal("an abandoned plan deleted the stack another kept plan needs")
	}
	formwork(t, "apply", "access-point-monitor", "--env", "dev", "--environments", envs).wantExit(t, exitOK)
}

func TestMotoApplyCreatesTheStackAndDiffShowsNoChanges(t *testing.T) {
	moto.Shared(t)
	envs := apmEnvironment(t, "ops@example.org")
	formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs, "--keep", "--change-set", "first").wantExit(t, exitFindings)
	r := formwork(t, "apply", "access-point-monitor", "--env", "dev", "--environments", envs, "--change-set", "first").wantExit(t, exitOK)
	if !strings.Contains(r.stdout, "CREATE_COMPLETE") || !strings.Contains(r.stdout, "apm-dev: CREATE_COMPLETE in ") {
		t.Errorf("apply printed no events or summary:\n%s", r.stdout)
	}
	st := stackOnMoto(t, "apm-dev")
	if st == nil || st.Status != "CREATE_COMPLETE" || st.Parameters["NotificationEmail"] != "ops@example.org" {
		t.Fatalf("stack after apply: %+v", st)
	}
	d := formwork(t, "diff", "--base", "stack:apm-dev", "access-point-monitor", "--exit-code").wantExit(t, exitOK)
	if !strings.Contains(d.stdout, "no changes") {
		t.Errorf("diff against the deployed stack:\n%s", d.stdout)
	}
	formwork(t, "diff", "--base", "stack:", "--env", "dev", "--environments", envs, "access-point-monitor", "--exit-code").wantExit(t, exitOK)
	again := formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs).wantExit(t, exitOK)
	if !strings.Contains(again.stdout, ": no changes") {
		t.Errorf("a plan of the deployed render:\n%s", again.stdout)
	}
}

func TestMotoChangingOneParameterPlansOneModify(t *testing.T) {
	moto.Shared(t)
	envs := apmEnvironment(t, "ops@example.org")
	deployAPM(t, envs)
	writeEnvironment(t, envs, "dev", strings.Replace(readFile(t, filepath.Join(envs, "dev.yaml")), "ops@", "oncall@", 1))
	report := planJSON(t, exitFindings, "access-point-monitor", "--env", "dev", "--environments", envs)
	s := report.Summary
	if s.Add != 0 || s.Modify != 1 || s.Remove != 0 || s.Parameters != 1 || len(report.Resources) != 1 {
		t.Fatalf("plan after one parameter change: %+v\n%+v", s, report.Resources)
	}
	res := report.Resources[0]
	if res.LogicalID != "AlertTopicEmail" || res.Action != "Modify" || res.Predicted.Replacement != "yes" {
		t.Errorf("the modified resource: %+v", res)
	}
	// moto lists no change for a parameter-only update (its change set diff
	// ignores parameters): formwork's prediction carries it, flagged.
	if res.Source == "formwork" && !strings.Contains(res.Disagreement, "CloudFormation lists no change") {
		t.Errorf("formwork-only change not flagged: %+v", res)
	}
	p := report.Parameters
	if len(p) != 1 || p[0].Name != "NotificationEmail" || p[0].Old != "ops@example.org" || p[0].New != "oncall@example.org" {
		t.Errorf("parameter changes: %+v", p)
	}
	formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs, "--keep", "--change-set", "second").wantExit(t, exitFindings)
	r := formwork(t, "apply", "access-point-monitor", "--env", "dev", "--environments", envs, "--change-set", "second").wantExit(t, exitOK)
	if st := stackOnMoto(t, "apm-dev"); st.Status != "UPDATE_COMPLETE" || st.Parameters["NotificationEmail"] != "oncall@example.org" ||
		!strings.Contains(r.stdout, "apm-dev: UPDATE_COMPLETE in ") {
		t.Errorf("after applying the update: %+v\n%s", st, r.stdout)
	}
}

func TestMotoApplyRefusesAChangeSetOfAnotherRender(t *testing.T) {
	moto.Shared(t)
	envs := apmEnvironment(t, "ops@example.org")
	deployAPM(t, envs)
	path := filepath.Join(envs, "dev.yaml")
	writeEnvironment(t, envs, "dev", strings.Replace(readFile(t, path), "ops@", "oncall@", 1))
	formwork(t, "plan", "access-point-monitor", "--env", "dev", "--environments", envs, "--keep", "--change-set", "second").wantExit(t, exitFindings)
	writeEnvironment(t, envs, "dev", strings.Replace(readFile(t, path), "oncall@", "someone@", 1))
	formwork(t, "apply", "access-point-monitor", "--env", "dev", "--environments", envs, "--change-set", "second").
		wantUsage(t, "change set second was made from another render", "plan --keep again")
	formwork(t, "apply", "access-point-monitor", "--env", "dev", "--environments", envs, "--change-set", "missing").
		wantUsage(t, "has no change set missing")
	if st := stackOnMoto(t, "apm-dev"); st.Parameters["NotificationEmail"] != "ops@example.org" {
		t.Errorf("a refused apply changed the stack: %+v", st)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
