package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/diff"
	"github.com/formwork-dev/formwork/internal/diff/report"
	"github.com/formwork-dev/formwork/internal/plan"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// planCommand is formwork plan.
func planCommand() *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "make a CloudFormation change set for a stack and report what it would change",
		UsageText: "formwork plan STACK --env ENV [--format text|markdown|json] [--keep] [--change-set NAME]\n" +
			"   formwork plan STACK --stack-name NAME [--param K=V...] [--region R]\n\n" +
			"Renders the stack, creates a change set named after the commit (formwork-<short sha>),\n" +
			"waits for CloudFormation to compute it, and reports each resource change with\n" +
			"CloudFormation's Replacement verdict (True, Conditional, False) and its causes, next to\n" +
			"formwork's own prediction from the diff against the deployed template, flagging where\n" +
			"they disagree; then the parameter values that change (a NoEcho value passed again is never\n" +
			"shown as changed: only CloudFormation can read it), and, as formwork diff shows them, the\n" +
			"data at risk (by the worse of the two verdicts), IAM statements and exposure rows. A deployed\n" +
			"stack in an unsettled state (a failed or rolled-back update, an operation running, drift) is\n" +
			"named before anything else.\n" +
			"Markdown is a pull-request comment.\n" +
			"Unless --keep, the change set is deleted afterwards, and so is the empty stack a plan of a\n" +
			"new stack makes. Exit status: 0 no changes, 1 changes, 2 error (also when CloudFormation\n" +
			"rejects the change set).\n\n" +
			"Examples:\n" +
			"   formwork plan access-point-monitor --env prod\n" +
			"   formwork plan access-point-monitor --env prod --format markdown > plan.md\n" +
			"   formwork plan access-point-monitor --env prod --keep   # then formwork apply\n" +
			"   formwork plan access-point-monitor --env prod --keep --role-arn arn:aws:iam::123456789012:role/deployer",
		Flags: []cli.Flag{
			envFlag, environmentsFlag, paramFlag, paramsFlag, stackNameFlag, regionFlag, profileFlag, timeoutFlag,
			changeSetFlag, s3BucketFlag, s3PrefixFlag,
			&cli.StringFlag{Name: "format", Value: "text", Usage: "report `FORMAT`: text, markdown (a PR comment) or json"},
			&cli.BoolFlag{Name: "keep", Usage: "keep the change set (and a new stack's empty stack) for formwork apply"},
			&cli.StringFlag{Name: "role-arn", Usage: "the IAM role `ARN` CloudFormation deploys with (default: the stack's, else your credentials)", EnvVars: []string{"FORMWORK_ROLE_ARN"}},
		},
		Action: planStack,
	}
}

var changeSetFlag = &cli.StringFlag{Name: "change-set", Usage: "change set `NAME` (default: formwork-<git rev-parse --short HEAD>)"}

// deployment is a rendered stack and where it goes: what plan and apply share.
type deployment struct {
	target
	body   []byte
	tree   *templates.Map
	params []cloud.Parameter // the values given, in the template's order
	// secrets are the NoEcho parameters among params: their values are
	// never printed nor fingerprinted.
	secrets []string
}

