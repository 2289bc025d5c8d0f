package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunRefusesBadUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "release: name the version: make release VERSION=vX.Y.Z\n"},
		{[]string{"-version", "v0.1.0", "extra"}, "release: name the version"},
		{[]string{"-version", "1.0"}, `release: version "1.0" is not a semantic version`},
		{[]string{"-nonsense"}, "flag provided but not defined: -nonsense"},
	} {
		var out, errOut bytes.Buffer
		if code := run(c.args, &out, &errOut); code != 2 || out.Len() > 0 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("release %v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", c.args, code, out.String(), errOut.String(), c.want)
		}
	}
}
