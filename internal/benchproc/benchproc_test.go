package benchproc

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

func TestSummariseTakesMedians(t *testing.T) {
	ms := time.Millisecond
	s := summarise([]Run{{5 * ms, 4 * ms, 30}, {1 * ms, 1 * ms, 10}, {3 * ms, 2 * ms, 20}, {2 * ms, 9 * ms, 40}})
	if s.Wall != 3*ms || s.CPU != 4*ms || s.PeakRSS != 30 || s.WallQuartile != [2]time.Duration{2 * ms, 5 * ms} || s.Runs != 4 {
		t.Errorf("summarise = %+v", s)
	}
}

func buildTools(t *testing.T) Tools {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		templatestest.Missing(t, "go is not on PATH: cannot build the hello-world and the launcher")
	}
	tools, err := Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return tools
}

// The hello-world's peak RSS is its own, a few MiB, not the test binary's.
func TestHelloWorldMeasuresItsOwnMemory(t *testing.T) {
	tools := buildTools(t)
	stats, err := tools.Interleaved(2, []Command{{Name: "hello", Argv: []string{tools.HelloWorld}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := stats[0]; s.Runs != 2 || s.Wall <= 0 || s.PeakRSS <= 0 || s.PeakRSS > 8<<20 {
		t.Errorf("hello-world stats = %+v, want 2 runs of a few MiB", s)
	}
}

func TestOnceReportsAFailingCommand(t *testing.T) {
	tools := buildTools(t)
	_, err := tools.Once(Command{Name: "broken", Argv: []string{"sh", "-c", "echo broken >&2; exit 3"}})
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("Once of a failing command = %v, want its stderr in the error", err)
	}
}
