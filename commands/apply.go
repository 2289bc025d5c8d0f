package commands

import (
	"fmt"
	"time"

	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// applyCommand is formwork apply.
func applyCommand() *cli.Command {
	return &cli.Command{
		Name:  "apply",
		Usage: "execute the change set formwork plan --keep made, and follow the stack's events",
		UsageText: "formwork apply STACK --env ENV [--change-set NAME]\n" +
			"   formwork apply STACK --stack-name NAME [--region R] [--change-set NAME]\n\n" +
			"Executes exactly the change set that formwork plan --keep made (default name:\n" +
			"formwork-<short sha> of the current commit): its template, parameter values and tags are\n" +
			"the ones reviewed, so apply takes no --param. It refuses (exit 2; plan again) a change set\n" +
			"that was not made from the current render of the stack (the template fingerprint plan\n" +
			"writes into its description), and says which change set it applies. Prints each stack\n" +
			"event as it happens, one a line, then a summary, and names what the template declares\n" +
			"that the stack did not get. Exit status: 0 done, 1 the deployment failed or rolled back\n" +
			"(the first failed resource and its reason are named), 2 error.\n\n" +
			"Examples:\n" +
			"   formwork plan access-point-monitor --env prod --keep\n" +
			"   formwork apply access-point-monitor --env prod\n" +
			"   formwork apply access-point-monitor --env prod --change-set formwork-1a2b3c4",
		Flags:  []cli.Flag{envFlag, environmentsFlag, stackNameFlag, regionFlag, profileFlag, timeoutFlag, changeSetFlag},
		Action: applyChangeSet,
	}
}

// reviewed is the current render of a stack and where its change set is:
// all apply needs, since the change set holds the parameter values and tags.
type reviewed struct {
	target
	body []byte
	tree *templates.Map
}

func prepareApply(c *cli.Context) (reviewed, error) {
	s, err := oneStack(c)
	if err != nil {
		return reviewed{}, err
	}
	t := s.Template()
	body, err := templates.Render(t, templates.YAML, ruleSet(c))
	if err != nil {
		return reviewed{}, renderFailed(c.App.ErrWriter, err)
	}
	tree, err := t.Tree()
	if err != nil {
		return reviewed{}, renderFailed(c.App.ErrWriter, err)
	}
	tgt, err := resolveTarget(c, s, tree)
	if err != nil {
		return reviewed{}, err
	}
	return reviewed{target: tgt, body: body, tree: tree}, nil
}

func applyChangeSet(c *cli.Context) error {
	r, err := prepareApply(c)
	if err != nil {
		return err
	}
	name, _, err := changeSetName(c)
	if err != nil {
		return err
	}
	client, err := connect(c, r.target)
	if err != nil {
		return err
	}
	ctx, out := c.Context, c.App.Writer
	cs, err := client.DescribeChangeSet(ctx, r.stackName, name)
	if err != nil {
		return usageError("%v", err)
	}
	if err := executable(cs, r.body); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "formwork: executing change set %s (%s) on stack %s in %s...\n",
		name, changeSetSummary(cs), r.stackName, client.Region)
	start := time.Now()
	outcome, err := client.ExecuteAndWatch(ctx, r.stackName, name, func(e cloud.Event) {
		fmt.Fprintln(out, eventLine(e))
	})
	if err != nil && ctx.Err() != nil && !outcome.Started {
		return exitError{exitInterrupted, fmt.Sprintf("interrupted before change set %s was executed: nothing changed, and it stays for formwork apply", name)}
	}
	if err != nil && ctx.Err() != nil {
		return exitError{exitInterrupted, fmt.Sprintf("interrupted: CloudFormation goes on executing change set %s (formwork stops following, it cannot undo a deployment halfway): "+
			"follow it with aws cloudformation describe-stack-events --stack-name %s --region %s; to stop it, aws cloudformation cancel-update-stack --stack-name %s --region %s (an update) rolls it back",
			name, r.stackName, client.Region, r.stackName, client.Region)}
	}
	if err != nil {
		return usageError("%v", err)
	}
	if outcome.LostAnswer != "" {
		fmt.Fprintf(c.App.ErrWriter, "formwork: ExecuteChangeSet answered %q, but the stack shows that the execution had started: the events above are its own\n",
			oneLine(outcome.LostAnswer))
	}
	took := time.Since(start).Round(time.Second)
	if !outcome.Succeeded() {
		f := outcome.FirstFailure
		if f == nil {
			return findingsError("%s: %s after %s; no resource reported a failure: see the stack's events", r.stackName, outcome.Status, took)
		}
		return findingsError("%s: %s after %s; first failure: %s (%s): %s", r.stackName, outcome.Status, took, f.LogicalID, f.Type, oneLine(f.Reason))
	}
	fmt.Fprintf(out, "%s: %s in %s (%s, change set %s)\n", r.stackName, outcome.Status, took, plural(outcome.Events, "event"), name)
	return reportUndeployed(c, client, r.stackName, r.tree)
}

// changeSetSummary says what a change set applies: who made it from what,
// and how many values it carries.
func changeSetSummary(cs cloud.ChangeSet) string {
	made := "formwork plan"
	if m := madeByRE().FindStringSubmatch(cs.Description); m != nil {
		made = m[1]
	}
	return fmt.Sprintf("%s, template %s, with its %s and %s", made, short(fingerprintOf(cs.Description)),
		plural(len(cs.Parameters), "parameter value"), plural(len(cs.Tags), "tag"))
}

// short abbreviates a sha256:<hex> fingerprint as git does a commit.
func short(fp string) string {
	if len(fp) > len("sha256:")+12 {
		return fp[:len("sha256:")+12]
	}
	return fp
}

// executable refuses a change set that is not a plan of the current render.
func executable(cs cloud.ChangeSet, body []byte) error {
	if cs.NoChanges() {
		return usageError("change set %s changes nothing: there is nothing to apply", cs.Name)
	}
	if cs.Failed() {
		return usageError("change set %s failed: %s: fix it and run formwork plan --keep again", cs.Name, oneLine(cs.StatusReason))
	}
	if cs.ExecutionStatus != "AVAILABLE" {
		return usageError("change set %s cannot be executed (%s, %s): run formwork plan --keep again", cs.Name, cs.Status, cs.ExecutionStatus)
	}
	have := fingerprintOf(cs.Description)
	if have == "" {
		return usageError("change set %s was not made by this formwork's plan (its description has no template fingerprint): run formwork plan --keep", cs.Name)
	}
	if have != fingerprint(body) {
		return usageError("change set %s was made from another render of the stack than the current one: run formwork plan --keep again and review it", cs.Name)
	}
	return nil
}

// eventLine is one stack event as apply prints it.
func eventLine(e cloud.Event) string {
	line := fmt.Sprintf("%s  %-45s %-32s %s", e.Time.UTC().Format("15:04:05"), e.Status, e.LogicalID, e.Type)
	if e.Reason != "" {
		line += "  " + oneLine(e.Reason)
	}
	return line
}
