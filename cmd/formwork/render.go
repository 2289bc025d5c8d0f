package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/formwork-dev/formwork/stacks"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

var formatFlag = &cli.StringFlag{
	Name:    "format",
	Value:   "yaml",
	Usage:   "output format: yaml (short-form intrinsics) or json (long form)",
	EnvVars: []string{"FORMWORK_FORMAT"},
}

func init() {
	commands = append(commands, &cli.Command{
		Name:  "render",
		Usage: "render stacks to CloudFormation templates",
		UsageText: "formwork render STACK                 print one stack's template\n" +
			"   formwork render [STACK...] --out DIR   write DIR/<stack>.yaml for each (default: all)\n\n" +
			"Examples:\n" +
			"   formwork render access-point-monitor\n" +
			"   formwork render --out out/\n" +
			"   formwork render hexo-site --format json",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write one file per stack into `DIR` (created if missing)", EnvVars: []string{"FORMWORK_OUT"}},
			formatFlag,
		},
		Action: renderStacks,
	})
}

func renderStacks(c *cli.Context) error {
	format, err := templates.ParseFormat(c.String("format"))
	if err != nil {
		return usageError("%v", err)
	}
	list, err := stacks.Select(c.Args().Slice())
	if err != nil {
		return usageError("%v", err)
	}
	out := c.String("out")
	if out == "" && len(list) != 1 {
		return usageError("name one stack to print it, or pass --out DIR to write every stack")
	}
	rendered, err := stacks.RenderAll(list, format)
	if err != nil {
		return usageError("%v", err)
	}
	if out == "" {
		_, err := c.App.Writer.Write(rendered[0].Body)
		return err
	}
	return writeRendered(c.App.ErrWriter, out, rendered, format)
}

// writeRendered writes every file or, if the directory is unusable, none.
// Each written file is reported on progress.
func writeRendered(progress io.Writer, dir string, rendered []stacks.Rendered, format templates.Format) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usageError("cannot create --out directory %s: %v", dir, rootCause(err))
	}
	for _, r := range rendered {
		path := filepath.Join(dir, r.Stack.Name+"."+string(format))
		if err := stacks.WriteFileAtomic(path, r.Body); err != nil {
			return usageError("cannot write %s: %v: choose a writable --out directory", path, rootCause(err))
		}
	}
	for _, r := range rendered {
		fmt.Fprintf(progress, "wrote %s (%d bytes)\n", filepath.Join(dir, r.Stack.Name+"."+string(format)), len(r.Body))
	}
	return nil
}

// rootCause strips the operation and path an *os.PathError repeats.
func rootCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
