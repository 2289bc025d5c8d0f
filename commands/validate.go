package commands

import (
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/formwork-dev/formwork/internal/environment"
	"github.com/formwork-dev/formwork/internal/parallel"
	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
	"github.com/urfave/cli/v2"
)

// validateCommand is formwork validate.
func validateCommand() *cli.Command {
	return &cli.Command{
		Name:  "validate",
		Usage: "run the generation-time checks, and cfn-lint when it is installed",
		UsageText: "formwork validate [STACK...] [--no-cfn-lint]\n" +
			"   formwork validate [STACK...] --waivers   list the stacks' waived security findings\n" +
			"   formwork validate --rules                list the security rules\n\n" +
			"Checks every named stack (default: all): dangling references, unknown GetAtt\n" +
			"attributes, logical ids, CloudFormation's limits, wiring rules and the security\n" +
			"rules (--rules lists them); then runs cfn-lint over the rendered templates if\n" +
			"cfn-lint is on PATH. Prints one finding a line,\n" +
			"stack: LogicalId: Properties.Path: message [rule], and exits 1 if there is any.\n" +
			"Then checks every environment in environments/ offline against the stacks' parameter\n" +
			"constraints (type, AllowedValues, AllowedPattern, lengths, bounds, required values),\n" +
			"file:line: message.\n\n" +
			"A stack accepts a rule's finding on one resource with a reason, in Go:\n" +
			"   t.Waive(\"LogBucket\", \"bucket_acls_disabled\", \"CloudFront standard logging writes through ACLs\")\n\n" +
			"Examples:\n" +
			"   formwork validate\n" +
			"   formwork validate hexo-site service-discovery --no-cfn-lint\n" +
			"   formwork validate --waivers",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "no-cfn-lint", Usage: "skip cfn-lint even when it is installed", EnvVars: []string{"FORMWORK_NO_CFN_LINT"}},
			environmentsFlag,
			&cli.BoolFlag{Name: "waivers", Usage: "list each waiver (stack: LogicalId: rule: reason) instead of validating"},
			&cli.BoolFlag{Name: "rules", Usage: "list the security rules (id: what it requires; why) instead of validating"},
		},
		Action: validateStacks,
	}
}

func validateStacks(c *cli.Context) error {
	if c.Bool("rules") {
		if c.Args().Len() > 0 || c.Bool("waivers") {
			return usageError("--rules takes no stack and no --waivers: run formwork validate --rules")
		}
		return listRules(c.App.Writer, ruleSet(c))
	}
	list, err := selectStacks(c, c.Args().Slice())
	if err != nil {
		return err
	}
	if c.Bool("waivers") {
		return listWaivers(c.App.Writer, c.App.ErrWriter, list)
	}
	out, stderr := c.App.Writer, c.App.ErrWriter
	var findings []string
	var rendered []golden.Rendered
	results := make([]validated, len(list))
	rules := ruleSet(c)
	parallel.ForEach(len(list), func(i int) { results[i] = validateStack(list[i], rules) })
	for i, r := range results {
		findings = append(findings, r.errs...)
		for _, w := range r.warnings {
			fmt.Fprintln(out, "warning: "+w)
		}
		if r.body != nil {
			rendered = append(rendered, golden.Rendered{Stack: list[i], Body: r.body})
		}
	}
	linted := "cfn-lint skipped: --no-cfn-lint"
	if !c.Bool("no-cfn-lint") {
		lint, note, err := lintIfInstalled(rendered)
		if err != nil {
			return findingsError("%v: fix cfn-lint or pass --no-cfn-lint", err)
		}
		findings = append(findings, lint...)
		linted = note
	}
	envFindings, envs, err := environmentFindings(c, false)
	if err != nil {
		return err
	}
	findings = append(findings, envFindings...)
	if envs > 0 {
		linted += ", " + plural(envs, "environment") + " checked"
	}
	for _, f := range findings {
		fmt.Fprintln(out, f)
	}
	if len(findings) > 0 {
		return findingsError("%s in %s (%s)", plural(len(findings), "finding"), plural(len(list), "stack"), linted)
	}
	fmt.Fprintf(stderr, "formwork: %s valid (%s)\n", plural(len(list), "stack"), linted)
	return nil
}

// environmentFindings checks every environment file against the stacks;
// namesOnly keeps the findings about unknown stacks and parameters.
// Outside a repository there are no environment files to check: it says
// so in one line, and the stacks' own checks stand.
func environmentFindings(c *cli.Context, namesOnly bool) (findings []string, envs int, err error) {
	dir, err := repoPath(c, "environments")
	if err != nil {
		fmt.Fprintf(c.App.ErrWriter, "formwork: warning: environments not checked: %v\n", err)
		return nil, 0, nil
	}
	list, err := environment.LoadAll(dir)
	if err != nil {
		return nil, 0, usageError("%v", err)
	}
	templates := environmentTemplates(c, list...)
	for _, env := range list {
		for _, f := range env.Check(templates) {
			if f.Name || !namesOnly {
				findings = append(findings, f.String())
			}
		}
	}
	return findings, len(list), nil
}

// validated is one stack's validation: its body, nil when it has findings.
type validated struct {
	body           []byte
	errs, warnings []string
}

// validateStack renders one stack with every generation-time check.
func validateStack(s templates.Stack, rules templates.Rules) validated {
	body, err := s.Render(templates.YAML, rules)
	if err != nil {
		return validated{errs: strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")}
	}
	// Render already refuses a body over 1 MB; what is left is the warning
	// about bodies too large to deploy without --s3-bucket.
	v := validated{body: body}
	_, large := templates.CheckSize(s.Name, body)
	for _, f := range large {
		v.warnings = append(v.warnings, f.String())
	}
	return v
}

// lintIfInstalled runs cfn-lint when it is on PATH; note says what was done.
func lintIfInstalled(rendered []golden.Rendered) (findings []string, note string, err error) {
	exe, lookErr := exec.LookPath("cfn-lint")
	if lookErr != nil {
		return nil, "cfn-lint is not on PATH, so it was skipped: pip install cfn-lint", nil
	}
	lint, err := runCfnLint(exe, rendered)
	if err != nil {
		return nil, "", err
	}
	for _, f := range waiveLint(rendered, lint) {
		findings = append(findings, f.String())
	}
	return findings, fmt.Sprintf("cfn-lint checked %s", plural(len(rendered), "template")), nil
}

// listRules prints every declared rule: id, what it requires, and why.
func listRules(out io.Writer, rules templates.Rules) error {
	for _, r := range rules.Sorted() {
		fmt.Fprintf(out, "%s: %s; why: %s\n", r.ID, r.Summary, r.Why)
	}
	return nil
}

// listWaivers prints every waiver of the stacks, one a line.
func listWaivers(out, stderr io.Writer, list []templates.Stack) error {
	n := 0
	for _, s := range list {
		for _, w := range s.Template().Waivers() {
			fmt.Fprintln(out, w)
			n++
		}
	}
	fmt.Fprintf(stderr, "formwork: %s in %s\n", plural(n, "waiver"), plural(len(list), "stack"))
	return nil
}
