package release

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
)

// changelogHeading matches a version's heading in CHANGELOG.md:
// "## v0.2.0", "## v0.2.0 - 2026-12-07" or "## [v0.2.0] ...".
var changelogHeading = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^## \[?(v[0-9][^\s\]]*)\]?`) })

// changelogSection is the text under version's heading in the changelog at
// path, up to the next "## " heading.
func changelogSection(path, version string) (string, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("no CHANGELOG.md in the release: write one with a \"## %s\" section saying what changed", version)
	}
	var section []string
	in := false
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "## ") {
			if in {
				break
			}
			m := changelogHeading().FindStringSubmatch(line)
			in = m != nil && m[1] == version
			continue
		}
		if in {
			section = append(section, line)
		}
	}
	text := strings.TrimSpace(strings.Join(section, "\n"))
	switch {
	case !in && text == "":
		return "", fmt.Errorf("CHANGELOG.md has no \"## %s\" section: add one saying what changed, commit it, then release", version)
	case text == "":
		return "", fmt.Errorf("CHANGELOG.md's \"## %s\" section is empty: say what changed, commit it, then release", version)
	}
	return text + "\n", nil
}

// Latest is the newest version with a section in the changelog at path.
func Latest(path string) (string, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if m := changelogHeading().FindStringSubmatch(line); m != nil {
			return m[1], nil
		}
	}
	return "", fmt.Errorf("%s has no \"## vX.Y.Z\" section", path)
}
