// Package scaffold holds the files of a new repository of a team's own
// stacks, written by formwork init: the CLI's main, the stack registry, a
// starter stack, the golden-file test, a Makefile, a README and a CI
// workflow.
package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

//go:embed all:files
var files embed.FS

// optional holds the files written only when Repo asks for them, at the
// same paths as under files/.
//
//go:embed optional
var optional embed.FS

// optionalFiles says which Repo field asks for each optional file.
var optionalFiles = map[string]func(Repo) bool{
	"stacks/deploy_role.go": func(r Repo) bool { return r.DeployRole },
}

// Repo says what the new repository is.
type Repo struct {
	// Module is the Go module path, e.g. example.com/infra.
	Module string
	// Binary is the name of the CLI it builds, e.g. infra.
	Binary string
	// GoVersion is the go directive, e.g. 1.26.8.
	GoVersion string
	// Replace is the formwork checkout go.mod points at; "" requires Version
	// from a module proxy.
	Replace string
	// Version is formwork's module version when Replace is "".
	Version string
	// DeployRole adds the deploy-role stack: the roles the workflow's
	// deploy jobs assume.
	DeployRole bool
	// GitHubRepository is OWNER/NAME when Module is on github.com: the
	// deploy-role stack's default.
	GitHubRepository string
}

// FormworkModule is formwork's module path.
const FormworkModule = "github.com/formwork-dev/formwork"

// Write writes the repository's files into dir, which must exist. Every
// file under files/ (and each optional file r asks for) is written at its
// path without the .tmpl suffix (gitignore becomes .gitignore), expanded
// with r; go.mod is made from r.
func Write(dir string, r Repo) error {
	for _, path := range r.Paths() {
		if path == "go.mod" {
			continue
		}
		body, err := File(path, r)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(path)), body); err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(dir, "go.mod"), r.goMod())
}

// Paths lists the files Write writes for r, relative to the repository,
// with slashes.
func (r Repo) Paths() []string {
	out := []string{"go.mod"}
	fs.WalkDir(files, "files", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, target(path))
		}
		return nil
	})
	for path, wanted := range optionalFiles {
		if wanted(r) {
			out = append(out, path)
		}
	}
	return out
}

// File is one file of the repository, by its path in it (e.g.
// "stacks/stacks.go"), as Write writes it.
func File(path string, r Repo) ([]byte, error) {
	if path == ".gitignore" {
		path = "gitignore"
	}
	for _, name := range []string{path + ".tmpl", path} {
		if _, err := fs.Stat(files, "files/"+name); err == nil {
			return expand(files, "files/"+name, r)
		}
		if _, err := fs.Stat(optional, "optional/"+name); err == nil {
			return expand(optional, "optional/"+name, r)
		}
	}
	return nil, fmt.Errorf("scaffold has no file %s", path)
}

func target(path string) string {
	rel := strings.TrimSuffix(strings.TrimPrefix(path, "files/"), ".tmpl")
	if rel == "gitignore" {
		return ".gitignore"
	}
	return rel
}

// expand runs a file through text/template with [[ ]] delimiters, so the
// CI workflow's own ${{ }} expressions pass through untouched.
func expand(fsys embed.FS, path string, r Repo) ([]byte, error) {
	text, err := fsys.ReadFile(path)
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New(path).Delims("[[", "]]").Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("scaffold %s: %v", path, err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, r); err != nil {
		return nil, fmt.Errorf("scaffold %s: %v", path, err)
	}
	if strings.HasSuffix(path, ".md.tmpl") {
		return alignComments(b.Bytes()), nil
	}
	return b.Bytes(), nil
}

// alignComments lines up the "# comment" column of each indented code block
// of a Markdown file, three spaces after its longest command: the commands
// name the binary, whose length the template does not know.
func alignComments(md []byte) []byte {
	lines := strings.Split(string(md), "\n")
	for start := 0; start < len(lines); {
		end := start
		for end < len(lines) && strings.HasPrefix(lines[end], "    ") {
			end++
		}
		if end == start {
			start++
			continue
		}
		alignBlock(lines[start:end])
		start = end
	}
	return []byte(strings.Join(lines, "\n"))
}

func alignBlock(block []string) {
	width := 0
	for _, l := range block {
		if code, _, ok := strings.Cut(l, "  # "); ok {
			width = max(width, len(strings.TrimRight(code, " ")))
		}
	}
	for i, l := range block {
		if code, comment, ok := strings.Cut(l, "  # "); ok {
			code = strings.TrimRight(code, " ")
			block[i] = code + strings.Repeat(" ", width+3-len(code)) + "# " + comment
		}
	}
}

// goMod is the module file before go mod tidy adds formwork's own
// requirements and their checksums.
func (r Repo) goMod() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\n", r.Module, r.GoVersion)
	if r.Replace != "" {
		fmt.Fprintf(&b, "require %s v0.0.0-00010101000000-000000000000\n\n", FormworkModule)
		fmt.Fprintf(&b, "// For work on formwork itself: the checkout formwork init was given (--formwork-source).\n")
		fmt.Fprintf(&b, "// A team requires a released version instead: formwork help release.\n")
		fmt.Fprintf(&b, "replace %s => %s\n", FormworkModule, r.Replace)
	} else {
		fmt.Fprintf(&b, "require %s %s\n", FormworkModule, r.Version)
	}
	return []byte(b.String())
}

func writeFile(path string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, body, 0o644)
}
