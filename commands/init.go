package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/formwork-dev/formwork/internal/scaffold"
	"github.com/urfave/cli/v2"
)

// initCommand is formwork init.
func initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "create a repository for your own stacks",
		ArgsUsage: "DIR",
		UsageText: "formwork init DIR [--module PATH] [--deploy-role]\n\n" +
			"Writes a ready repository into DIR (new or empty): go.mod requiring formwork, a main of one\n" +
			"line, stacks/ with a starter stack and the golden-file test, golden/ already rendered, a\n" +
			"Makefile (build, test, golden), a README and a GitHub Actions workflow that runs the checks\n" +
			"and posts formwork diff on pull requests, with deploy jobs (plan on the pull request, apply\n" +
			"on merge, per environment) that run once switched on. --deploy-role adds the deploy-role\n" +
			"stack: the least-privilege roles those jobs assume through GitHub's OIDC provider. go.mod\n" +
			"requires the formwork version this binary is (formwork version); --formwork-source DIR\n" +
			"points it at a checkout instead, for work on formwork itself. It runs go mod tidy, renders\n" +
			"golden/ (a few seconds) and git init. Nothing is written unless all of it succeeds.\n\n" +
			"Examples:\n" +
			"   formwork init infra --module github.com/acme/infra\n" +
			"   formwork init infra --module github.com/acme/infra --deploy-role\n" +
			"   cd infra && make test && bin/infra list",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "module", Usage: "Go module `PATH` of the new repository (default: example.com/DIR's name)"},
			&cli.BoolFlag{Name: "deploy-role", Usage: "add the deploy-role stack: the roles the workflow's deploy jobs assume (OIDC, least privilege)"},
			&cli.StringFlag{Name: "formwork-source", Usage: "formwork checkout `DIR` to point go.mod at (default: the one this binary was built from)", EnvVars: []string{"FORMWORK_SOURCE"}},
		},
		BashComplete: func(*cli.Context) {},
		Action:       initRepository,
	}
}

