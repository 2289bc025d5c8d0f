package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/formwork-dev/formwork/internal/environment"
	"github.com/formwork-dev/formwork/internal/parallel"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// envCommand is formwork env.
func envCommand() *cli.Command {
	return &cli.Command{
		Name:  "env",
		Usage: "work with the environment files in environments/ (export for CodePipeline)",
		UsageText: "formwork env export ENV [--out DIR] [--package]\n\n" +
			"An environment is environments/ENV.yaml: per stack the account, region, stack name,\n" +
			"parameter values and tags it is deployed with. formwork validate checks every stack of\n" +
			"every environment offline; plan, apply, deploy and params take --env ENV.\n\n" +
			"  account: \"123456789012\"\n" +
			"  region: eu-central-1\n" +
			"  tags: {environment: prod}\n" +
			"  stacks:\n" +
			"    access-point-monitor:\n" +
			"      stackName: mesh-monitor        # default: <stack>-<env>\n" +
			"      parameters:\n" +
			"        NodesApiUrl: https://map.example.net/meshviewer.json\n\n" +
			"A stack's packaged Lambda code needs only its bucket here (CodeBucket): plan, deploy and\n" +
			"package build and upload the code and fill in its key (CodeKey); a key given here pins a build.\n\n" +
			"export writes DIR/<stack>.json for each stack of the environment, in CodePipeline's\n" +
			"template configuration format {\"Parameters\": {...}, \"Tags\": {...}}, which the\n" +
			"templates-pipeline stack's deploy actions read (Source::deploy/<stack>.json).\n\n" +
			"Examples:\n" +
			"   formwork env export prod                 # deploy/<stack>.json\n" +
			"   formwork env export staging --out build/staging\n" +
			"   formwork env export prod --package       # uploads Lambda code, writes CodeKey",
		BashComplete: func(*cli.Context) {},
		Subcommands: []*cli.Command{{
			Name:  "export",
			Usage: "write DIR/<stack>.json template configuration files for CodePipeline",
			UsageText: "formwork env export ENV [--out DIR] [--package]\n\n" +
				"A stack with packaged Lambda code needs its key (CodeKey) in the file, and\n" +
				"CodePipeline runs no formwork to fill it: --package builds the code, uploads it to\n" +
				"the bucket the environment names (CodeBucket) when missing there, and writes the\n" +
				"key; a key the environment pins is written as it is.",
			Flags: []cli.Flag{
				environmentsFlag,
				&cli.StringFlag{Name: "out", Value: "deploy", Usage: "`DIR` to write <stack>.json to"},
				&cli.BoolFlag{Name: "package", Usage: "build and upload each stack's Lambda code and write its key (needs AWS credentials)"},
				s3PrefixFlag, regionFlag, profileFlag, timeoutFlag,
			},
			Action: exportEnvironment,
		}},
	}
}

func exportEnvironment(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError("env export takes one environment name, got %d arguments: e.g. formwork env export prod", c.NArg())
	}
	dir, err := repoPath(c, "environments")
	if err != nil {
		return err
	}
	env, err := environment.Open(dir, c.Args().First())
	if err != nil {
		return usageError("%v", err)
	}
	list := environmentTemplates(c, env)
	if findings := env.Check(list); len(findings) > 0 {
		for _, f := range findings {
			fmt.Fprintln(c.App.ErrWriter, f)
		}
		return usageError("%s has %s: fix them, then export (formwork validate lists them too)", env.Path, plural(len(findings), "problem"))
	}
	if err := exportable(env, list); err != nil {
		return err
	}
	keys, err := exportedKeys(c, env, dir, list)
	if err != nil {
		return err
	}
	out := c.String("out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return usageError("--out %s: %v", out, rootCause(err))
	}
	var files []outFile
	for _, s := range env.Stacks {
		files = append(files, outFile{filepath.Join(out, s.Name+".json"), s.TemplateConfiguration(keys[s.Name])})
	}
	if err := notInterrupted(c.Context); err != nil {
		return err
	}
	if err := writeAll(files); err != nil {
		return usageError("%v", err)
	}
	fmt.Fprintf(c.App.ErrWriter, "formwork: wrote %s to %s\n", plural(len(files), "template configuration"), out)
	return nil
}

