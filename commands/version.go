package commands

import (
	"fmt"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// versionCommand is formwork version.
func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print formwork's version (the module version the binary was built from)",
		UsageText: "formwork version\n\n" +
			"Prints the formwork module version Go recorded in the binary: vX.Y.Z when it was installed\n" +
			"with go install github.com/formwork-dev/formwork/cmd/formwork@vX.Y.Z, or, in a team's own\n" +
			"binary, the formwork version its go.mod requires. A build from a checkout says dev.\n\n" +
			"Example:\n   formwork version",
		BashComplete: func(*cli.Context) {},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("version takes no arguments: run formwork version")
			}
			_, err := fmt.Fprintf(c.App.Writer, "formwork version %s\n", versionString())
			return err
		},
	}
}

// versionString is formwork's module version as Go recorded it in the
// binary (go install ...@vX.Y.Z, or the version a team's go.mod requires),
// else "dev" with the VCS revision when Go recorded one.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return buildVersion(info)
}

func buildVersion(info *debug.BuildInfo) string {
	if v := publishedVersion(info); v != "" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "dev"
	}
	if dirty {
		rev += "-dirty"
	}
	return "dev (" + rev + ")"
}
