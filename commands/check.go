package commands

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/formwork-dev/formwork/templates/golden"
	"github.com/urfave/cli/v2"
)

var goldenFlag = &cli.StringFlag{
	Name:    "golden",
	Value:   "golden",
	Usage:   "`DIR` holding the committed templates, <stack>.yaml each",
	EnvVars: []string{"FORMWORK_GOLDEN"},
}

// checkCommand is formwork check.
func checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "render every stack in memory and compare with golden/ (writes nothing)",
		UsageText: "formwork check [--golden DIR]\n\n" +
			"Prints a unified diff for each stale, missing or extra golden file and exits 1 if\n" +
			"there is any; run make golden to bring golden/ up to date. Also exits 1 when an\n" +
			"environment file names a stack or parameter that does not exist (file:line: message).\n\n" +
			"Examples:\n" +
			"   formwork check\n" +
			"   formwork check --golden ../main/golden",
		Flags:        []cli.Flag{goldenFlag, environmentsFlag},
		Action:       checkGolden,
		BashComplete: func(*cli.Context) {},
	}
}

func checkGolden(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("check takes no stack names, it compares every stack: run formwork check [--golden DIR]")
	}
	dir := c.String("golden")
	if err := readableDir(flagLabel(c, "golden"), dir, len(catalog(c)) > 0); err != nil {
		return err
	}
	diffs, err := golden.Compare(catalog(c), dir, ruleSet(c))
	if err != nil {
		return renderFailed(c.App.ErrWriter, err)
	}
	envFindings, _, err := environmentFindings(c, true)
	if err != nil {
		return err
	}
	for _, f := range envFindings {
		fmt.Fprintln(c.App.Writer, f)
	}
	if len(diffs) == 0 && len(envFindings) > 0 {
		return findingsError("%s: environment files name stacks or parameters that do not exist; fix them", plural(len(envFindings), "finding"))
	}
	if len(diffs) == 0 {
		verb := "match their stacks"
		if len(catalog(c)) == 1 {
			verb = "matches its stack"
		}
		fmt.Fprintf(c.App.Writer, "%s: %s %s\n", dir, plural(len(catalog(c)), "template"), verb)
		return nil
	}
	kinds := map[string]int{}
	for _, d := range diffs {
		fmt.Fprint(c.App.Writer, d.Diff)
		kinds[d.Kind]++
	}
	var counts []string
	for _, k := range []string{"stale", "missing", "extra"} {
		if kinds[k] > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", kinds[k], k))
		}
	}
	return findingsError("%s differs from the stacks (%s): run make golden, then review and commit the diff",
		dir, strings.Join(counts, ", "))
}

// readableDir fails with a usage error unless dir is a readable directory.
// A missing directory is fine when mustExist is false (nothing to compare).
func readableDir(label, dir string, mustExist bool) error {
	_, err := os.ReadDir(dir)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist) && !mustExist:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return usageError("%s %s: no such directory: run make golden to create it, or pass --golden DIR", label, dir)
	}
	return usageError("%s %s: %v: pass a readable directory", label, dir, rootCause(err))
}