// exportedKeys are the keys of the packaged code of the environment's
// stacks, by stack: CodePipeline runs no formwork, so a template
// configuration must name the code's key. list (environmentTemplates) says
// which parameters are such keys. With --package each stack's code is
// built and uploaded to its bucket (as plan --env does) and its key
// written; without it, a stack whose key the environment does not pin is
// refused, naming the flag.
func exportedKeys(c *cli.Context, env *environment.Environment, dir string, list []environment.Template) (map[string]map[string]string, error) {
	filled := map[string][]string{}
	for _, t := range list {
		filled[t.Stack] = t.Filled
	}
	keys := map[string]map[string]string{}
	for _, entry := range env.Stacks {
		missing := unpinned(filled[entry.Name], entry)
		if len(missing) == 0 {
			continue
		}
		if !c.Bool("package") {
			return nil, usageError("%s: %s: the code's key (%s) is formwork's to fill: pass --package to build and upload the code (AWS credentials needed) and write its key, or pin a key under parameters",
				env.Path, entry.Name, strings.Join(missing, ", "))
		}
		values, err := packageEntry(c, env, dir, entry)
		if err != nil {
			return nil, err
		}
		keys[entry.Name] = map[string]string{}
		for _, k := range missing {
			keys[entry.Name][k] = values[k]
		}
	}
	return keys, nil
}

// unpinned are the key parameters the entry does not give. (The bucket
// parameter has no default: the environment's own check asks for it.)
func unpinned(keys []string, entry environment.Stack) []string {
	given := entry.ParameterMap()
	var out []string
	for _, k := range keys {
		if _, ok := given[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// packageEntry builds and uploads the code of the environment's entry and
// returns the parameter values that point at it.
func packageEntry(c *cli.Context, env *environment.Environment, dir string, entry environment.Stack) (map[string]string, error) {
	s, err := lookupStack(c, entry.Name)
	if err != nil {
		return nil, err
	}
	tree, err := s.Template().Tree()
	if err != nil {
		return nil, renderFailed(c.App.ErrWriter, err)
	}
	t := target{stack: s, stackName: s.Name, values: &paramValues{}, tags: map[string]string{}}
	if err := t.fromEnvironment(dir, env.Name, tree, &paramValues{}); err != nil {
		return nil, err
	}
	return packageAssets(c, t)
}

// environmentTemplates is what environments are checked against: every
// stack the CLI serves, with the parameters of those the environments
// deploy (built concurrently; a stack no environment names is not built).
// A stack that does not render is left out: its findings are reported by
// the stack's own checks.
func environmentTemplates(c *cli.Context, envs ...*environment.Environment) []environment.Template {
	named := map[string]bool{}
	for _, env := range envs {
		for _, s := range env.Stacks {
			named[s.Name] = true
		}
	}
	list := catalog(c)
	out := make([]environment.Template, len(list))
	ok := make([]bool, len(list))
	parallel.ForEach(len(list), func(i int) {
		s := list[i]
		if !named[s.Name] {
			out[i], ok[i] = environment.Template{Stack: s.Name}, true
			return
		}
		t := s.Template()
		if tree, err := t.Tree(); err == nil {
			out[i], ok[i] = environmentTemplate(s.Name, t, tree), true
		}
	})
	kept := out[:0]
	for i, t := range out {
		if ok[i] {
			kept = append(kept, t)
		}
	}
	return kept
}

// environmentTemplate is what an environment entry of the stack is checked
// against: its parameters, of which formwork fills each packaged asset's key.
func environmentTemplate(stack string, t *templates.Template, tree *templates.Map) environment.Template {
	var filled []string
	for _, a := range t.Assets() {
		filled = append(filled, a.KeyParameter)
	}
	return environment.Template{Stack: stack, Parameters: templates.Parameters(tree), Filled: filled}
}

// exportable refuses what a template configuration file must not hold: a
// value read from the process environment (CodePipeline has none to read),
// and the written value of a NoEcho parameter (the file would hold the
// secret). A {{resolve:...}} dynamic reference is how both are written.
func exportable(env *environment.Environment, list []environment.Template) error {
	secret := map[string]map[string]bool{}
	for _, t := range list {
		secret[t.Stack] = map[string]bool{}
		for _, p := range t.Parameters {
			secret[t.Stack][p.Name] = p.NoEcho
		}
	}
	for _, s := range env.Stacks {
		for _, v := range s.Parameters {
			switch {
			case v.Variable != "":
				return usageError("%s:%d: %s: parameter %s is ${env:%s}, which CodePipeline cannot read: use an SSM parameter type or a {{resolve:...}} dynamic reference",
					env.Path, v.Line, s.Name, v.Key, v.Variable)
			case secret[s.Name][v.Key] && !environment.IsDynamicReference(v.Value):
				return usageError("%s:%d: %s: parameter %s is NoEcho, and a template configuration file would hold its value: write it as {{resolve:secretsmanager:NAME}} or {{resolve:ssm-secure:NAME}}",
					env.Path, v.Line, s.Name, v.Key)
			}
		}
	}
	return nil
}
