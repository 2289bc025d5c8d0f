package commands

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/internal/importer"
	"github.com/formwork-dev/formwork/internal/importer/hints"
	"github.com/formwork-dev/formwork/internal/scaffold"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
	"github.com/urfave/cli/v2"
)

// importCommand is formwork import.
func importCommand() *cli.Command {
	return &cli.Command{
		Name:  "import",
		Usage: "turn existing CloudFormation templates into Go stacks that render the same templates",
		UsageText: "formwork import TEMPLATE... --into REPO   write REPO/stacks/<name>.go for each template\n" +
			"   formwork import TEMPLATE --stdout         print one template's Go source\n" +
			"   formwork import stack:NAME [--env E | --region R] --into REPO\n" +
			"                                             import a deployed stack and its parameter values\n\n" +
			"Reads YAML (short or long form) and JSON templates. Each becomes a stack named after its\n" +
			"file (lower case, dashes: Web_Server.yaml is web-server) in a repository made by\n" +
			"formwork init, with the template's logical ids, its resources in their order, goformation\n" +
			"types and intrinsic helpers, and an explicit escape hatch (t.Override, templates.Untyped)\n" +
			"for what goformation cannot hold. The import is checked before anything is written: the\n" +
			"stack renders the input value by value (numbers as written); if not, the error names the\n" +
			"first path that differs. A file that is not a template, a construct of another tool\n" +
			"(!Rain::Module), or a stack that exists already, writes nothing for any template.\n" +
			"Values CloudFormation reads differently from how they are written (012 is octal) are\n" +
			"reported with the fix. With cfn-lint on PATH, each of its findings becomes a waiver\n" +
			"(t.Waive(id, \"cfn-lint:W3011\", reason)), so the repository passes make test as deployed.\n" +
			"stack:NAME reads the deployed stack (its original template, parameter values and tags)\n" +
			"and adds its entry to REPO/environments/ENV.yaml: formwork plan then shows no change.\n\n" +
			"Examples:\n" +
			"   formwork import network.yaml app.json --into ../infra\n" +
			"   cd ../infra && make golden\n" +
			"   formwork diff --base ../old/network.yaml --head golden/network.yaml --exit-code\n" +
			"   formwork import legacy/queue.template --stdout | less\n" +
			"   formwork import stack:orders-dev --env dev --into ../infra",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "into", Usage: "write the stacks into `REPO`/stacks/, a repository made by formwork init"},
			&cli.BoolFlag{Name: "stdout", Usage: "print the Go source of the one template instead of writing it"},
			&cli.StringFlag{Name: "env", Usage: "with stack:NAME, add the deployed values to REPO/environments/`ENV`.yaml (default: named after the region)"},
			regionFlag, profileFlag,
		},
		Action:       importTemplates,
		BashComplete: func(*cli.Context) {},
	}
}

// imported is one template's generated stack.
type imported struct {
	template, stack string
	data            []byte // the template
	source          []byte
	findings        []importer.Finding
	result          importer.Result
}

func importTemplates(c *cli.Context) error {
	files := c.Args().Slice()
	into, toStdout := c.String("into"), c.Bool("stdout")
	switch {
	case len(files) == 0:
		return usageError("name the templates to import: formwork import TEMPLATE... --into REPO")
	case into != "" && toStdout:
		return usageError("--into and --stdout exclude each other: write into a repository, or print one template")
	case into == "" && !toStdout:
		return usageError("say where the Go goes: --into REPO (a repository made by formwork init), or --stdout")
	case toStdout && len(files) > 1:
		return usageError("--stdout prints one template's Go source: name one template, or use --into REPO")
	}
	var stacksDir string
	if into != "" {
		var err error
		if stacksDir, err = repositoryStacks(into); err != nil {
			return err
		}
	}
	if name, ok := strings.CutPrefix(files[0], "stack:"); ok {
		if len(files) > 1 || into == "" {
			return usageError("import stack:NAME imports one deployed stack into a repository: formwork import stack:NAME [--env E | --region R] --into REPO")
		}
		return importDeployed(c, name, stacksDir)
	}
	for _, f := range files {
		if strings.HasPrefix(f, "stack:") {
			return usageError("%s: import a deployed stack on its own: formwork import %s [--env E | --region R] --into REPO", f, f)
		}
	}
	if c.String("env") != "" || c.String("region") != "" {
		return usageError("--env and --region say where a deployed stack is: use them with import stack:NAME")
	}
	results, err := importAll(files, importOptions(c))
	if err != nil {
		return err
	}
	if err := waiveLintFindings(c.App.ErrWriter, results, importOptions(c)); err != nil {
		return err
	}
	for _, r := range results {
		for _, f := range r.findings {
			if f.Line == 0 {
				fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", r.template, f.Message)
				continue
			}
			fmt.Fprintf(c.App.ErrWriter, "%s:%d: %s\n", r.template, f.Line, f.Message)
		}
	}
	if toStdout {
		_, err := c.App.Writer.Write(results[0].source)
		return err
	}
	return writeImported(c, stacksDir, results)
}

