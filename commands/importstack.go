package commands

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/environment"
	"github.com/formwork-dev/formwork/internal/importer"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"
)

// deployedReadTimeout bounds reading a deployed stack: its description and
// its template, each one call.
const deployedReadTimeout = time.Minute

// importDeployed imports the stack CloudFormation runs as name: its
// original template (before transforms) becomes REPO/stacks/<stack>.go, its
// parameter values and tags an entry of REPO/environments/<env>.yaml, so
// that formwork plan right after shows no change.
func importDeployed(c *cli.Context, name, stacksDir string) error {
	if !stackNamePattern().MatchString(name) {
		return usageError("stack:%s: a stack name is a letter then up to 127 letters, digits and dashes", name)
	}
	env := c.String("env")
	client, err := connect(c, target{region: c.String("region")})
	if err != nil {
		return err
	}
	if env == "" {
		env = client.Region // an environment per region, named after it
	}
	st, body, err := readDeployed(c.Context, client, name)
	if err != nil {
		return err
	}
	stack := importer.StackName(strings.TrimSuffix(name, "-"+env))
	result, err := importer.ImportStack("stack:"+name, stack, body, importOptions(c))
	if err != nil {
		return usageError("the template of stack %s: %v (nothing was written)", name, err)
	}
	results := []imported{{"stack:" + name, stack, body, result.Source, result.Findings, result}}
	if err := waiveLintFindings(c.App.ErrWriter, results, importOptions(c)); err != nil {
		return err
	}
	for _, f := range results[0].findings {
		fmt.Fprintf(c.App.ErrWriter, "stack:%s: %s\n", name, f)
	}
	repo := filepath.Dir(stacksDir)
	envDir := filepath.Join(repo, "environments")
	params, secret := deployedParameters(st, body)
	entry := envEntry{stack: stack, stackName: name, env: env, region: client.Region, params: params, tags: st.Tags}
	if client.CallerAccount != nil {
		ctx, cancel := context.WithTimeout(c.Context, deployedReadTimeout)
		entry.account, _ = client.CallerAccount(ctx) // without it, the entry names no account
		cancel()
	}
	envPath, envData, err := entry.addTo(envDir)
	if err != nil {
		return err
	}
	if err := writeImportedWith(c, stacksDir, results, outFile{envPath, envData}); err != nil {
		return err
	}
	for _, p := range secret {
		fmt.Fprintf(c.App.ErrWriter, "parameter %s is NoEcho: CloudFormation does not return its value, so %s does not hold it: "+
			"give it to plan with --param %s=..., or refer to a secret (see formwork help environments)\n", p, envPath, p)
	}
	fmt.Fprintf(c.App.ErrWriter, "wrote %s (stack %s: stack name %s, %s)\nnext: cd %s && make golden, then formwork plan %s --env %s shows no change\n",
		envPath, stack, name, plural(len(params), "parameter value"), repo, stack, env)
	return nil
}

// readDeployed reads the stack's description and original template, each
// call with a deadline.
func readDeployed(ctx context.Context, client *cloud.Client, name string) (*cloud.Stack, []byte, error) {
	call, cancel := context.WithTimeout(ctx, deployedReadTimeout)
	defer cancel()
	st, err := client.DescribeStack(call, name)
	if err == nil && (st == nil || !st.Exists()) {
		err = fmt.Errorf("stack %s does not exist in %s: check the name and the region (aws cloudformation list-stacks)", name, client.Region)
	}
	if err != nil {
		return nil, nil, usageError("%v", timedOut(err, call, "describe stack "+name, client.Region))
	}
	body, err := client.DeployedTemplate(call, name)
	if err != nil {
		return nil, nil, usageError("%v", timedOut(err, call, "read the template of stack "+name, client.Region))
	}
	return st, body, nil
}

// timedOut says which call ran out of time, and what to try.
func timedOut(err error, ctx context.Context, what, region string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s in %s took longer than %s: check the network, the region and AWS_ENDPOINT_URL, then try again", what, region, deployedReadTimeout)
	}
	return err
}

