package cli

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

func init() {
	commands = append(commands, &cli.Command{
		Name:  "deploy",
		Usage: "print (or run) the aws cloudformation deploy command for a stack",
		UsageText: "formwork deploy STACK [--param K=V...] [--params FILE] [--stack-name N] [--s3-bucket B] [--execute]\n\n" +
			"Prints the exact aws cloudformation deploy command for golden/<stack>.yaml: the\n" +
			"capabilities the template needs, the parameter overrides, --s3-bucket when the\n" +
			"template is over 51,200 bytes. Unknown or missing parameters are errors before\n" +
			"anything runs. With --execute it runs the command.\n\n" +
			"Examples:\n" +
			"   formwork deploy codebuild-cron --param Schedule='rate(1 day)'\n" +
			"   formwork params hexo-site > hexo.json   # fill it in, then:\n" +
			"   formwork deploy hexo-site --params hexo.json --stack-name blog --execute",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "param", KeepSpace: true, Usage: "set parameter `KEY=VALUE` (repeat for more; wins over --params)"},
			&cli.StringFlag{Name: "params", Usage: "read parameter values from JSON `FILE` (formwork params STACK writes one)"},
			&cli.StringFlag{Name: "stack-name", Usage: "CloudFormation stack `NAME` (default: the formwork stack name)"},
			&cli.StringFlag{Name: "s3-bucket", Usage: "`BUCKET` to upload the template to (required over 51,200 bytes)", EnvVars: []string{"FORMWORK_S3_BUCKET"}},
			goldenFlag,
			&cli.BoolFlag{Name: "execute", Usage: "run the command instead of printing it"},
		},
		Action: deployStack,
	})
}

var stackNamePattern = regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9]{0,127}$`)

func deployStack(c *cli.Context) error {
	s, err := oneStack(c)
	if err != nil {
		return err
	}
	values, err := deployParams(c)
	if err != nil {
		return err
	}
	stackName := c.String("stack-name")
	if stackName == "" {
		stackName = s.Name
	}
	if !stackNamePattern.MatchString(stackName) {
		return usageError("--stack-name %q: a stack name is a letter then up to 127 letters, digits and dashes", stackName)
	}
	t := s.Template()
	body, err := templates.Render(t, templates.YAML)
	if err != nil {
		return renderFailed(c.App.ErrWriter, err)
	}
	tree, err := t.Tree()
	if err != nil {
		return renderFailed(c.App.ErrWriter, err)
	}
	overrides, err := checkParams(s.Name, templateParams(tree), values)
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
	argv := []string{"aws", "cloudformation", "deploy", "--template-file", path, "--stack-name", stackName}
	if bucket != "" {
		argv = append(argv, "--s3-bucket", bucket)
	}
	if region := templates.PinnedRegion(tree); region != "" {
		argv = append(argv, "--region", region)
	}
	if caps := templates.Capabilities(tree); len(caps) > 0 {
		argv = append(append(argv, "--capabilities"), caps...)
	}
	if len(overrides) > 0 {
		argv = append(append(argv, "--parameter-overrides"), overrides...)
	}
	argv = append(argv, "--no-fail-on-empty-changeset")
	if !c.Bool("execute") {
		fmt.Fprintln(c.App.Writer, shellCommand(argv))
		return nil
	}
	return execute(c, argv)
}

// deployParams merges --params FILE and --param K=V, the flags winning.
func deployParams(c *cli.Context) (*paramValues, error) {
	values := &paramValues{}
	if file := c.String("params"); file != "" {
		if err := readParamsFile(file, values); err != nil {
			return nil, err
		}
	}
	if err := parseParamFlags(c.StringSlice("param"), values); err != nil {
		return nil, err
	}
	return values, nil
}

// checkParams refuses unknown names, missing required values and values a
// parameter's constraints reject; it returns the overrides as Key=Value in
// the template's order.
func checkParams(stack string, specs []paramSpec, values *paramValues) ([]string, error) {
	known := map[string]paramSpec{}
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
		v, given := values.values[p.Name]
		if !given {
			if !p.HasDefault {
				missing = append(missing, p.Name)
			}
			continue
		}
		if msg := p.checkValue(v); msg != "" {
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
