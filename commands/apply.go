package commands

import (
	"fmt"
	"time"

	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/urfave/cli/v2"
)

// applyCommand is formwork apply.
func applyCommand() *cli.Command {
	return &cli.Command{
		Name:  "apply",
		Usage: "execute the change set formwork plan --keep made, and follow the stack's events",
		UsageText: "formwork apply STACK --env ENV [--change-set NAME]\n\n" +
			"Executes exactly the change set that formwork plan --keep made (default name:\n" +
			"formwork-<short sha> of the current commit), after checking that it was made from the\n" +
			"current render with the current parameter values and tags: any other change set is\n" +
			"refused (exit 2; plan again). Prints each stack event as it happens, one a line, then a\n" +
			"summary. Exit status: 0 done, 1 the deployment failed or rolled back (the first failed\n" +
			"resource and its reason are named), 2 error.\n\n" +
			"Examples:\n" +
			"   formwork plan access-point-monitor --env prod --keep\n" +
			"   formwork apply access-point-monitor --env prod\n" +
			"   formwork apply access-point-monitor --env prod --change-set formwork-1a2b3c4",
		Flags:  []cli.Flag{envFlag, environmentsFlag, paramFlag, paramsFlag, stackNameFlag, regionFlag, profileFlag, timeoutFlag, changeSetFlag, s3BucketFlag, s3PrefixFlag},
		Action: applyChangeSet,
	}
}

func applyChangeSet(c *cli.Context) error {
	d, err := prepare(c)
	if err != nil {
		return err
	}
	name, _, err := changeSetName(c)
	if err != nil {
		return err
	}
	client, err := connect(c, d.target)
	if err != nil {
		return err
	}
	ctx, out := c.Context, c.App.Writer
	cs, err := client.DescribeChangeSet(ctx, d.stackName, name)
	if err != nil {
		return usageError("%v", err)
	}
	if err := executable(cs, d); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "formwork: executing change set %s on stack %s in %s...\n", name, d.stackName, client.Region)
	start := time.Now()
	outcome, err := client.ExecuteAndWatch(ctx, d.stackName, name, func(e cloud.Event) {
		fmt.Fprintln(out, eventLine(e))
	})
	if err != nil && ctx.Err() != nil && !outcome.Started {
		return exitError{exitInterrupted, fmt.Sprintf("interrupted before change set %s was executed: nothing changed, and it stays for formwork apply", name)}
	}
	if err != nil && ctx.Err() != nil {
		return exitError{exitInterrupted, fmt.Sprintf("interrupted: CloudFormation goes on executing change set %s (formwork stops following, it cannot undo a deployment halfway): "+
			"follow it with aws cloudformation describe-stack-events --stack-name %s --region %s; to stop it, aws cloudformation cancel-update-stack --stack-name %s --region %s (an update) rolls it back",
			name, d.stackName, client.Region, d.stackName, client.Region)}
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
			return findingsError("%s: %s after %s; no resource reported a failure: see the stack's events", d.stackName, outcome.Status, took)
		}
		return findingsError("%s: %s after %s; first failure: %s (%s): %s", d.stackName, outcome.Status, took, f.LogicalID, f.Type, oneLine(f.Reason))
	}
	fmt.Fprintf(out, "%s: %s in %s (%s, change set %s)\n", d.stackName, outcome.Status, took, plural(outcome.Events, "event"), name)
	return nil
}

// executable refuses a change set that is not the current plan.
func executable(cs cloud.ChangeSet, d deployment) error {
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
		return usageError("change set %s was not made by formwork plan (its description has no render fingerprint): run formwork plan --keep", cs.Name)
	}
	if have != d.fingerprint() {
		return usageError("change set %s was made from another render or other parameter values or tags than the current ones: run formwork plan --keep again and review it", cs.Name)
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