// deployedParameters are the stack's parameter values, in the template's
// order, without the NoEcho ones, whose values CloudFormation masks
// (returned as their names in secret).
func deployedParameters(st *cloud.Stack, body []byte) (values []environment.Value, secret []string) {
	tree, err := templates.Parse(body)
	if err != nil {
		return nil, nil // the import has parsed it already
	}
	declared := templates.Section(tree, "Parameters")
	for _, k := range declared.Keys() {
		v, ok := st.Parameters[k]
		if !ok {
			continue
		}
		if p := templates.AsMap(declared.Value(k)); p.Value("NoEcho") == true || p.Value("NoEcho") == "true" {
			secret = append(secret, k)
			continue
		}
		values = append(values, environment.Value{Key: k, Value: v})
	}
	return values, secret
}

// envEntry is a stack's entry of an environment file.
type envEntry struct {
	stack, stackName, env, region, account string
	params                                 []environment.Value
	tags                                   map[string]string
}

// addTo returns the environment file with the entry added: a new file, or
// the existing one with the entry appended under stacks:. An environment
// that has the stack already is refused.
func (e envEntry) addTo(dir string) (path string, data []byte, err error) {
	path = filepath.Join(dir, e.env+".yaml")
	old, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return path, e.newFile(), nil
	}
	if err != nil {
		return "", nil, usageError("cannot read %s: %v", path, rootCause(err))
	}
	parsed, err := environment.Load(path)
	if err != nil {
		return "", nil, usageError("%v: fix it, then import again (nothing was written)", err)
	}
	if _, ok := parsed.Stack(e.stack); ok {
		return "", nil, usageError("%s has an entry for stack %s already: remove it, or import under another --env (nothing was written)", path, e.stack)
	}
	data, err = e.appendTo(old)
	if err != nil {
		return "", nil, usageError("cannot add stack %s to %s: %v (nothing was written)", e.stack, path, err)
	}
	return path, data, nil
}

// newFile is an environment file holding the entry.
func (e envEntry) newFile() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# environments/%s.yaml: written by formwork import stack:%s\n", e.env, e.stackName)
	if e.account != "" {
		fmt.Fprintf(&b, "account: %s\n", strconv.Quote(e.account))
	}
	fmt.Fprintf(&b, "region: %s\nstacks:\n", e.region)
	b.WriteString(e.lines("  "))
	return []byte(b.String())
}

// lines is the entry as YAML, indented; every value is quoted, so it is
// read as the text CloudFormation returned.
func (e envEntry) lines(indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s:\n", indent, e.stack)
	if e.stackName != e.stack+"-"+e.env {
		fmt.Fprintf(&b, "%s  stackName: %s\n", indent, e.stackName)
	}
	if len(e.params) > 0 {
		fmt.Fprintf(&b, "%s  parameters:\n", indent)
		for _, p := range e.params {
			fmt.Fprintf(&b, "%s    %s: %s\n", indent, p.Key, strconv.Quote(p.Value))
		}
	}
	if len(e.tags) > 0 {
		fmt.Fprintf(&b, "%s  tags:\n", indent)
		for _, k := range slices.Sorted(maps.Keys(e.tags)) {
			fmt.Fprintf(&b, "%s    %s: %s\n", indent, strconv.Quote(k), strconv.Quote(e.tags[k]))
		}
	}
	return b.String()
}

// appendTo adds the entry to an existing file's stacks: mapping, through
// its YAML nodes, so its comments stay.
func (e envEntry) appendTo(old []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(old, &doc); err != nil {
		return nil, err
	}
	var entry yaml.Node
	if err := yaml.Unmarshal([]byte(e.lines("")), &entry); err != nil {
		return nil, err
	}
	root := doc.Content[0]
	stacks := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	found := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "stacks" {
			continue
		}
		found = true
		if root.Content[i+1].Kind == yaml.MappingNode {
			stacks = root.Content[i+1]
		} else { // stacks: with nothing under it
			root.Content[i+1] = stacks
		}
	}
	if !found {
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "stacks"}, stacks)
	}
	stacks.Style = 0
	stacks.Content = append(stacks.Content, entry.Content[0].Content...)
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}
