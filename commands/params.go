package commands

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/formwork-dev/formwork/templates"
	"github.com/urfave/cli/v2"
)

// paramsCommand is formwork params.
func paramsCommand() *cli.Command {
	return &cli.Command{
		Name:  "params",
		Usage: "print a parameters file skeleton for a stack (JSON, with defaults and descriptions)",
		UsageText: "formwork params STACK [--env ENV]\n\n" +
			"Prints {\"Parameters\": {...}, \"Descriptions\": {...}}: every parameter in the order the\n" +
			"stack declares it, set to its default (\"\" when it has none and must be filled in).\n" +
			"Both formwork deploy --params FILE and aws cloudformation deploy\n" +
			"--parameter-overrides file://FILE read it; they ignore \"Descriptions\".\n" +
			"With --env ENV the values are those environments/ENV.yaml gives (then the defaults).\n\n" +
			"Examples:\n" +
			"   formwork params hexo-site > hexo.json\n" +
			"   formwork deploy hexo-site --params hexo.json\n" +
			"   formwork params access-point-monitor --env prod",
		Flags:  []cli.Flag{envFlag, environmentsFlag},
		Action: printParams,
	}
}

func printParams(c *cli.Context) error {
	s, err := oneStack(c)
	if err != nil {
		return err
	}
	tree, err := s.Template().Tree()
	if err != nil {
		return renderFailed(c.App.ErrWriter, err)
	}
	specs := templates.Parameters(tree)
	hidden := map[string]bool{}
	if c.String("env") != "" {
		tgt, err := resolveTarget(c, s, tree)
		if err != nil {
			return err
		}
		for i, p := range specs {
			v, ok := tgt.values.get(p.Name)
			switch {
			case !ok:
			case p.NoEcho: // a secret is never printed: the environment keeps giving it
				hidden[p.Name] = true
				specs[i].Description = strings.TrimSpace(p.Description + " Set by the environment, not shown.")
			default:
				specs[i].Default = v
			}
		}
	}
	_, err = c.App.Writer.Write(paramsSkeleton(specs, hidden))
	return err
}

// paramsSkeleton writes the parameters file, keys in declaration order
// (encoding/json would sort them); hidden parameters (secrets the
// environment sets) are only described.
func paramsSkeleton(specs []templates.Parameter, hidden map[string]bool) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"Parameters\": {")
	n := 0
	for _, p := range specs {
		if !hidden[p.Name] {
			writeMember(&b, n, p.Name, p.Default)
			n++
		}
	}
	b.WriteString(closing(n) + ",\n  \"Descriptions\": {")
	for i, p := range specs {
		writeMember(&b, i, p.Name, describe(p))
	}
	b.WriteString(closing(len(specs)) + "\n}\n")
	return []byte(b.String())
}

func writeMember(b *strings.Builder, i int, key, value string) {
	if i > 0 {
		b.WriteByte(',')
	}
	fmt.Fprintf(b, "\n    %s: %s", jsonString(key), jsonString(value))
}

func closing(n int) string {
	if n == 0 {
		return "}"
	}
	return "\n  }"
}

// jsonString encodes s as a JSON string, leaving <, > and & readable.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// describe says what a parameter is and what it accepts, in one line.
func describe(p templates.Parameter) string {
	var facts []string
	if p.Type != "" {
		facts = append(facts, p.Type)
	}
	if p.HasDefault {
		facts = append(facts, fmt.Sprintf("default %q", p.Default))
	} else {
		facts = append(facts, "required")
	}
	if p.NoEcho {
		facts = append(facts, "secret: NoEcho")
	}
	if len(p.AllowedValues) > 0 {
		facts = append(facts, "one of "+strings.Join(p.AllowedValues, ", "))
	} else if p.ConstraintDescription != "" {
		facts = append(facts, strings.TrimSuffix(p.ConstraintDescription, "."))
	}
	desc := strings.TrimSpace(p.Description)
	if desc != "" && !strings.HasSuffix(desc, ".") {
		desc += "."
	}
	return strings.TrimSpace(desc + " (" + strings.Join(facts, "; ") + ")")
}