// prepare renders the stack and resolves its target and parameters,
// packaged assets included.
func prepare(c *cli.Context) (deployment, error) {
	s, err := oneStack(c)
	if err != nil {
		return deployment{}, err
	}
	t := s.Template()
	body, err := templates.Render(t, templates.YAML, ruleSet(c))
	if err != nil {
		return deployment{}, renderFailed(c.App.ErrWriter, err)
	}
	tree, err := t.Tree()
	if err != nil {
		return deployment{}, renderFailed(c.App.ErrWriter, err)
	}
	tgt, err := resolveTarget(c, s, tree)
	if err != nil {
		return deployment{}, err
	}
	if err := withAssets(c, tgt); err != nil {
		return deployment{}, err
	}
	specs := templates.Parameters(tree)
	if _, err := checkParams(s.Name, specs, tgt.values); err != nil {
		return deployment{}, err
	}
	if _, large := templates.CheckSize(s.Name, body); len(large) > 0 {
		return deployment{}, usageError("%s is %d bytes, over the 51,200 bytes a change set takes inline; plan and apply do not upload templates yet: use formwork deploy --s3-bucket", s.Name, len(body))
	}
	d := deployment{target: tgt, body: body, tree: tree}
	for _, p := range specs {
		if v, ok := tgt.values.get(p.Name); ok {
			d.params = append(d.params, cloud.Parameter{Key: p.Name, Value: v})
			if p.NoEcho {
				d.secrets = append(d.secrets, p.Name)
			}
		}
	}
	return d, nil
}

// fingerprint identifies the render a change set is made from: plan writes
// it into the change set's description, apply refuses a change set whose
// fingerprint is not the current render's. The parameter values and tags
// are the change set's own, so they need no fingerprint.
func fingerprint(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

var (
	fingerprintRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`template (sha256:[0-9a-f]{64})`) })
	madeByRE      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(formwork plan of .*?);`) })
)

func fingerprintOf(description string) string {
	if m := fingerprintRE().FindStringSubmatch(description); m != nil {
		return m[1]
	}
	return ""
}

var changeSetNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9]{0,127}$`) })

// changeSetName is --change-set, or formwork-<short commit>.
func changeSetName(c *cli.Context) (name, commit string, err error) {
	commit = gitCommit()
	name = c.String("change-set")
	if name == "" {
		if commit == "" {
			return "", "", usageError("cannot name the change set after the commit (git rev-parse --short HEAD failed): run in a git checkout or pass --change-set NAME")
		}
		name = "formwork-" + commit
	}
	if !changeSetNamePattern().MatchString(name) {
		return "", "", usageError("--change-set %q: a change set name is a letter then up to 127 letters, digits and dashes", name)
	}
	return name, commit, nil
}

