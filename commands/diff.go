package commands

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/internal/diff"
	"github.com/formwork-dev/formwork/internal/diff/report"
	"github.com/formwork-dev/formwork/internal/parallel"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
	"github.com/urfave/cli/v2"
)

// diffCommand is formwork diff.
func diffCommand() *cli.Command {
	return &cli.Command{
		Name:  "diff",
		Usage: "semantic diff between templates in --base DIR and the current render",
		UsageText: "formwork diff --base DIR [STACK...] [--format text|markdown|json] [--exit-code] [--fail-on broadening]\n" +
			"   formwork diff --base DIR --head DIR [NAME...]   compare two directories of templates\n" +
			"   formwork diff --base FILE --head FILE           compare two template files\n" +
			"   formwork diff --base stack:NAME [STACK]          compare with the deployed stack NAME\n\n" +
			"Reports, per stack: resources added, removed and modified (property paths, old -> new),\n" +
			"which changes replace a resource (yes, no: in place, with any interruption named, maybe:\n" +
			"with what decides it, unknown), replaced or removed resources holding data and whether the\n" +
			"data the service uses survives (a replacement never protects it: UpdateReplacePolicy Retain\n" +
			"keeps the old resource, the service moves to an empty one), likely renames, IAM statements\n" +
			"added and removed (wildcards flagged, Fn::If branches marked with their condition; grants\n" +
			"that only follow a rename are no change), security exposure (security groups open to the\n" +
			"internet or widened, public access blocks loosened, API Gateway methods and routes anyone\n" +
			"can call, public function URLs, resource policies, trust policies and invoke permissions\n" +
			"granting any principal or another account or losing their condition), parameters, outputs\n" +
			"and template size.\n" +
			"A stack with no file in --base is new; with no stack named, a base file with no stack is a\n" +
			"removed stack. Base files are DIR/<stack>.yaml (.yml, .json or .template), any CloudFormation\n" +
			"template. Two files are compared as the stack named after the base file.\n" +
			"With --base stack:NAME the base is the template CloudFormation stack NAME runs now\n" +
			"(GetTemplate); STACK defaults to NAME. With --env ENV, stack: alone means the stack\n" +
			"name the environment gives STACK.\n\n" +
			"Exit status: 0 (also with differences, unless asked), 1 differences with --exit-code,\n" +
			"2 bad usage or unreadable templates, 3 a change widens access with --fail-on broadening\n" +
			"(3 wins over 1).\n\n" +
			"Examples:\n" +
			"   git worktree add ../base origin/main && formwork diff --base ../base/golden\n" +
			"   formwork diff --base ../base/golden hexo-site --format markdown > diff.md\n" +
			"   formwork diff --base old/ --head new/ --exit-code\n" +
			"   formwork diff --base ../base/golden --fail-on broadening   # CI: exit 3 when access widens\n" +
			"   formwork diff --base v1.json --head v2.yaml --format json\n" +
			"   formwork diff --base stack:mesh-monitor access-point-monitor --region eu-central-1\n" +
			"   formwork diff --base stack: --env prod access-point-monitor --exit-code",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "base", Usage: "directory of base templates, e.g. golden/ at the PR's base, or one template file (`DIR`)"},
			&cli.StringFlag{Name: "head", Usage: "compare with the templates in `DIR` (or one template file) instead of rendering the stacks"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "report format: text, markdown (a PR comment) or json"},
			&cli.BoolFlag{Name: "exit-code", Usage: "exit 1 when there are differences, 0 when there are none (like git diff)"},
			envFlag, environmentsFlag, regionFlag, profileFlag, timeoutFlag,
			&cli.StringFlag{Name: "fail-on", Usage: "exit 3 when the diff has `WHAT`; broadening: a change grants access (IAM or exposure) the base did not"},
		},
		Action: diffStacks,
	}
}