// modulePath is what go.mod accepts as a module path, conservatively.
var modulePath = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*(/[A-Za-z0-9._~-]+)*$`) })

func initRepository(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError("init takes one directory, got %d arguments: e.g. formwork init infra --module github.com/acme/infra", c.NArg())
	}
	dir, err := filepath.Abs(c.Args().First())
	if err != nil {
		return usageError("init %s: %v", c.Args().First(), err)
	}
	if err := mustBeEmpty(dir); err != nil {
		return err
	}
	repo, err := newRepo(c, dir)
	if err != nil {
		return err
	}
	if _, err := exec.LookPath("go"); err != nil {
		return usageError("init needs the go command on PATH (it runs go mod tidy and renders golden/): install Go from https://go.dev/dl")
	}
	return scaffoldInto(c.Context, c.App.ErrWriter, dir, c.Args().First(), repo)
}

// mustBeEmpty refuses a directory that holds anything: init never mixes its
// files with a user's.
func mustBeEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, syscall.ENOTDIR):
		return usageError("init %s: not a directory: name a new or empty directory", dir)
	case err != nil:
		return usageError("init %s: %v: name a new or empty directory", dir, rootCause(err))
	case len(entries) > 0:
		return usageError("init %s: the directory is not empty (it holds %s): name a new or empty directory; nothing was written", dir, entries[0].Name())
	}
	return nil
}

func newRepo(c *cli.Context, dir string) (scaffold.Repo, error) {
	module := c.String("module")
	if module == "" {
		module = "example.com/" + strings.ToLower(filepath.Base(dir))
	}
	if !modulePath().MatchString(module) {
		return scaffold.Repo{}, usageError("--module %q is not a Go module path: write e.g. github.com/acme/infra", module)
	}
	repo := scaffold.Repo{Module: module, Binary: binaryName(module), DeployRole: c.Bool("deploy-role"), GitHubRepository: githubRepository(module)}
	src, version, err := formworkSource(c.String("formwork-source"))
	if err != nil {
		return scaffold.Repo{}, err
	}
	repo.Replace, repo.Version = src, version
	repo.GoVersion = goVersion(src)
	return repo, nil
}

// githubRepository is OWNER/NAME of a module at github.com/OWNER/NAME.
func githubRepository(module string) string {
	parts := strings.Split(module, "/")
	if len(parts) < 3 || parts[0] != "github.com" {
		return ""
	}
	return parts[1] + "/" + parts[2]
}

// binaryName is the last element of the module path, as go build names it.
func binaryName(module string) string {
	name := path.Base(module)
	if regexp.MustCompile(`^v[0-9]+$`).MatchString(name) && strings.Contains(module, "/") {
		name = path.Base(path.Dir(module))
	}
	return name
}

// formworkSource finds the formwork the new repository builds on: the
// checkout given, the checkout this binary was built from, or, for a
// binary built from a published formwork, that version.
func formworkSource(given string) (dir, version string, err error) {
	if given != "" {
		abs, _ := filepath.Abs(given)
		if !isFormworkCheckout(abs) {
			return "", "", usageError("--formwork-source %s: no formwork checkout there (its go.mod must say module %s)", given, scaffold.FormworkModule)
		}
		return abs, "", nil
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		if v := publishedVersion(info); v != "" {
			return "", v, nil
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if root := filepath.Dir(filepath.Dir(file)); isFormworkCheckout(root) { // commands/init.go
			return root, "", nil
		}
	}
	return "", "", usageError("cannot find formwork's source: pass --formwork-source DIR with a formwork checkout")
}

// publishedVersion is formwork's module version when this binary was built
// from a module proxy rather than a checkout: go install ...@vX.Y.Z, or a
// team's binary requiring formwork. Only a module from a proxy has a go.sum
// hash; a go build in a checkout may stamp a pseudo-version without one.
func publishedVersion(info *debug.BuildInfo) string {
	mods := append([]*debug.Module{&info.Main}, info.Deps...)
	for _, m := range mods {
		if m.Path == scaffold.FormworkModule && m.Replace == nil && m.Sum != "" && m.Version != "" && m.Version != "(devel)" {
			return m.Version
		}
	}
	return ""
}

func isFormworkCheckout(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	return s.Scan() && strings.TrimSpace(s.Text()) == "module "+scaffold.FormworkModule
}

// goVersion is formwork's go directive when its checkout is known, else
// this toolchain's version.
func goVersion(src string) string {
	if body, err := os.ReadFile(filepath.Join(src, "go.mod")); err == nil {
		if m := regexp.MustCompile(`(?m)^go ([0-9.]+)$`).FindSubmatch(body); m != nil {
			return string(m[1])
		}
	}
	return strings.TrimPrefix(runtime.Version(), "go")
}

// scaffoldInto builds the repository in a temporary directory beside dir
// and moves it into place only when every step succeeded. Interrupted, it
// stops the running go command and removes the temporary directory. typed
// is DIR as the user wrote it, which the closing line tells them to cd into.
func scaffoldInto(ctx context.Context, progress io.Writer, dir, typed string, repo scaffold.Repo) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return usageError("init: cannot create %s: %v", parent, rootCause(err))
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".init-*")
	if err != nil {
		return usageError("init: cannot write in %s: %v: choose a writable place", parent, rootCause(err))
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := scaffold.Write(tmp, repo); err != nil {
		return fmt.Errorf("init: %v", err)
	}
	fmt.Fprintf(progress, "wrote %d files for module %s\n", len(repo.Paths()), repo.Module)
	steps := []struct {
		what string
		args []string
	}{
		{"resolving formwork's dependencies (go mod tidy)", []string{"mod", "tidy"}},
		{"rendering golden/", []string{"test", "./stacks", "-run", "^TestGolden$", "-update", "-count=1"}},
	}
	for _, s := range steps {
		if err := goStep(ctx, progress, tmp, s.what, s.args...); err != nil {
			return err
		}
	}
	gitInit(progress, tmp)
	if ctx.Err() != nil {
		return exitError{exitInterrupted, "interrupted: init: nothing was written"}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return usageError("init: cannot move the repository into %s: %v", dir, rootCause(err))
	}
	fmt.Fprintf(progress, "created %s: cd %s && make test\n", dir, shellQuote(typed))
	return nil
}

// goStep runs the go command in dir with a line when it starts and when it
// ends; a failure shows go's first lines.
func goStep(ctx context.Context, progress io.Writer, dir, what string, args ...string) error {
	fmt.Fprintf(progress, "%s ...\n", what)
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return exitError{exitInterrupted, "interrupted: init: " + what + " stopped: nothing was written"}
	}
	if err != nil {
		return usageError("init: %s failed (go %s): %s: nothing was written", what, strings.Join(args, " "), firstLines(string(out), 3))
	}
	fmt.Fprintf(progress, "%s done in %.1fs\n", what, time.Since(start).Seconds())
	return nil
}

// gitInit makes the repository a git repository on branch main, when git is
// installed: plan names change sets after the commit, and the CI workflow
// and README diff against main, whatever init.defaultBranch says. Nothing
// is committed: that is the user's first commit to make.
func gitInit(progress io.Writer, dir string) {
	if _, err := exec.LookPath("git"); err != nil {
		fmt.Fprintln(progress, "git is not on PATH: run git init -b main in the new repository yourself")
		return
	}
	for _, args := range [][]string{{"init", "--quiet"}, {"symbolic-ref", "HEAD", "refs/heads/main"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(progress, "git %s failed (%s): run git init -b main in the new repository yourself\n", args[0], firstLines(string(out), 1))
			return
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " / ")
}
