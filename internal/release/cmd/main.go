// Command release writes what a Go module proxy serves for one version of
// formwork, under dist/: make release VERSION=vX.Y.Z runs it.
//
//	go run ./internal/release/cmd -version v0.2.0 [-out dist] [-worktree]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/formwork-dev/formwork/internal/release"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("release", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var o release.Options
	flags.StringVar(&o.Version, "version", "", "the `vX.Y.Z` to release; CHANGELOG.md must have its section")
	flags.StringVar(&o.Out, "out", "dist", "the proxy `DIR` to write into (GOPROXY=file://DIR)")
	flags.StringVar(&o.Root, "root", ".", "the module's git repository")
	flags.BoolVar(&o.Worktree, "worktree", false, "release the files on disk, uncommitted changes included (tests only)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if o.Version == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, "release: name the version: make release VERSION=vX.Y.Z")
		return 2
	}
	res, err := release.Make(o)
	if err != nil {
		fmt.Fprintln(stderr, "release: "+err.Error())
		return 2
	}
	for _, f := range res.Files {
		fmt.Fprintln(stdout, f)
	}
	fmt.Fprintf(stdout, "%s %s %s\n", res.Module, o.Version, res.Hash)
	fmt.Fprintf(stdout, "next: git tag %s && git push origin %s, then serve %s (or let the public proxy fetch the tag)\n", o.Version, o.Version, o.Out)
	return 0
}
