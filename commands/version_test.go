package commands

import (
	"runtime/debug"
	"testing"
)

func TestVersionCommandAgreesWithTheFlag(t *testing.T) {
	flag := formwork(t, "--version").wantExit(t, exitOK)
	cmd := formwork(t, "version").wantExit(t, exitOK)
	if cmd.stdout != flag.stdout || cmd.stdout != "formwork version "+versionString()+"\n" {
		t.Errorf("formwork version printed %q, --version %q", cmd.stdout, flag.stdout)
	}
	formwork(t, "version", "now").wantUsage(t, "version takes no arguments")
}

// The version comes from what Go recorded in the binary: formwork itself
// installed by version, formwork as a team binary's dependency, or a build
// from a checkout.
func TestBuildVersion(t *testing.T) {
	const fw = "github.com/formwork-dev/formwork"
	for _, c := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"go install formwork@v0.1.0", debug.BuildInfo{Main: debug.Module{Path: fw, Version: "v0.1.0", Sum: "h1:x="}}, "v0.1.0"},
		{"a team's binary", debug.BuildInfo{Main: debug.Module{Path: "github.com/acme/infra", Version: "(devel)"},
			Deps: []*debug.Module{{Path: fw, Version: "v0.2.1", Sum: "h1:y="}}}, "v0.2.1"},
		{"a team's binary on a checkout", debug.BuildInfo{Main: debug.Module{Path: "github.com/acme/infra"},
			Deps: []*debug.Module{{Path: fw, Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "/src/formwork"}}}}, "dev"},
		{"go build in a checkout, stamped", debug.BuildInfo{Main: debug.Module{Path: fw, Version: "v0.1.1-0.20261207224139-0e2714e4c1d2+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0e2714e4c1d2a3b4"}}}, "dev (0e2714e4c1d2)"},
		{"go build in a checkout", debug.BuildInfo{Main: debug.Module{Path: fw, Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0e2714e4c1d2a3b4"}, {Key: "vcs.modified", Value: "true"}}}, "dev (0e2714e4c1d2-dirty)"},
	} {
		if got := buildVersion(&c.info); got != c.want {
			t.Errorf("%s: version %q, want %q", c.name, got, c.want)
		}
	}
}