// importOptions are the rules the repository renders with (a finding of the
// template as it is becomes a waiver) and the blocks' patterns.
func importOptions(c *cli.Context) importer.Options {
	return importer.Options{Rules: ruleSet(c), Patterns: hints.Blocks()}
}

// importAll imports every template, or fails on the first that cannot be.
func importAll(files []string, opts importer.Options) ([]imported, error) {
	byStack := map[string]string{}
	var out []imported
	for _, f := range files {
		data, err := readImportInput(f)
		if err != nil {
			return nil, usageError("%v (nothing was written)", err)
		}
		name := importer.StackName(f)
		if name == "" {
			return nil, usageError("%s: no stack name can be made from the file name: rename the file to letters and digits (nothing was written)", f)
		}
		if other, dup := byStack[name]; dup {
			return nil, usageError("%s and %s would both be stack %q: rename one of the files (nothing was written)", other, f, name)
		}
		byStack[name] = f
		result, err := importer.ImportStack(f, name, data, opts)
		var bad *importer.Error
		if errors.As(err, &bad) {
			return nil, usageError("%s:%d: %s (nothing was written)", f, bad.Line, bad.Message)
		}
		if err != nil {
			return nil, usageError("%v (nothing was written)", err)
		}
		out = append(out, imported{f, name, data, result.Source, result.Findings, result})
	}
	return out, nil
}

// waiveLintFindings runs cfn-lint, when it is installed, once over what
// every stack renders, and imports again each stack it has findings on,
// with a waiver for each: the new repository passes formwork validate (and
// make test) as the templates are deployed.
func waiveLintFindings(stderr io.Writer, results []imported, opts importer.Options) error {
	exe, err := exec.LookPath("cfn-lint")
	if err != nil {
		fmt.Fprintln(stderr, "cfn-lint is not on PATH, so no cfn-lint waivers were written: pip install cfn-lint, then formwork validate in the repository")
		return nil
	}
	rendered := make([]golden.Rendered, len(results))
	for i, r := range results {
		body, err := r.result.Rendered()
		if err != nil {
			return usageError("%s: the imported stack does not render: %v (a bug in formwork import: please report it; nothing was written)", r.template, err)
		}
		rendered[i] = golden.Rendered{Stack: templates.Stack{Name: r.stack}, Body: body}
	}
	lint, err := runCfnLint(exe, rendered)
	if err != nil {
		fmt.Fprintf(stderr, "%v, so no cfn-lint waivers were written: run formwork validate in the repository\n", err)
		return nil
	}
	byStack := map[string][]importer.Lint{}
	for _, f := range lint {
		byStack[f.Stack] = append(byStack[f.Stack], importer.Lint{LogicalID: f.LogicalID, Rule: f.Rule, Message: f.Message})
	}
	for i, r := range results {
		if len(byStack[r.stack]) == 0 {
			continue
		}
		opts.Lint = byStack[r.stack]
		again, err := importer.ImportStack(r.template, r.stack, r.data, opts)
		if err != nil {
			return usageError("%v (nothing was written)", err)
		}
		results[i].source, results[i].findings = again.Source, again.Findings
	}
	return nil
}

// repositoryStacks returns REPO/stacks, refusing a directory that is not a
// repository made by formwork init.
func repositoryStacks(repo string) (string, error) {
	dir := filepath.Join(repo, "stacks")
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return "", usageError("%s has no stacks/ directory: --into names a repository made by formwork init (run formwork init %s first)", repo, repo)
	}
	return dir, nil
}

// registeredName finds the Name of a templates.Stack literal.
var registeredName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`Stack\{[^{}]*?\bName:\s*"([^"]+)"`) })