func diffStacks(c *cli.Context) error {
	format, err := report.ParseFormat(c.String("format"))
	if err != nil {
		return usageError("%s: %v", flagLabel(c, "format"), err)
	}
	if failOn := c.String("fail-on"); failOn != "" && failOn != "broadening" {
		return usageError("unknown --fail-on %q: use --fail-on broadening", failOn)
	}
	if c.String("base") == "" {
		return usageError("diff needs --base DIR, the templates to compare with (e.g. golden/ checked out at the PR's base)")
	}
	var pairs []pair
	if name, ok := strings.CutPrefix(c.String("base"), "stack:"); ok {
		p, err := deployedPair(c, name)
		if err != nil {
			return err
		}
		return writeDiffs(c, format, []pair{p})
	}
	base, err := templateFiles(c.String("base"), "--base")
	if err != nil {
		return err
	}
	if filePair(c.String("base"), c.String("head")) {
		pairs, err = singlePair(c.String("base"), c.String("head"), c.Args().Slice())
	} else if dir := c.String("head"); dir != "" {
		pairs, err = directoryPairs(base, dir, c.Args().Slice())
	} else {
		names := c.Args().Slice()
		if len(names) == 0 && isFile(c.String("base")) {
			names = sortedNames(base) // one base file: compare that stack only
		}
		pairs, err = renderedPairs(c, base, names)
	}
	if err != nil {
		return err
	}
	return writeDiffs(c, format, pairs)
}

// writeDiffs diffs each pair and writes the report.
func writeDiffs(c *cli.Context, format report.Format, pairs []pair) error {
	diffs := make([]diff.StackDiff, len(pairs))
	errs := make([]error, len(pairs))
	parallel.ForEach(len(pairs), func(i int) { // each stack's diff is its own: one per processor
		diffs[i], errs[i] = diff.DiffTemplates(pairs[i].name, pairs[i].base, pairs[i].head)
	})
	for _, err := range errs {
		if err != nil {
			return usageError("%v", err)
		}
	}
	r := diff.NewReport(diffs)
	if err := (report.Diff{Report: r}).Write(c.App.Writer, format); err != nil {
		return err
	}
	if c.String("fail-on") == "broadening" && r.Broadens() {
		return exitError{exitBroadens, fmt.Sprintf("%s widening access (--fail-on broadening): review the IAM and Exposure sections", plural(r.Summary.Broadening, "change"))}
	}
	if c.Bool("exit-code") && r.HasDifferences() {
		return exitError{exitFindings, ""}
	}
	return nil
}

// deployedPair pairs the render of one stack with the template the
// CloudFormation stack name runs now.
func deployedPair(c *cli.Context, name string) (pair, error) {
	args := c.Args().Slice()
	if len(args) > 1 {
		return pair{}, usageError("--base stack:%s compares one stack: name at most one (got %s)", name, strings.Join(args, " "))
	}
	stackArg := name
	if len(args) == 1 {
		stackArg = args[0]
	}
	if stackArg == "" {
		return pair{}, usageError("--base stack: needs a name, stack:NAME, or --env ENV and the stack to compare")
	}
	s, err := lookupStack(c, stackArg)
	if err != nil && len(args) == 0 {
		return pair{}, usageError("no formwork stack is called %s: name the one to compare, formwork diff --base stack:%s STACK", name, name)
	}
	if err != nil {
		return pair{}, err
	}
	body, err := s.Render(templates.YAML, ruleSet(c))
	if err != nil {
		return pair{}, renderFailed(c.App.ErrWriter, err)
	}
	tgt := target{stack: s, stackName: name, region: c.String("region")}
	if c.String("env") != "" {
		tree, err := s.Template().Tree()
		if err != nil {
			return pair{}, renderFailed(c.App.ErrWriter, err)
		}
		if tgt, err = resolveTarget(c, s, tree); err != nil {
			return pair{}, err
		}
		if name != "" {
			tgt.stackName = name
		}
	}
	client, err := connect(c, tgt)
	if err != nil {
		return pair{}, err
	}
	deployed, err := client.DeployedTemplate(c.Context, tgt.stackName)
	if err != nil {
		return pair{}, usageError("%v", err)
	}
	return pair{s.Name, deployed, body}, nil
}

