package assets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// goBuildFlags make the binary depend on nothing but the source, the module
// graph and the Go version: no file system paths (-trimpath), no VCS stamp,
// no build id, no symbol table or DWARF (-s -w).
var goBuildFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=-buildid= -s -w"}

// goTarget is Lambda's arm64 platform. GOFLAGS is set, not left empty: an
// empty variable would let `go env -w GOFLAGS=...` apply (-tags, -race).
var goTarget = map[string]string{
	"GOOS": "linux", "GOARCH": "arm64", "GOARM64": "v8.0", "CGO_ENABLED": "0", "GOFLAGS": "-buildvcs=false",
}

// goEnv is environ with every variable that changes what go build makes
// replaced by goTarget (GOEXPERIMENT dropped); GOPATH, GOCACHE, GOPROXY and
// the rest pass through.
func goEnv(environ []string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if _, set := goTarget[name]; set || name == "GOEXPERIMENT" {
			continue
		}
		env = append(env, kv)
	}
	for _, name := range []string{"GOOS", "GOARCH", "GOARM64", "CGO_ENABLED", "GOFLAGS"} {
		env = append(env, name+"="+goTarget[name])
	}
	return env
}

// BuildError is a main package that does not compile; Output is what the
// compiler said.
type BuildError struct {
	Asset, Package, Output string
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("%s: go build %s failed (the compiler's first lines are above): fix it and run again", e.Asset, e.Package)
}

// FirstLines is the start of the compiler's output, for the terminal.
func (e *BuildError) FirstLines(n int) []string {
	lines := strings.Split(strings.TrimSpace(e.Output), "\n")
	return lines[:min(n, len(lines))]
}

// buildGo builds pkg, from dir, into a linux/arm64 executable and returns it.
func buildGo(ctx context.Context, asset, pkg, dir string) ([]byte, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("%s: go is not on PATH: install Go (https://go.dev/dl/) to build %s", asset, pkg)
	}
	tmp, err := os.MkdirTemp("", "formwork-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "bootstrap")
	args := append(append([]string{"build", "-o", out}, goBuildFlags...), pkg)
	cmd := exec.CommandContext(ctx, goTool, args...)
	// go's own work directory goes inside tmp, which is removed whatever
	// happens; interrupted, go is asked to stop (and clean up) first.
	cmd.Dir, cmd.Env = dir, append(goEnv(os.Environ()), "GOTMPDIR="+tmp)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	err = cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s: the build of %s was interrupted: %w", asset, pkg, ctx.Err())
	}
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, &BuildError{Asset: asset, Package: pkg, Output: output.String()}
		}
		return nil, fmt.Errorf("%s: cannot run go build: %w", asset, err)
	}
	return os.ReadFile(out)
}