// writeImported writes every stack file, refusing any whose file or name
// the repository has already.
func writeImported(c *cli.Context, dir string, results []imported) error {
	if err := writeImportedWith(c, dir, results); err != nil {
		return err
	}
	repo := filepath.Dir(dir)
	fmt.Fprintf(c.App.ErrWriter, "next: cd %s && make golden, then formwork diff --base %s --head golden/%s.yaml --exit-code\n",
		repo, results[0].template, results[0].stack)
	return nil
}

// writeImportedWith writes every stack file and the extra files, or none.
func writeImportedWith(c *cli.Context, dir string, results []imported, extra ...outFile) error {
	stackFiles, funcFiles, err := declaredIn(dir)
	if err != nil {
		return err
	}
	files := make([]outFile, len(results))
	for i, r := range results {
		path := filepath.Join(dir, goFileName(r.stack))
		if _, err := os.Stat(path); err == nil {
			return usageError("%s exists already: stack %q is in the repository; delete the file or rename %s (nothing was written)", path, r.stack, r.template)
		}
		if file, ok := stackFiles[r.stack]; ok {
			return usageError("%s registers a stack named %q already: rename %s (nothing was written)", file, r.stack, r.template)
		}
		for _, fn := range []string{importer.FuncName(r.stack), importer.StackFunc(r.stack)} {
			if file, ok := funcFiles[fn]; ok {
				return usageError("%s declares func %s already, which stack %q would declare too: rename %s (nothing was written)", file, fn, r.stack, r.template)
			}
			funcFiles[fn] = "the import of " + r.template
		}
		files[i] = outFile{path, r.source}
	}
	list, err := listImported(dir, results)
	if err != nil {
		return err
	}
	files = append(files, list)
	for _, e := range extra {
		if err := os.MkdirAll(filepath.Dir(e.path), 0o755); err != nil {
			return usageError("cannot make %s: %v (nothing was written)", filepath.Dir(e.path), rootCause(err))
		}
	}
	if err := notInterrupted(c.Context); err != nil {
		return err
	}
	if err := writeAll(append(files, extra...)); err != nil {
		return usageError("cannot write %v: check the permissions of %s (nothing was written)", err, dir)
	}
	for i, r := range results {
		fmt.Fprintf(c.App.ErrWriter, "wrote %s (stack %s from %s: %s)\n", files[i].path, r.stack, r.template, escapeHatches(r.source))
	}
	return nil
}

// listImported is the repository's stacks.go with the imported stacks
// added to the list its All returns.
func listImported(dir string, results []imported) (outFile, error) {
	path := filepath.Join(dir, scaffold.StacksFile)
	src, err := os.ReadFile(path)
	if err != nil {
		return outFile{}, usageError("cannot read %s: %v: --into names a repository made by formwork init (nothing was written)", path, rootCause(err))
	}
	calls := make([]string, len(results))
	for i, r := range results {
		calls[i] = importer.StackFunc(r.stack) + "()"
	}
	out, err := scaffold.AddStacks(src, calls...)
	if err != nil {
		return outFile{}, usageError("%s: %v (nothing was written)", path, err)
	}
	return outFile{path, out}, nil
}

// goFileName is a stack's file in stacks/.
func goFileName(stack string) string { return stack + ".go" }

// declaredIn reads the stack names and functions the repository's Go files
// declare, each with its file.
func declaredIn(dir string) (stacks, funcs map[string]string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, usageError("cannot read %s: %v", dir, rootCause(err))
	}
	stacks, funcs = map[string]string{}, map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, usageError("cannot read %s: %v", path, rootCause(err))
		}
		for _, m := range registeredName().FindAllSubmatch(data, -1) {
			stacks[string(m[1])] = path
		}
		for _, m := range declaredFunc().FindAllSubmatch(data, -1) {
			funcs[string(m[1])] = path
		}
	}
	return stacks, funcs, nil
}

// declaredFunc finds the functions a file declares.
var declaredFunc = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^func (\w+)\(`) })

// escapeHatches says how much of a stack needed an escape hatch, so the
// reader knows where to look first.
func escapeHatches(source []byte) string {
	count := func(call string) int { return bytes.Count(source, []byte("\tt."+call+"(")) }
	parts := []string{plural(count("Resource"), "resource")}
	for _, h := range []struct{ call, noun string }{{"Override", "override"}, {"Waive", "waiver"}} {
		if n := count(h.call); n > 0 {
			parts = append(parts, plural(n, h.noun))
		}
	}
	if n := bytes.Count(source, []byte("&templates.Untyped{")); n > 0 {
		parts = append(parts, fmt.Sprintf("%d untyped", n))
	}
	return strings.Join(parts, ", ")
}