// pair is one stack's base and head template bodies; nil is "none".
type pair struct {
	name       string
	base, head []byte
}

// renderedPairs renders the named stacks (default: all) and pairs each with
// its base file. With no names, base files of stacks that no longer exist
// are reported as removed stacks.
func renderedPairs(c *cli.Context, base map[string]string, names []string) ([]pair, error) {
	stderr := c.App.ErrWriter
	list, err := selectStacks(c, names)
	if err != nil {
		return nil, err
	}
	rendered, err := golden.RenderAll(list, templates.YAML, ruleSet(c))
	if err != nil {
		lines := strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")
		for _, l := range lines {
			fmt.Fprintln(stderr, l)
		}
		return nil, usageError("cannot render the current stacks (%s): fix the stack definition, then run formwork diff again", plural(len(lines), "problem"))
	}
	var pairs []pair
	current := map[string]bool{}
	for _, r := range rendered {
		current[r.Stack.Name] = true
		body, err := readOptional(base[r.Stack.Name])
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, pair{r.Stack.Name, body, r.Body})
	}
	if len(names) > 0 {
		return pairs, nil
	}
	for _, name := range sortedNames(base) {
		if !current[name] {
			body, err := readOptional(base[name])
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, pair{name, body, nil})
		}
	}
	return pairs, nil
}

// directoryPairs pairs the templates of two directories by name.
func directoryPairs(base map[string]string, headDir string, names []string) ([]pair, error) {
	head, err := templateFiles(headDir, "--head")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		names = sortedNames(base, head)
	}
	var pairs []pair
	for _, name := range names {
		if base[name] == "" && head[name] == "" {
			return nil, usageError("no template named %s in --base or --head: pass a name of a file there, without extension", name)
		}
		b, err := readOptional(base[name])
		if err != nil {
			return nil, err
		}
		h, err := readOptional(head[name])
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, pair{name, b, h})
	}
	return pairs, nil
}

// filePair reports whether --base and --head are two template files.
func filePair(base, head string) bool { return isFile(base) && isFile(head) }

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}

// singlePair compares two template files, named after the base file: the
// stack as it is deployed.
func singlePair(base, head string, names []string) ([]pair, error) {
	if len(names) > 0 {
		return nil, usageError("--base and --head are files: name no stack (got %s)", strings.Join(names, " "))
	}
	b, err := readOptional(base)
	if err != nil {
		return nil, err
	}
	h, err := readOptional(head)
	if err != nil {
		return nil, err
	}
	return []pair{{templateName(base), b, h}}, nil
}

func templateName(path string) string {
	name := filepath.Base(path)
	for _, ext := range templateExtensions {
		if n, found := strings.CutSuffix(name, ext); found {
			return n
		}
	}
	return name
}

// templateExtensions in order of preference when a name has several.
var templateExtensions = []string{".yaml", ".yml", ".json", ".template"}

// templateFiles maps each template name in dir to its path. dir may also be
// one template file.
func templateFiles(dir, flag string) (map[string]string, error) {
	if isFile(dir) {
		return map[string]string{templateName(dir): dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usageError("%s %s: no such directory: check out the base first (see formwork diff --help)", flag, dir)
	}
	if err != nil {
		return nil, usageError("%s %s: %v", flag, dir, rootCause(err))
	}
	files := map[string]string{}
	for _, ext := range templateExtensions {
		for _, e := range entries {
			name, found := strings.CutSuffix(e.Name(), ext)
			if found && !e.IsDir() && files[name] == "" && !strings.HasPrefix(name, ".") {
				files[name] = filepath.Join(dir, e.Name())
			}
		}
	}
	return files, nil
}

func readOptional(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	return readTemplate(path)
}

// sortedNames returns the names of all sets, sorted, each once.
func sortedNames(sets ...map[string]string) []string {
	var out []string
	for _, set := range sets {
		out = slices.AppendSeq(out, maps.Keys(set))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
