package commands

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocumentedGoCompiles compiles every Go block of the README and the
// help topics, each as its own package: a whole file as it is, top-level
// declarations under a package clause, statements as the body of a
// build function (t *templates.Template). A snippet that calls register,
// as a team repository's stacks do, gets a stand-in for it.
func TestDocumentedGoCompiles(t *testing.T) {
	needTool(t, "go")
	t.Chdir("..")
	docs, _ := filepath.Glob("commands/help/*.md")
	docs = append(docs, "README.md")
	work, err := os.MkdirTemp("commands/testdata", "snippets-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(work)
	var pkgs []string
	where := map[string]string{}
	for _, doc := range docs {
		for i, snippet := range goBlocks(t, doc) {
			dir := filepath.Join(work, fmt.Sprintf("s%d", len(pkgs)))
			os.MkdirAll(dir, 0o755)
			if err := os.WriteFile(filepath.Join(dir, "snippet.go"), []byte(snippetFile(snippet)), 0o644); err != nil {
				t.Fatal(err)
			}
			pkgs = append(pkgs, "./"+filepath.ToSlash(dir))
			where[filepath.Base(dir)] = fmt.Sprintf("%s, Go block %d", doc, i+1)
		}
	}
	if len(pkgs) < 8 {
		t.Fatalf("found %d Go blocks: the extraction is broken", len(pkgs))
	}
	cmd := exec.Command("go", append([]string{"build"}, pkgs...)...)
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		msg := string(out)
		for dir, doc := range where {
			msg = strings.ReplaceAll(msg, filepath.ToSlash(filepath.Join(work, dir))+"/snippet.go", doc)
		}
		t.Fatalf("a documented Go example does not compile:\n%s", msg)
	}
	t.Logf("%d Go blocks compile", len(pkgs))
}

// goBlocks are the ```go blocks of doc, dedented.
func goBlocks(t *testing.T, doc string) []string {
	body, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?ms)^( *)```go\n(.*?)^ *```").FindAllStringSubmatch(string(body), -1) {
		lines := strings.Split(m[2], "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, m[1])
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return out
}

var snippetImports = map[string]string{
	"blocks":         "github.com/formwork-dev/formwork/stacks/blocks",
	"stacks":         "github.com/formwork-dev/formwork/stacks",
	"cloudformation": "github.com/awslabs/goformation/v7/cloudformation",
	"lambda":         "github.com/awslabs/goformation/v7/cloudformation/lambda",
	"iam":            "github.com/awslabs/goformation/v7/cloudformation/iam",
}

// snippetFile makes a compilable file of a snippet.
func snippetFile(snippet string) string {
	needsRegister := strings.Contains(snippet, "register(") && !strings.Contains(snippet, "func register")
	if strings.HasPrefix(snippet, "package ") { // a team repository's file: stacks.go defines register
		if needsRegister {
			snippet += "\nfunc register(templates.Stack) {}\n"
		}
		return snippet
	}
	var b strings.Builder
	b.WriteString("package snippet\n\nimport (\n\t\"github.com/formwork-dev/formwork/templates\"\n")
	for name, path := range snippetImports {
		if strings.Contains(snippet, name+".") {
			fmt.Fprintf(&b, "\t%q\n", path)
		}
	}
	b.WriteString(")\n\nvar _ templates.Stack\n\n")
	if needsRegister {
		b.WriteString("func register(templates.Stack) {}\n\n")
	}
	if regexp.MustCompile(`(?m)^(func|type|var|const) `).MatchString(snippet) {
		b.WriteString(snippet)
	} else {
		b.WriteString("func _(t *templates.Template) {\n" + snippet + "}\n")
	}
	return b.String()
}
