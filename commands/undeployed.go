package commands

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// Undeployed is what a template declares that a stack does not hold after
// a successful deployment: an emulator such as moto skips the types it
// does not implement and still reports CREATE_COMPLETE. Resources and
// outputs with a Condition are left out: they may be absent on purpose.
type Undeployed struct {
	Resources, Outputs []string
	Declared, Checked  int // resources the template declares, and those checked
}

// undeployed compares the stack's resources and outputs with the template's.
func undeployed(tree *templates.Map, resources []string, outputs map[string]string) Undeployed {
	var u Undeployed
	for _, r := range templates.Resources(tree) {
		u.Declared++
		if _, conditional := r.Body.Get("Condition"); conditional {
			continue
		}
		u.Checked++
		if !slices.Contains(resources, r.ID) {
			u.Resources = append(u.Resources, r.ID+" ("+r.Type+")")
		}
	}
	section := templates.Section(tree, "Outputs")
	for _, id := range section.Keys() {
		if _, conditional := templates.AsMap(section.Value(id)).Get("Condition"); conditional {
			continue
		}
		if _, ok := outputs[id]; !ok {
			u.Outputs = append(u.Outputs, id)
		}
	}
	return u
}

// reportUndeployed names, after a deployment that succeeded, what the
// template declares and the stack lacks, one line each after the summary.
// The deployment is done either way (exit 0): CloudFormation itself never
// leaves a resource out; these lines are for an emulator that does.
func reportUndeployed(c *cli.Context, client *cloud.Client, stack string, tree *templates.Map) error {
	u, err := readUndeployed(c.Context, client, stack, tree)
	if err != nil {
		fmt.Fprintf(c.App.ErrWriter, "formwork: warning: cannot compare %s with its template: %v\n", stack, err)
		return nil
	}
	u.report(c.App.Writer, stack)
	return nil
}

func readUndeployed(ctx context.Context, client *cloud.Client, stack string, tree *templates.Map) (Undeployed, error) {
	st, err := client.DescribeStack(ctx, stack)
	if err != nil {
		return Undeployed{}, err
	}
	if st == nil {
		return Undeployed{}, fmt.Errorf("stack %s is gone", stack)
	}
	ids, err := client.Resources(ctx, stack)
	if err != nil {
		return Undeployed{}, err
	}
	return undeployed(tree, ids, st.Outputs), nil
}

func (u Undeployed) report(out io.Writer, stack string) {
	if len(u.Resources) > 0 {
		fmt.Fprintf(out, "%s lacks %d of the %d resources its template declares (an emulator skips the types it does not implement): %s\n",
			stack, len(u.Resources), u.Checked, strings.Join(u.Resources, ", "))
	}
	if len(u.Outputs) > 0 {
		fmt.Fprintf(out, "%s lacks %s its template declares: %s\n", stack, plural(len(u.Outputs), "output"), strings.Join(u.Outputs, ", "))
	}
}
