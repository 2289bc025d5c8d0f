package commands

import "runtime/debug"

// version is set at build time with
// -ldflags "-X github.com/formwork-dev/formwork/commands.version=...".
var version = "dev"

// versionString is the release version or, for a plain `go build`, the
// module version or VCS revision Go recorded in the binary.
func versionString() string {
	if version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
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
		return version
	}
	if dirty {
		rev += "-dirty"
	}
	return "dev (" + rev + ")"
}
