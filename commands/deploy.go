package commands

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

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
			"environments/ENV.yaml. With --execute it runs the command. (formwork plan and apply\n" +
			"deploy through reviewed change sets instead.)\n\n" +
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
			envFlag, environmentsFlag, paramFlag, paramsFlag, stackNameFlag, regionFlag, profileFlag,
			s3BucketFlag, s3PrefixFlag,
			goldenFlag,
			&cli.BoolFlag{Name: "execute", Usage: "run the command instead of printing it"},
		},
		Action: deployStack,
	}
}

var stackNamePattern = regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9]{0,127}$`)

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
	path := filepath.Join(c.String("golden"), golden.File(s.Name))
	if err := goldenMatches(path, body); err != nil {
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
	argv := []string{"aws", "cloudformation", "deploy", "--template-file", path, "--stack-name", tgt.stackName}
	if bucket != "" && len(body) > templates.MaxDirectBodyBytes {
		// only a large template goes through the bucket; the code always does
		argv = append(argv, "--s3-bucket", bucket)
	}
	if region != "" {
		argv = append(argv, "--region", region)
	}
	if profile := c.String("profile"); profile != "" {
		argv = append(argv, "--profile", profile)
	}
	if caps := templates.Capabilities(tree); len(caps) > 0 {
		argv = append(append(argv, "--capabilities"), caps...)
	}
	if len(overrides) > 0 {
		argv = append(append(argv, "--parameter-overrides"), overrides...)
	}
	if tags := tgt.sortedTags(); len(tags) > 0 {
		argv = append(append(argv, "--tags"), tags...)
	}
	argv = append(argv, "--no-fail-on-empty-changeset")
	if !c.Bool("execute") {
		fmt.Fprintln(c.App.Writer, shellCommand(argv))
		return nil
	}
	return execute(c, argv)
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
func checkParams(stack string, specs []templates.Parameter, values *paramValues) ([]string, error) {
	return checkParamsPending(stack, specs, values, nil)
}

// checkParamsPending is checkParams for values of which the pending ones
// come later (from formwork package): they are not missing yet.
func checkParamsPending(stack string, specs []templates.Parameter, values *paramValues, pending map[string]bool) ([]string, error) {
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
	var missing, overrides []string
	for _, p := range specs {
		v, given := values.get(p.Name)
		if !given {
			if !p.HasDefault && !pending[p.Name] {
				missing = append(missing, p.Name)
			}
			continue
		}
		if msg := p.Check(v); msg != "" {
			return nil, usageError("%s: %s", stack, msg)
		}
		overrides = append(overrides, p.Name+"="+v)
	}
	if len(missing) > 0 {
		return nil, usageError("%s needs a value for %s (no default): pass --param %s=VALUE or --params FILE (formwork params %s writes one)",
			stack, strings.Join(missing, ", "), missing[0], stack)
	}
	return overrides, nil
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
	have, err := os.ReadFile(path)
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

// execute runs the command with the CLI's output streams.
func execute(c *cli.Context, argv []string) error {
	exe, err := exec.LookPath(argv[0])
	if err != nil {
		return usageError("the aws CLI is not on PATH: install AWS CLI v2, or run without --execute and copy the command")
	}
	fmt.Fprintln(c.App.ErrWriter, "+ "+shellCommand(argv))
	cmd := exec.Command(exe, argv[1:]...)
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
