package commands

import (
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/formwork-dev/formwork/internal/assets"
	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/environment"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// Flags of the commands that deploy a stack somewhere.
var (
	envFlag = &cli.StringFlag{Name: "env", Usage: "deploy as environments/`NAME`.yaml says (stack name, account, region, parameters, tags)",
		EnvVars: []string{"FORMWORK_ENV"}}
	environmentsFlag = &cli.StringFlag{Name: "environments", Value: "environments", Usage: "`DIR` holding the environment files, <env>.yaml each",
		EnvVars: []string{"FORMWORK_ENVIRONMENTS"}}
	paramFlag     = &cli.StringSliceFlag{Name: "param", KeepSpace: true, Usage: "set parameter `KEY=VALUE` (repeat for more; wins over --params and --env)"}
	paramsFlag    = &cli.StringFlag{Name: "params", Usage: "read parameter values from JSON `FILE` (formwork params STACK writes one); wins over --env"}
	stackNameFlag = &cli.StringFlag{Name: "stack-name", Usage: "CloudFormation stack `NAME` (default: the environment's, else the formwork stack name)"}
	regionFlag    = &cli.StringFlag{Name: "region", Usage: "AWS `REGION` (default: the environment's, then AWS_REGION and the profile's)"}
	profileFlag   = &cli.StringFlag{Name: "profile", Usage: "AWS shared-config `PROFILE` (default: AWS_PROFILE, then the default chain)"}
	timeoutFlag   = &cli.DurationFlag{Name: "timeout", Usage: "give up on an AWS call that has no answer after `DURATION`, retries included (default: FORMWORK_AWS_TIMEOUT, else 60s)"}
)

// awsTimeout is the deadline of each AWS call: --timeout, else
// FORMWORK_AWS_TIMEOUT, else cloud.DefaultCallTimeout.
func awsTimeout(c *cli.Context) (time.Duration, error) {
	d, err := cloud.CallTimeout(c.Duration("timeout"))
	if err != nil {
		return 0, usageError("%v", err)
	}
	return d, nil
}

// target is one stack's deployment: where, and with what.
type target struct {
	stack     templates.Stack
	env       string // "" without --env
	stackName string
	account   string // "" = any
	region    string // "" = the AWS configuration's
	tags      map[string]string
	values    *paramValues
}

// resolveTarget reads --env, --params, --param, --stack-name and --region,
// in that order of precedence (the last wins). An environment entry with
// problems is refused with its file:line.
func resolveTarget(c *cli.Context, s templates.Stack, tree *templates.Map) (target, error) {
	t := target{stack: s, stackName: s.Name, values: &paramValues{}, tags: map[string]string{}}
	given := &paramValues{} // --params, then --param over it
	if file := c.String("params"); file != "" {
		if err := readParamsFile(file, given); err != nil {
			return t, err
		}
	}
	if err := parseParamFlags(c.StringSlice("param"), given); err != nil {
		return t, err
	}
	if name := c.String("env"); name != "" {
		if err := t.fromEnvironment(c.String("environments"), name, tree, given); err != nil {
			return t, err
		}
	}
	for _, n := range given.names {
		t.values.set(n, given.values[n])
	}
	if n := c.String("stack-name"); n != "" {
		t.stackName = n
	}
	if !stackNamePattern().MatchString(t.stackName) {
		return t, usageError("--stack-name %q: a stack name is a letter then up to 127 letters, digits and dashes", t.stackName)
	}
	if r := c.String("region"); r != "" {
		t.region = r
	}
	return t, nil
}

// fromEnvironment reads the stack's entry of the environment. Values given
// on the command line win over the file's: a parameter the file lacks is
// not missing when given, and the file's value of one given is not used.
func (t *target) fromEnvironment(dir, name string, tree *templates.Map, given *paramValues) error {
	env, err := environment.Open(dir, name)
	if err != nil {
		return usageError("--env %s: %v", name, err)
	}
	entry, ok := env.Stack(t.stack.Name)
	if !ok {
		return usageError("%s has no entry for stack %s: add it under stacks: (it has %s)", env.Path, t.stack.Name, orNone(env.StackNames()))
	}
	entry.Parameters = slices.DeleteFunc(slices.Clone(entry.Parameters), func(v environment.Value) bool {
		_, ok := given.get(v.Key)
		return ok
	})
	specs := templates.Parameters(tree)
	for i, p := range specs {
		if _, ok := given.get(p.Name); ok {
			specs[i].HasDefault = true // given: not missing
		}
	}
	one := &environment.Environment{Name: env.Name, Path: env.Path, Stacks: []environment.Stack{entry}}
	if findings := one.Check([]environment.Template{{Stack: t.stack.Name, Parameters: specs}}); len(findings) > 0 {
		return usageError("%s", findings[0])
	}
	if err := env.Resolve(&entry, os.LookupEnv); err != nil {
		return usageError("%v", err)
	}
	t.env, t.stackName, t.account, t.region = name, entry.StackName, entry.Account, entry.Region
	t.tags = entry.TagMap()
	for _, v := range entry.Parameters {
		if v.Variable != "" {
			t.values.setFrom(v.Key, v.Value, v.Variable)
		} else {
			t.values.set(v.Key, v.Value)
		}
	}
	return nil
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// sortedTags returns the tags as Key=Value in key order.
func (t target) sortedTags() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(t.tags)) {
		out = append(out, k+"="+t.tags[k])
	}
	return out
}

// newCloud makes the CloudFormation client; tests replace it.
var newCloud = func(ctx context.Context, o cloud.Options) (*cloud.Client, error) { return cloud.New(ctx, o) }

// connect opens the client for the target and checks the account.
func connect(c *cli.Context, t target) (*cloud.Client, error) {
	timeout, err := awsTimeout(c)
	if err != nil {
		return nil, err
	}
	client, err := newCloud(c.Context, cloud.Options{Region: t.region, Profile: c.String("profile"), Timeout: timeout})
	if err != nil {
		return nil, usageError("%v", err)
	}
	if err := client.CheckAccount(c.Context, t.account); err != nil {
		return nil, usageError("%v", err)
	}
	return client, nil
}

// packageAssets builds and uploads the stack's assets (Lambda code zips) to
// --s3-bucket, unless their key parameters were given, and returns the
// parameter values that point at them.
func packageAssets(c *cli.Context, t target) (map[string]string, error) {
	timeout, err := awsTimeout(c)
	if err != nil {
		return nil, err
	}
	params, err := assets.Package(c.Context, t.stack, assets.Options{
		Bucket: c.String("s3-bucket"), Prefix: c.String("s3-prefix"), Given: t.values.values,
		RequireUpload: true, Log: c.App.ErrWriter, Region: t.region, Profile: c.String("profile"), Timeout: timeout,
	})
	if err != nil {
		return nil, packageFailed(err)
	}
	return params, nil
}

// withAssets applies packageAssets to the target's values.
func withAssets(c *cli.Context, t target) error {
	extra, err := packageAssets(c, t)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		t.values.set(k, extra[k])
	}
	return nil
}
