// Package benchproc measures commands as separate processes, interleaved
// with a Go hello-world started in the same run. On a shared machine an
// absolute time moves with the load; the ratio of a command's time to the
// hello-world's holds, so budgets are ratios. It serves `make bench` only.
package benchproc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Run is one process: wall time, CPU time (user and system) and peak
// resident memory.
type Run struct {
	Wall, CPU time.Duration
	PeakRSS   int64 // bytes
}

// Stats are the medians of several runs, and the wall time's quartiles to
// show the noise.
type Stats struct {
	Wall, CPU    time.Duration
	PeakRSS      int64
	WallQuartile [2]time.Duration // 25th and 75th percentile
	Runs         int
}

// Command is a process to measure: a name for the report, the argv and the
// directory to run it in.
type Command struct {
	Name string
	Argv []string
	Dir  string
}

// HelloWorld builds a Go program that prints one line, with the same
// toolchain, into dir, and returns its path.
func HelloWorld(dir string) (string, error) {
	src := filepath.Join(dir, "hello")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.22\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, world\") }\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(dir, "hello-world")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build hello-world: %v\n%s", err, out)
	}
	return bin, nil
}

// Once runs c once. A non-zero exit status is an error: a benchmark
// measures commands that succeed.
func Once(c Command) (Run, error) {
	cmd := exec.Command(c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return Run{}, fmt.Errorf("%s: %v\n%s", c.Name, err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return Run{}, fmt.Errorf("%s: no resource usage for the child process on this system", c.Name)
	}
	return Run{
		Wall:    wall,
		CPU:     time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		PeakRSS: ru.Maxrss * 1024, // Linux reports kilobytes
	}, nil
}

// Interleaved runs every command once per round, rounds times, after one
// warm-up round, so that a burst of load elsewhere slows all commands alike.
func Interleaved(rounds int, cmds []Command) ([]Stats, error) {
	runs := make([][]Run, len(cmds))
	for r := -1; r < rounds; r++ {
		for i, c := range cmds {
			run, err := Once(c)
			if err != nil {
				return nil, err
			}
			if r >= 0 {
				runs[i] = append(runs[i], run)
			}
		}
	}
	out := make([]Stats, len(cmds))
	for i, rs := range runs {
		out[i] = summarise(rs)
	}
	return out, nil
}

func summarise(rs []Run) Stats {
	walls := make([]time.Duration, len(rs))
	cpus := make([]time.Duration, len(rs))
	rss := make([]int64, len(rs))
	for i, r := range rs {
		walls[i], cpus[i], rss[i] = r.Wall, r.CPU, r.PeakRSS
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	slices.Sort(rss)
	n := len(rs)
	return Stats{
		Wall: walls[n/2], CPU: cpus[n/2], PeakRSS: rss[n/2],
		WallQuartile: [2]time.Duration{walls[n/4], walls[3*n/4]}, Runs: n,
	}
}

// Ms is a duration in milliseconds, for reports.
func Ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// MiB is a byte count in mebibytes, for reports.
func MiB(n int64) float64 { return float64(n) / (1 << 20) }
