// Package benchproc measures commands as separate processes, interleaved
// with a Go hello-world started in the same run. On a shared machine an
// absolute time moves with the load; the ratio of a command's time to the
// hello-world's holds, so budgets are ratios. It serves `make bench` only.
//
// Every command is started by a small launcher program, not by the test
// process itself: Go starts a child sharing the parent's memory until it
// executes (vfork), and Linux counts the parent's peak resident memory into
// the child's, so a command started by a test binary of 30 MiB would report
// at least 30 MiB. Through the launcher, the floor is the launcher's own
// peak, about 2 MiB.
package benchproc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
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

// Tools are the programs a measurement needs, built into a directory.
type Tools struct {
	HelloWorld string // prints one line
	launcher   string // runs a command and reports its resource usage
}

const helloSource = `package main

import "fmt"

func main() { fmt.Println("hello, world") }
`

// launcherSource runs os.Args[1:] with its output discarded and prints the
// wall time and CPU time in nanoseconds and the peak RSS in kilobytes.
const launcherSource = `package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v\n%s", err, stderr.String())
		os.Exit(1)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Println(wall.Nanoseconds(), ru.Utime.Nano()+ru.Stime.Nano(), ru.Maxrss)
}
`

// Build builds the hello-world and the launcher with the go command on PATH
// into dir.
func Build(dir string) (Tools, error) {
	hello, err := build(dir, "hello-world", helloSource)
	if err != nil {
		return Tools{}, err
	}
	launcher, err := build(dir, "launcher", launcherSource)
	return Tools{HelloWorld: hello, launcher: launcher}, err
}

func build(dir, name, source string) (string, error) {
	src := filepath.Join(dir, name+"-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	files := map[string]string{"go.mod": "module " + name + "\n\ngo 1.22\n", "main.go": source}
	for file, body := range files {
		if err := os.WriteFile(filepath.Join(src, file), []byte(body), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", name, err, out)
	}
	return bin, nil
}

// Once runs c once through the launcher. A non-zero exit status is an
// error: a benchmark measures commands that succeed.
func (t Tools) Once(c Command) (Run, error) {
	cmd := exec.Command(t.launcher, c.Argv...)
	cmd.Dir = c.Dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return Run{}, fmt.Errorf("%s: %v\n%s", c.Name, err, stderr.String())
	}
	var wall, cpu, rssKB int64
	if _, err := fmt.Sscan(string(out), &wall, &cpu, &rssKB); err != nil {
		return Run{}, fmt.Errorf("%s: the launcher printed %q: %v", c.Name, out, err)
	}
	return Run{Wall: time.Duration(wall), CPU: time.Duration(cpu), PeakRSS: rssKB * 1024}, nil // Linux reports kilobytes
}

// Interleaved runs every command once per round, rounds times, after one
// warm-up round, so that a burst of load elsewhere slows all commands alike.
func (t Tools) Interleaved(rounds int, cmds []Command) ([]Stats, error) {
	runs := make([][]Run, len(cmds))
	for r := -1; r < rounds; r++ {
		for i, c := range cmds {
			run, err := t.Once(c)
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
