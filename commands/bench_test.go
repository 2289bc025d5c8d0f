package commands

// Performance budget of the CLI as users run it: each command in a fresh
// process, against a Go hello-world started in the same run. `make bench`
// runs TestCLIBudget (FORMWORK_BUDGET=1), which fails when a command's
// median wall time exceeds its budget, a multiple of the hello-world's (a
// ratio holds on a loaded machine where an absolute time does not), or its
// peak RSS exceeds 20 MiB. On a quiet machine a hello-world starts in about
// 1 ms: the budgets are formwork --version within 2 ms of it, and every
// stack rendered, checked, validated or diffed in about 10 ms.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/awsapi/cfn"
	"github.com/formwork-dev/formwork/internal/benchproc"
)

// buildBinary builds the CLI the way `make build` does.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "formwork")
	if out, err := exec.Command("go", "build", "-tags", "urfave_cli_no_docs,netgo,osusergo", "-o", bin, "../cmd/formwork").CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// cliBudget is one command's budget: its median wall time at most ratio
// times the hello-world's, and its median peak RSS at most 20 MiB.
type cliBudget struct {
	name  string
	args  []string
	ratio float64
}

const budgetRSS = 20 << 20 // bytes

// cliBudgets are the measured commands. The diff compares the catalogue
// with golden/, which holds the same templates: all of the diff's work,
// none of its differences.
func cliBudgets(out string) []cliBudget {
	return []cliBudget{
		{"formwork --version", []string{"--version"}, 3},
		{"formwork render --out DIR", []string{"render", "--out", out}, 10},
		{"formwork check", []string{"check"}, 10},
		{"formwork validate --no-cfn-lint", []string{"validate", "--no-cfn-lint"}, 10},
		{"formwork diff --base golden", []string{"diff", "--base", "golden"}, 12},
	}
}

// BenchmarkRenderAllStacksBinary runs `formwork render --out DIR` once per
// iteration.
func BenchmarkRenderAllStacksBinary(b *testing.B) {
	bin := buildBinary(b)
	tools, err := benchproc.Build(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	c := benchproc.Command{Name: "render", Argv: []string{bin, "render", "--out", b.TempDir()}, Dir: ".."}
	var peak int64
	for b.Loop() {
		r, err := tools.Once(c)
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, r.PeakRSS)
	}
	b.ReportMetric(benchproc.MiB(peak), "MiB-peak-RSS")
}

// TestCLIBudget runs the hello-world and every command of cliBudgets 20
// times, interleaved, and compares the medians with the budgets.
func TestCLIBudget(t *testing.T) {
	if os.Getenv("FORMWORK_BUDGET") == "" {
		t.Skip("timing budget: run with `make bench` (FORMWORK_BUDGET=1)")
	}
	tools, err := benchproc.Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	budgets := cliBudgets(t.TempDir())
	cmds := []benchproc.Command{{Name: "hello-world", Argv: []string{tools.HelloWorld}}}
	for _, b := range budgets {
		cmds = append(cmds, benchproc.Command{Name: b.name, Argv: append([]string{bin}, b.args...), Dir: ".."})
	}
	const rounds = 20
	stats, err := tools.Interleaved(rounds, cmds)
	if err != nil {
		t.Fatal(err)
	}
	base := stats[0]
	var report strings.Builder
	fmt.Fprintf(&report, "%d interleaved runs each; medians, wall's 25th-75th percentile as the noise\n", rounds)
	fmt.Fprintf(&report, "%-34s %9s %17s %9s %9s %8s %8s\n", "command", "wall ms", "p25-p75", "cpu ms", "RSS MiB", "ratio", "budget")
	for i, s := range stats {
		ratio := float64(s.Wall) / float64(base.Wall)
		budget := "-"
		if i > 0 {
			b := budgets[i-1]
			budget = fmt.Sprintf("%.0fx", b.ratio)
			if ratio > b.ratio {
				t.Errorf("%s: median %.2f ms is %.1fx the hello-world's %.2f ms, budget %.0fx", b.name, benchproc.Ms(s.Wall), ratio, benchproc.Ms(base.Wall), b.ratio)
			}
			if s.PeakRSS > budgetRSS {
				t.Errorf("%s: median peak RSS %.1f MiB, budget %d MiB", b.name, benchproc.MiB(s.PeakRSS), budgetRSS>>20)
			}
		}
		fmt.Fprintf(&report, "%-34s %9.2f %8.2f-%-8.2f %9.2f %9.1f %7.1fx %8s\n", cmds[i].Name, benchproc.Ms(s.Wall),
			benchproc.Ms(s.WallQuartile[0]), benchproc.Ms(s.WallQuartile[1]), benchproc.Ms(s.CPU), benchproc.MiB(s.PeakRSS), ratio, budget)
	}
	t.Log("\n" + report.String())
}

// BenchmarkPlanScripted is formwork plan's own work (render, create,
// describe and merge with formwork's prediction, the report) against
// scripted CloudFormation answers, without a network.
func BenchmarkPlanScripted(b *testing.B) {
	useStacks(b, demoApp)
	status := cfn.StackStatusUpdateComplete
	api := demoStack(&status)
	api.OnDeleteChangeSet = func(*cfn.DeleteChangeSetInput) (*cfn.DeleteChangeSetOutput, error) {
		return &cfn.DeleteChangeSetOutput{}, nil // a rerun replaces the plan of the same name
	}
	fakeCloud(b, api)
	for b.Loop() {
		formwork(b, "plan", "demo-app", "--stack-name", "demo", "--param", "Repository=acme/site", "--change-set", "p1", "--keep").wantExit(b, exitFindings)
	}
}

// BenchmarkInit is formwork init as a user runs it: the files, go mod tidy,
// the golden render (a go test build) and git init, on a warm module and
// build cache.
func BenchmarkInit(b *testing.B) {
	for b.Loop() {
		formwork(b, "init", filepath.Join(b.TempDir(), "infra")).wantExit(b, exitOK)
	}
}