func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// roleARNPattern is an IAM role's ARN, in any partition.
var roleARNPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$`)
})

func planStack(c *cli.Context) error {
	format, err := report.ParseFormat(c.String("format"))
	if err != nil {
		return usageError("%v", err)
	}
	if role := c.String("role-arn"); role != "" && !roleARNPattern().MatchString(role) {
		return usageError("--role-arn %q is not an IAM role ARN: write arn:aws:iam::ACCOUNT:role/NAME", role)
	}
	d, err := prepare(c)
	if err != nil {
		return err
	}
	name, commit, err := changeSetName(c)
	if err != nil {
		return err
	}
	client, err := connect(c, d.target)
	if err != nil {
		return err
	}
	ctx, stderr := c.Context, c.App.ErrWriter
	d.region = client.Region // the report says where, wherever the region came from
	stack, err := client.DescribeStack(ctx, d.stackName)
	if err != nil {
		return usageError("%v", err)
	}
	var deployed []byte
	var deployedParams map[string]string
	if stack.Exists() {
		if deployed, err = client.DeployedTemplate(ctx, d.stackName); err != nil {
			return usageError("%v", err)
		}
		deployedParams = stack.Parameters
	}
	warning := ""
	if stack.Exists() {
		warning = plan.StateWarning(d.stackName, stack.Status, stack.StatusReason, stack.DriftStatus)
	}
	fmt.Fprintf(stderr, "formwork: creating change set %s for stack %s in %s...\n", name, d.stackName, client.Region)
	cs, err := client.CreateChangeSet(ctx, cloud.ChangeSetRequest{
		Stack: d.stackName, Name: name, Body: d.body, Parameters: d.params, Tags: d.tags,
		Capabilities: templates.Capabilities(d.tree), Create: !stack.Exists(), RoleARN: c.String("role-arn"),
		Description: fmt.Sprintf("formwork plan of %s at %s; template %s", d.stack.Name, orUnknown(commit), fingerprint(d.body)),
	})
	if err != nil {
		if warning != "" {
			err = fmt.Errorf("%v; first: %s", err, warning)
		}
		return abandon(ctx, client, d.stackName, name, usageError("%v", err)) // leave nothing half made behind
	}
	planned, err := d.report(cs, deployed, deployedParams, stack.Exists(), c.Bool("keep"), warning)
	if err != nil {
		return abandon(ctx, client, d.stackName, name, err)
	}
	if !planned.Kept { // before the report is written: a closed stdout must not leave the change set behind
		if err := abandon(ctx, client, d.stackName, name, nil); err != nil {
			if planned.Status != plan.NoChanges || ctx.Err() != nil {
				return err
			}
			// an empty change set left behind changes nothing: the plan stands
			fmt.Fprintln(stderr, "formwork: warning: "+err.Error())
		}
	}
	if err := planned.Write(c.App.Writer, format); err != nil {
		return err
	}
	switch planned.Status {
	case plan.Failed:
		return usageError("CloudFormation rejected change set %s: %s", name, oneLine(planned.Reason))
	case plan.Changes:
		return exitError{exitFindings, ""}
	}
	return nil
}

// cleanupTime bounds the undoing of what a run made, after an interruption.
const cleanupTime = 2 * time.Minute

// abandon deletes the change set (and the empty stack a plan of a new stack
// made) and returns failure, nil when failure is nil and all went well.
// When ctx was cancelled (SIGINT or SIGTERM), it still cleans up, within
// cleanupTime, and says what was undone, or exactly what remains and how to
// remove it.
func abandon(ctx context.Context, client *cloud.Client, stack, name string, failure error) error {
	cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTime)
	defer cancel()
	err := client.Abandon(cleanup, stack, name)
	switch {
	case err != nil:
		return exitError{exitCodeOf(ctx, exitUsage), fmt.Sprintf("%schange set %s of stack %s in %s remains (%v): delete it with aws cloudformation delete-change-set --stack-name %s --change-set-name %s --region %s, and, if the stack is REVIEW_IN_PROGRESS (a plan of a new stack), aws cloudformation delete-stack --stack-name %s --region %s",
			interruptedPrefix(ctx), name, stack, client.Region, err, stack, name, client.Region, stack, client.Region)}
	case ctx.Err() != nil:
		return exitError{exitInterrupted, fmt.Sprintf("interrupted: change set %s deleted (and stack %s, had the plan created it): nothing remains in %s", name, stack, client.Region)}
	}
	return failure
}

func interruptedPrefix(ctx context.Context) string {
	if ctx.Err() != nil {
		return "interrupted: "
	}
	return ""
}

func exitCodeOf(ctx context.Context, otherwise int) int {
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return otherwise
}

// report merges the change set with formwork's prediction.
func (d deployment) report(cs cloud.ChangeSet, deployed []byte, deployedParams map[string]string, exists, keep bool, warning string) (plan.Report, error) {
	specs := templates.Parameters(d.tree)
	planned := map[string]string{}
	for _, p := range d.params {
		planned[p.Key] = p.Value
	}
	params := plan.ParameterChanges(specs, deployedParams, planned)
	var changed []string
	for _, p := range params {
		if p.Change == diff.Modify {
			changed = append(changed, p.Name)
		}
	}
	predicted, err := diff.DiffDeployment(d.stack.Name, deployed, d.body, changed, plan.Unreadable(specs, deployedParams, planned))
	if err != nil {
		return plan.Report{}, usageError("cannot compare with the deployed template of %s: %v", d.stackName, err)
	}
	r := plan.New(plan.Report{Stack: d.stack.Name, StackName: d.stackName, Environment: d.env, Region: d.region,
		NewStack: !exists, Warning: warning}, cs, predicted, params, d.tree)
	r.Kept = keep && r.HasChanges()
	return r, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown commit"
	}
	return s
}
