package environment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

func write(t *testing.T, name, body string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const prod = `account: "123456789012"
region: eu-central-1
tags:
  environment: prod
  team: mesh
stacks:
  access-point-monitor:
    stackName: mesh-monitor
    region: eu-west-1
    parameters:
      NodesApiUrl: https://map.example.net/meshviewer.json
      CheckRateMinutes: 10
      Subnets: [subnet-0123abcd, subnet-89abcdef]
      Empty:
    tags:
      team: monitoring
  codebuild-cron:
`

func TestLoad(t *testing.T) {
	e, err := Load(write(t, "prod", prod))
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "prod" || e.Account != "123456789012" || e.Region != "eu-central-1" || len(e.Stacks) != 2 {
		t.Fatalf("%+v", e)
	}
	apm, ok := e.Stack("access-point-monitor")
	if !ok || apm.StackName != "mesh-monitor" || apm.Region != "eu-west-1" || apm.Account != "123456789012" || apm.Line != 7 {
		t.Errorf("access-point-monitor: %+v", apm)
	}
	params := apm.ParameterMap()
	if params["CheckRateMinutes"] != "10" || params["Subnets"] != "subnet-0123abcd,subnet-89abcdef" || params["Empty"] != "" {
		t.Errorf("parameters: %v", params)
	}
	if apm.Parameters[1].Line != 12 {
		t.Errorf("CheckRateMinutes is on line 12, not %d", apm.Parameters[1].Line)
	}
	if tags := apm.TagMap(); tags["team"] != "monitoring" || tags["environment"] != "prod" || len(tags) != 2 {
		t.Errorf("tags: the stack's win over the environment's: %v", tags)
	}
	cron, _ := e.Stack("codebuild-cron")
	if cron.StackName != "codebuild-cron-prod" || cron.Region != "eu-central-1" || cron.TagMap()["team"] != "mesh" {
		t.Errorf("an entry with no settings takes the defaults: %+v", cron)
	}
	if got := strings.Join(e.StackNames(), " "); got != "access-point-monitor codebuild-cron" {
		t.Errorf("stack names in file order: %s", got)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct{ body, want string }{
		{"", ":1: the file is empty"},
		{"stacks: [\n", ":1: not YAML: did not find expected node content"},
		{"regoin: eu-central-1\nstacks: {}\n", `:1: the file: unknown key "regoin": did you mean "region"?`},
		{"region: eu-central-1\n", ":1: no stacks: list the stacks"},
		{"stacks: [a, b]\n", ":1: stacks must map each stack name to its settings"},
		{"stacks:\n  a:\n    parameter:\n      X: 1\n", `:3: stack a: unknown key "parameter": did you mean "parameters"?`},
		{"stacks:\n  a:\n    parameters: [X]\n", ":3: stack a: parameters must map names to values"},
		{"stacks:\n  a:\n    parameters:\n      X: {a: b}\n", ":4: stack a: parameters: X must be a value or a list of values"},
		{"stacks:\n  a:\n    parameters:\n      X: 1\n      X: 2\n", ":5: stack a: parameters: X is given twice, on lines 4 and 5"},
		{"stacks:\n  a:\n    region: [eu-central-1]\n", ":3: stack a: region must be a single value"},
		{"stacks:\n  a:\n    parameters:\n      X: [[1]]\n", ":4: stack a: parameters: X: each list item must be a single value"},
		{"- a\n", ":1: the file must be a mapping of account, region, tags, stacks"},
		{"stacks:\n  a:\n    stackName: one\n  b:\n  a:\n    stackName: two\n", ":5: stacks: a is given twice, on lines 2 and 5: keep one"},
		{"region: eu-west-1\nstacks:\n  a:\nregion: eu-central-1\n", ":4: the file: region is given twice, on lines 1 and 4"},
		{"stacks:\n  a:\n---\nstacks:\n  b:\n", ":3: a second YAML document (after ---)"},
		{"stacks:\n  a:\n    parameters:\n      X: pre-${env:X}\n", ":4: stack a: parameters: X: write a reference to an environment variable as the whole value"},
		{"stacks:\n  a:\n    tags:\n      owner: ${env:OWNER}\n", ":4: stack a: tags: owner: a tag value is written in the file"},
	}
	for _, c := range cases {
		_, err := Load(write(t, "e", c.body))
		var ee *Error
		if !errors.As(err, &ee) || !strings.Contains(err.Error(), c.want) || !strings.HasSuffix(ee.File, "e.yaml") {
			t.Errorf("%q: got %v, want %q", c.body, err, c.want)
		}
	}
}

func TestOpen(t *testing.T) {
	dir := filepath.Dir(write(t, "prod", prod))
	if _, err := Open(dir, "prod"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"staging": "no environment staging in " + dir + ": there are prod",
		"../etc":  "a name is lower-case letters, digits, - and _",
	} {
		if _, err := Open(dir, name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	if _, err := Open(t.TempDir(), "prod"); err == nil || !strings.Contains(err.Error(), "no environment prod: create") {
		t.Errorf("empty dir: %v", err)
	}
	all, err := LoadAll(filepath.Join(dir, "missing"))
	if err != nil || len(all) != 0 {
		t.Errorf("a missing directory has no environments: %v %v", all, err)
	}
}

// monitor is the template the checks run against.
var monitor = Template{Stack: "access-point-monitor", Parameters: []templates.Parameter{
	{Name: "NodesApiUrl", Type: "String", AllowedPattern: `^https://[^"\\\s]+$`, ConstraintDescription: "must be an https:// URL"},
	{Name: "CheckRateMinutes", Type: "Number", HasDefault: true, Default: "5", MinValue: "2", MaxValue: "60"},
	{Name: "Subnets", Type: "List<AWS::EC2::Subnet::Id>", HasDefault: true},
	{Name: "Empty", Type: "String", HasDefault: true},
	{Name: "NotificationEmail", Type: "String"},
}}

func TestCheck(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string // "line: message" parts, in order
		names      int      // how many are about names
	}{
		{"valid", `stacks:
  access-point-monitor:
    parameters:
      NodesApiUrl: https://map.example.net/meshviewer.json
      CheckRateMinutes: 10
      Subnets: [subnet-0123abcd, subnet-89abcdef]
      NotificationEmail: ops@example.org
`, nil, 0},
		{"unknown stack and required value", prod, []string{
			":7: access-point-monitor: needs a value for NotificationEmail (no default): add it under parameters:",
			`:17: unknown stack "codebuild-cron" (formwork list shows them)`}, 1},
		{"typo in a stack", "stacks:\n  access-point-monitr:\n", []string{`:2: unknown stack "access-point-monitr": did you mean "access-point-monitor"?`}, 1},
		{"constraints", `stacks:
  access-point-monitor:
    parameters:
      NodesApiUrl: http://plain.example.net
      CheckRateMinutes: 61
      Subnets: subnet-1
      NotificationEmail: ops@example.org
      NotificationMail: x
`, []string{
			`:4: access-point-monitor: parameter NodesApiUrl is "http://plain.example.net": must be an https:// URL`,
			`:5: access-point-monitor: parameter CheckRateMinutes is "61": it must be 2 to 60`,
			`:6: access-point-monitor: parameter Subnets is "subnet-1", which is not a subnet id`,
			`:8: access-point-monitor: unknown parameter "NotificationMail": did you mean "NotificationEmail"? (formwork params access-point-monitor lists them)`}, 1},
		{"where and tags", `account: "12345"
region: Frankfurt
tags:
  aws:owner: me
stacks:
  access-point-monitor:
    stackName: 9lives
    parameters: {NodesApiUrl: "https://x.example", NotificationEmail: a@b.org}
    tags:
      long: ` + strings.Repeat("x", 257) + `
`, []string{
			`:6: access-point-monitor: stackName "9lives": a CloudFormation stack name is a letter`,
			`:6: access-point-monitor: account "12345": an AWS account id is 12 digits`,
			`:6: access-point-monitor: region "Frankfurt" is not an AWS region name`,
			`:4: access-point-monitor: tag key "aws:owner": the aws: prefix is reserved`,
			`:10: access-point-monitor: tag long: a stack tag's value is 1 to 256 characters`}, 0},
		{"tags the AWS CLI would misread", `stacks:
  access-point-monitor:
    parameters: {NodesApiUrl: "https://x.example", NotificationEmail: a@b.org}
    tags:
      --role-arn: arn:aws:iam::123456789012:role/admin
      "team;rm": x
      empty: ""
      owner: "a,b"
`, []string{
			`:5: access-point-monitor: tag key "--role-arn" starts with -, so the AWS CLI would read it as an option`,
			`:6: access-point-monitor: tag key "team;rm": a tag key is letters, digits, spaces and _ . : / = + - @`,
			`:7: access-point-monitor: tag empty: a stack tag's value is 1 to 256 characters`,
			`:8: access-point-monitor: tag owner: a tag value is letters, digits, spaces`}, 0},
		{"values from the process environment and dynamic references are checked when deployed", `stacks:
  access-point-monitor:
    parameters:
      NodesApiUrl: ${env:NODES_URL}
      NotificationEmail: "{{resolve:ssm:/ops/email}}"
`, nil, 0},
	}
	for _, c := range cases {
		e, err := Load(write(t, "prod", c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := e.Check([]Template{monitor})
		if len(got) != len(c.want) {
			t.Errorf("%s: %d findings, want %d:\n%v", c.name, len(got), len(c.want), got)
			continue
		}
		names := 0
		for i, f := range got {
			if !strings.Contains(f.String(), c.want[i]) || !strings.HasPrefix(f.String(), e.Path+":") {
				t.Errorf("%s: finding %d\n got %s\nwant %s", c.name, i, f, c.want[i])
			}
			if f.Name {
				names++
			}
		}
		if names != c.names {
			t.Errorf("%s: %d findings about names, want %d", c.name, names, c.names)
		}
	}
}

func TestTemplateConfiguration(t *testing.T) {
	e, err := Load(write(t, "prod", prod))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := e.Stack("access-point-monitor")
	want := `{
  "Parameters": {
    "CheckRateMinutes": "10",
    "Empty": "",
    "NodesApiUrl": "https://map.example.net/meshviewer.json",
    "Subnets": "subnet-0123abcd,subnet-89abcdef"
  },
  "Tags": {
    "environment": "prod",
    "team": "monitoring"
  }
}
`
	if got := string(s.TemplateConfiguration(nil)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	cron, _ := e.Stack("codebuild-cron")
	if got := string(cron.TemplateConfiguration(nil)); !strings.Contains(got, `"Parameters": {}`) {
		t.Errorf("no parameters is {}, not null:\n%s", got)
	}
}

func TestLoadRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	_, err := Load(zero)
	if err == nil || !strings.Contains(err.Error(), "zero.yaml:1: cannot read it: not a regular file (a device)") {
		t.Errorf("a symlink to /dev/zero: %v", err)
	}
}

func TestResolve(t *testing.T) {
	e, err := Load(write(t, "prod", "stacks:\n  s:\n    parameters:\n      Password: ${env:DB_PASSWORD}\n      Plain: x\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := e.Stack("s")
	if s.Parameters[0].Variable != "DB_PASSWORD" || !s.Parameters[0].Reference() || s.Parameters[1].Reference() {
		t.Fatalf("%+v", s.Parameters)
	}
	none := func(string) (string, bool) { return "", false }
	if err := e.Resolve(&s, none); err == nil || !strings.Contains(err.Error(), "prod.yaml:4: s: parameter Password is ${env:DB_PASSWORD}, and DB_PASSWORD is not set: export it") {
		t.Errorf("unset: %v", err)
	}
	set := func(n string) (string, bool) { return "from-" + n, true }
	if err := e.Resolve(&s, set); err != nil || s.ParameterMap()["Password"] != "from-DB_PASSWORD" || s.ParameterMap()["Plain"] != "x" {
		t.Errorf("resolved: %v %v", s.Parameters, err)
	}
}

func TestCheckLeavesFilledParametersToFormwork(t *testing.T) {
	binary := Template{Stack: "scheduled-binary", Filled: []string{"CodeKey"}, Parameters: []templates.Parameter{
		{Name: "CodeBucket", Type: "String"}, {Name: "CodeKey", Type: "String", MinLength: "1"},
	}}
	for _, c := range []struct{ name, params, want string }{
		{"bucket only", "{CodeBucket: acme-artifacts}", ""},
		{"pinned key", "{CodeBucket: acme-artifacts, CodeKey: formwork/pinned.zip}", ""},
		{"pinned key still checked", `{CodeBucket: acme-artifacts, CodeKey: ""}`, "parameter CodeKey"},
		{"bucket still needed", "{}", "needs a value for CodeBucket (no default)"},
	} {
		e, err := Load(write(t, "prod", "stacks:\n  scheduled-binary:\n    parameters: "+c.params+"\n"))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := e.Check([]Template{binary})
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: %v, want no finding", c.name, got)
		case c.want != "" && (len(got) != 1 || !strings.Contains(got[0].String(), c.want)):
			t.Errorf("%s: %v, want one finding with %q", c.name, got, c.want)
		}
	}
}
