package commands

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
	"github.com/urfave/cli/v2"
)

var formatFlag = &cli.StringFlag{
	Name:    "format",
	Value:   "yaml",
	Usage:   "output `FORMAT`: yaml (short-form intrinsics) or json (long form)",
	EnvVars: []string{"FORMWORK_FORMAT"},
}

// renderCommand is formwork render.
func renderCommand() *cli.Command {
	return &cli.Command{
		Name:  "render",
		Usage: "render stacks to CloudFormation templates",
		UsageText: "formwork render STACK [--format yaml|json]            print one stack's template\n" +
			"   formwork render [STACK...] --out DIR [--format ...]   write DIR/<stack>.yaml for each (default: all)\n\n" +
			"Examples:\n" +
			"   formwork render access-point-monitor\n" +
			"   formwork render --out out/\n" +
			"   formwork render hexo-site --format json",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write one file per stack into `DIR` (created if missing)", EnvVars: []string{"FORMWORK_OUT"}},
			formatFlag,
		},
		Action: renderStacks,
	}
}

func renderStacks(c *cli.Context) error {
	format, err := templates.ParseFormat(c.String("format"))
	if err != nil {
		return usageError("%s: %v", flagLabel(c, "format"), err)
	}
	list, err := selectStacks(c, c.Args().Slice())
	if err != nil {
		return err
	}
	out := c.String("out")
	if out == "" && len(list) != 1 {
		return usageError("name one stack to print it, or pass --out DIR to write every stack")
	}
	rendered, err := golden.RenderAll(list, format, ruleSet(c))
	if err != nil {
		return renderFailed(c.App.ErrWriter, err)
	}
	if out == "" {
		_, err := c.App.Writer.Write(rendered[0].Body)
		return err
	}
	if err := notInterrupted(c.Context); err != nil {
		return err
	}
	return writeRendered(c.App.ErrWriter, out, rendered, format)
}

// renderFailed prints why stacks did not render, one finding a line, and
// returns the summary. A stack that does not render is bad input to every
// command but validate (whose findings are its output): exit 2.
func renderFailed(stderr io.Writer, err error) error {
	lines := strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")
	for _, l := range lines {
		fmt.Fprintln(stderr, l)
	}
	return usageError("%s: fix the stack definition, then run again", plural(len(lines), "problem"))
}

// writeRendered writes every file or, if any cannot be written, none.
// Each written file is reported on progress.
func writeRendered(progress io.Writer, dir string, rendered []golden.Rendered, format templates.Format) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usageError("cannot create --out directory %s: %v: choose a writable --out directory", dir, rootCause(err))
	}
	files := make([]outFile, len(rendered))
	for i, r := range rendered {
		files[i] = outFile{filepath.Join(dir, r.Stack.Name+"."+string(format)), r.Body}
	}
	if err := writeAll(files); err != nil {
		return usageError("cannot write %v: choose a writable --out directory (nothing was written)", pathProblem(err))
	}
	for _, f := range files {
		fmt.Fprintf(progress, "wrote %s (%d bytes)\n", f.path, len(f.data))
	}
	return nil
}

// plural writes "1 file" or "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
