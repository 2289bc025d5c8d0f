package commands

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/internal/environment"
	"github.com/formwork-dev/formwork/internal/input"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
	"github.com/urfave/cli/v2"
)

// deployCommand is formwork deploy.
func deployCommand() *cli.Command {
	return &cli.Command{
		Name:  "deploy",
		Usage: "print (or run) the aws cloudformation deploy command for a stack",
		UsageText: "formwork deploy STACK [--env ENV] [--param K=V...] [--params FILE] [--stack-name N] [--s3-bucket B] [--execute]\n\n" +
			"Prints the exact aws cloudformation deploy command for golden/<stack>.yaml: the\n" +
			"capabilities the template needs, the parameter overrides, --s3-bucket when the\n" +
			"template is over 51,200 bytes. Unknown or missing parameters are errors before\n" +
			"anything runs. With --env ENV the stack name, region, parameters and tags come from\n" +
			"environments/ENV.yaml. With --execute it runs the command; when a NoEcho value is\n" +
			"among the parameters, aws reads them all from its standard input\n" +
			"(--parameter-overrides file:///dev/stdin), never from its command line. (formwork\n" +
			"plan and apply deploy through reviewed change sets instead.)\n\n" +
			"A stack with Lambda code (formwork package) is packaged first, also without\n" +
			"--execute, so the printed command is ready to run: its code is built, uploaded to\n" +
			"--s3-bucket when missing there, and its bucket and key are passed as parameters.\n" +
			"Pass the key parameter yourself (--param CodeKey=...) to deploy an object you\n" +
			"uploaded.\n\n" +
			"Examples:\n" +
			"   formwork params STACK > params.json   # fill in the values, then:\n" +
			"   formwork deploy STACK --params params.json\n" +
			"   formwork deploy STACK --params params.json --param Schedule='rate(1 day)' --stack-name nightly --execute\n" +
			"   formwork deploy STACK --params params.json --s3-bucket my-code   # packages Lambda code first\n" +
			"   formwork deploy STACK --env prod",
		Flags: []cli.Flag{
			envFlag, environmentsFlag, paramFlag, paramsFlag, stackNameFlag, regionFlag, profileFlag, timeoutFlag,
			s3BucketFlag, s3PrefixFlag,
			goldenFlag,
			&cli.BoolFlag{Name: "execute", Usage: "run the command instead of printing it"},
		},
		Action: deployStack,
	}
}

var stackNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9]{0,127}$`) })

func deployStack(c *cli.Context) error {
	s, err := oneStack(c)
	if err != nil {
		return err
	}
	t := s.Template()
	body, err := templates.Render(t, templates.YAML, ruleSet(c))
	if err != nil {
		return renderFailed(c.App.ErrWriter, err)
	}
	tree, err := t.Tree()
	if err != nil {
		return renderFailed(c.App.ErrWriter, err)
	}
	tgt, err := resolveTarget(c, s, tree)
	if err != nil {
		return err
	}
	if _, err := checkParamsPending(s.Name, templates.Parameters(tree), tgt.values, assetParams(t, tgt.values)); err != nil {
		return err // nothing is built while another value is missing
	}
	if err := withAssets(c, tgt); err != nil {
		return err
	}
	overrides, err := checkParams(s.Name, templates.Parameters(tree), tgt.values)
	if err != nil {
		return err
	}
	dir, err := repoPath(c, "golden")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, golden.File(s.Name))
	if err := goldenMatches(path, body); err != nil {
		warnStaleBinary(c)
		return err
	}
	bucket := c.String("s3-bucket")
	if err := checkDeploySize(s.Name, path, body, bucket); err != nil {
		return err
	}
	region, err := deployRegion(tree, tgt)
	if err != nil {
		return err
	}
	cmd, err := awsDeployCommand(c, deployArgs{path: path, body: body, bucket: bucket, region: region, tree: tree, overrides: overrides, target: tgt})
	if err != nil {
		return err
	}
	if !c.Bool("execute") {
		fmt.Fprintln(c.App.Writer, cmd)
		noteSecrets(c.App.ErrWriter, overrides)
		return nil
	}
	if err := execute(c, cmd); err != nil {
		return err
	}
	tgt.region = region
	client, err := connect(c, tgt)
	if err != nil {
		fmt.Fprintf(c.App.ErrWriter, "formwork: warning: cannot compare %s with its template: %v\n", tgt.stackName, err)
		return nil
	}
	return reportUndeployed(c, client, tgt.stackName, tree)
}

// deployArgs is what the aws cloudformation deploy command is made of.
type deployArgs struct {
	path, bucket, region string
	body                 []byte
	tree                 *templates.Map
	overrides            []override
	target
}

// awsDeployCommand builds the aws cloudformation deploy command line.
func awsDeployCommand(c *cli.Context, d deployArgs) (*awsCommand, error) {
	cmd := newAWSCommand("aws", "cloudformation", "deploy")
	path := d.path
	if strings.HasPrefix(path, "-") {
		path = "./" + path
	}
	add := func(name string, values ...string) error {
		if len(values) == 0 || values[0] == "" {
			return nil
		}
		return cmd.option(name, values...)
	}
	var largeBucket string
	if len(d.body) > templates.MaxDirectBodyBytes {
		largeBucket = d.bucket // only a large template goes through the bucket; the code always does
	}
	for _, o := range []struct {
		name   string
		values []string
	}{
		{"template-file", []string{path}}, {"stack-name", []string{d.stackName}}, {"s3-bucket", []string{largeBucket}},
		{"region", []string{d.region}}, {"profile", []string{c.String("profile")}},
		{"capabilities", templates.Capabilities(d.tree)},
	} {
		if err := add(o.name, o.values...); err != nil {
			return nil, err
		}
	}
	if len(d.overrides) > 0 {
		cmd.parameters(func() {
			for _, o := range d.overrides {
				if o.Secret {
					cmd.secret(o.Name, o.Value, o.Variable)
				} else {
					cmd.argv = append(cmd.argv, o.Name+"="+o.Value)
				}
			}
		})
	}
	if err := add("tags", d.sortedTags()...); err != nil {
		return nil, err
	}
	cmd.flag("no-fail-on-empty-changeset")
	return cmd, nil
}

// noteSecrets says where the printed command reads its NoEcho values from.
func noteSecrets(w io.Writer, overrides []override) {
	for _, o := range overrides {
		if o.Secret {
			fmt.Fprintf(w, "formwork: %s is NoEcho, so the command reads it from $%s rather than print it: export %s before running it\n",
				o.Name, o.Variable, o.Variable)
		}
	}
}

// deployRegion is the region the template pins, else the target's; a
// target in another region than the template allows is refused.
func deployRegion(tree *templates.Map, t target) (string, error) {
	pinned := templates.PinnedRegion(tree)
	if pinned != "" && t.region != "" && t.region != pinned {
		return "", usageError("%s must be deployed in %s (its Rules say so), not %s: change the region of its environment entry", t.stack.Name, pinned, t.region)
	}
	if pinned != "" {
		return pinned, nil
	}
	return t.region, nil
}

// checkParams refuses unknown names, missing required values and values a
// parameter's constraints reject; it returns the overrides as Key=Value in
// the template's order.
func checkParams(stack string, specs []templates.Parameter, values *paramValues) ([]override, error) {
	return checkParamsPending(stack, specs, values, nil)
}

// checkParamsPending is checkParams for values of which the pending ones
// come later (from formwork package): they are not missing yet.
func checkParamsPending(stack string, specs []templates.Parameter, values *paramValues, pending map[string]bool) ([]override, error) {
	known := map[string]templates.Parameter{}
	var names []string
	for _, p := range specs {
		known[p.Name] = p
		names = append(names, p.Name)
	}
	for _, n := range values.names {
		if _, ok := known[n]; ok {
			continue
		}
		if len(names) == 0 {
			return nil, usageError("%s has no parameters, but %s was given: drop it", stack, n)
		}
		if guess := templates.Closest(n, names); guess != "" {
			return nil, usageError("%s has no parameter %q: did you mean %q? (formwork params %s lists them)", stack, n, guess, stack)
		}
		return nil, usageError("%s has no parameter %q: it has %s", stack, n, strings.Join(names, ", "))
	}
	var missing []string
	var overrides []override
	for _, p := range specs {
		v, given := values.get(p.Name)
		if !given {
			if !p.HasDefault && !pending[p.Name] {
				missing = append(missing, p.Name)
			}
			continue
		}
		if msg := checkValue(p, v); msg != "" {
			return nil, usageError("%s: %s", stack, msg)
		}
		overrides = append(overrides, override{Name: p.Name, Value: v, Secret: p.NoEcho, Variable: values.variable(p.Name)})
	}
	if len(missing) > 0 {
		return nil, usageError("%s needs a value for %s (no default): pass --param %s=VALUE or --params FILE (formwork params %s writes one)",
			stack, strings.Join(missing, ", "), missing[0], stack)
	}
	return overrides, nil
}

// override is one parameter value the deployment passes.
type override struct {
	Name, Value string
	Secret      bool   // NoEcho: never printed
	Variable    string // the shell variable a printed command reads a secret from
}

// checkValue is templates.Parameter.Check for a value that may be a
// dynamic reference, which CloudFormation resolves and formwork cannot
// check offline.
func checkValue(p templates.Parameter, v string) string {
	if environment.IsDynamicReference(v) {
		return ""
	}
	return p.Check(v)
}

// assetParams are the parameters packaging will set: the bucket and key of
// each asset whose key was not given.
func assetParams(t *templates.Template, values *paramValues) map[string]bool {
	pending := map[string]bool{}
	for _, a := range t.Assets() {
		if _, given := values.get(a.KeyParameter); !given {
			pending[a.BucketParameter], pending[a.KeyParameter] = true, true
		}
	}
	return pending
}

// goldenMatches makes sure the file aws would deploy is the current render.
func goldenMatches(path string, body []byte) error {
	have, err := input.Read(path, input.TemplateBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return findingsError("%s does not exist: run make golden (or pass --golden DIR)", path)
	case err != nil:
		return usageError("cannot read %s: %v", path, rootCause(err))
	case !bytes.Equal(have, body):
		return findingsError("%s is not the current render of the stack: run make golden, review and commit it, then deploy", path)
	}
	return nil
}

func checkDeploySize(stack, path string, body []byte, bucket string) error {
	tooBig, large := templates.CheckSize(stack, body)
	if len(tooBig) > 0 {
		return findingsError("%s", tooBig[0])
	}
	if len(large) > 0 && bucket == "" {
		return usageError("%s is %d bytes, over the 51,200 bytes aws cloudformation deploy sends inline: pass --s3-bucket BUCKET (or set FORMWORK_S3_BUCKET)", path, len(body))
	}
	return nil
}

// execute runs the command with the CLI's output streams and echoes it.
// A command with a NoEcho value gets its parameter overrides on its
// standard input, so that no secret is in its command line.
func execute(c *cli.Context, cmdline *awsCommand) error {
	exe, err := exec.LookPath(cmdline.argv[0])
	if err != nil {
		return usageError("the aws CLI is not on PATH: install AWS CLI v2, or run without --execute and copy the command")
	}
	var stdin []byte
	if cmdline.hasSecrets() {
		if onStdin, input, ok := cmdline.withOverridesOnStdin(); ok {
			cmdline, stdin = onStdin, input
			fmt.Fprintln(c.App.ErrWriter, "formwork: the parameter values go to aws on its standard input (a NoEcho value is among them), not on its command line")
		}
	}
	fmt.Fprintln(c.App.ErrWriter, "+ "+cmdline.String())
	argv := cmdline.argv
	cmd := exec.CommandContext(c.Context, exe, argv[1:]...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // aws cleans up after itself
	cmd.Stdout, cmd.Stderr = c.App.Writer, c.App.ErrWriter
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return findingsError("aws cloudformation deploy failed (exit status %d): see its output above", exitErr.ExitCode())
		}
		return findingsError("cannot run aws: %v", err)
	}
	return nil
}
