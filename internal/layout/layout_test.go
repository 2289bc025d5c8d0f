package layout

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/templatestest"
)

const module = "github.com/formwork-dev/formwork/"

// modules names the third-party modules a package may import.
var modules = map[string]string{
	"goformation": "github.com/awslabs/goformation/v7",
	"yaml":        "gopkg.in/yaml.v3",
	"urfave/cli":  "github.com/urfave/cli/v2",
	"aws-sdk":     "github.com/aws/aws-sdk-go-v2",
	"smithy":      "github.com/aws/smithy-go",
	"lambda":      "github.com/aws/aws-lambda-go",
	"difflib":     "github.com/pmezard/go-difflib",
	"x/mod":       "golang.org/x/mod",
	"x/sys":       "golang.org/x/sys",
}

// policy is every package of the module and what it may import besides the
// standard library: formwork packages by their folder, modules by their
// name in modules. A package that is not listed, or an import a package's
// entry does not name, fails the test.
var policy = map[string][]string{
	// The public API: what a team imports.
	"templates":        {"goformation", "yaml"},
	"templates/golden": {"templates", "internal/parallel", "difflib"},
	"stacks/rules":     {"templates"},
	"stacks/blocks":    {"templates", "stacks/rules", "goformation", "yaml"},
	"stacks":           {"templates", "templates/golden", "stacks/blocks", "stacks/rules", "goformation"},
	"commands": {"templates", "templates/golden", "stacks/rules", "internal/assets", "internal/cloud", "internal/diff", "internal/diff/report",
		"internal/environment", "internal/importer", "internal/importer/hints", "internal/input", "internal/parallel", "internal/plan",
		"internal/scaffold", "urfave/cli", "yaml", "difflib", "x/sys"},
	// What a team must not import.
	"internal/diff":           {"templates"},
	"internal/diff/report":    {"templates", "internal/diff"},
	"internal/importer":       {"templates", "internal/diff", "goformation", "yaml"},
	"internal/importer/hints": {"templates", "internal/importer", "stacks/rules"},
	"internal/environment":    {"templates", "internal/input", "yaml"},
	"internal/input":          {},
	"internal/parallel":       {},
	"internal/awsapi":         {"aws-sdk"},
	"internal/awsapi/cfn":     {"internal/awsapi"},
	"internal/cloud":          {"internal/awsapi", "internal/awsapi/cfn"},
	"internal/plan":           {"templates", "internal/cloud", "internal/diff", "internal/diff/report"},
	"internal/assets":         {"templates", "templates/golden", "internal/awsapi", "internal/cloud"},
	"internal/scaffold":       {},
	"internal/layout":         {},
	"internal/benchproc":      {},
	"internal/templatestest":  {"templates"},
	"internal/moto":           {"internal/templatestest"},
	"internal/cloudfake":      {"internal/awsapi", "internal/awsapi/cfn"},
	"internal/release":        {"x/mod"},
	"internal/release/cmd":    {"internal/release"},
	// Programs.
	"cmd/formwork":        {"commands", "stacks"},
	"stacks/jobs/cleanup": {"lambda", "aws-sdk"},
}

// TestImportsFollowThePolicy fails on any import of a non-test file that
// the policy does not allow, and on any package it does not list.
func TestImportsFollowThePolicy(t *testing.T) {
	templatestest.Tool(t, "go", "go list reads the package graph")
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, line := range lines {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		allowed, listed := policy[pkg]
		if !listed {
			t.Errorf("package %s is not in the policy: add it to policy in internal/layout/layout_test.go and to \"Where things live\" in commands/help/development.md", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if name, ok := importName(imp); ok && !slices.Contains(allowed, name) {
				t.Errorf("%s imports %s (%s), which the policy does not allow it", pkg, imp, name)
			}
		}
	}
	if len(lines) < 15 {
		t.Fatalf("go list found only %d packages", len(lines))
	}
}

// heavySDK are the AWS SDK packages whose package initialisation (endpoint
// tables, schemas) every start would pay: the binary links none of them.
var heavySDK = regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/(config|service/[^/]+)(/|$)`)

// TestTheBinaryLinksNoSDKClients holds formwork's start: its AWS calls go
// through internal/awsapi, so neither the SDK's config package (which links
// STS, SSO and their tables) nor any service client is in the binary.
func TestTheBinaryLinksNoSDKClients(t *testing.T) {
	templatestest.Tool(t, "go", "go list reads the package graph")
	out, err := exec.Command("go", "list", "-deps", module+"cmd/formwork").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if heavySDK.MatchString(pkg) {
			t.Errorf("cmd/formwork links %s: call AWS through internal/awsapi (go mod why -m %s says who imports it)", pkg, pkg)
		}
	}
}

// importName is how the policy names an import; ok is false for the
// standard library.
func importName(imp string) (string, bool) {
	if rest, ok := strings.CutPrefix(imp, module); ok {
		return rest, true
	}
	for name, mod := range modules {
		if imp == mod || strings.HasPrefix(imp, mod+"/") {
			return name, true
		}
	}
	if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
		return imp, true // a module the policy does not know: never allowed
	}
	return "", false
}

// TestTheREADMEShowsThePolicy compares the README's "Where things live"
// table, whose last column says what each package may import, with policy.
func TestTheREADMEShowsThePolicy(t *testing.T) {
	readme, err := os.ReadFile("../../commands/help/development.md")
	if err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile("(?s)## Where things live\n(.*?)\n## ").FindSubmatch(readme)
	if section == nil {
		t.Fatal("formwork help development has no \"## Where things live\" section")
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z/]+)/` \\| .* \\| (.*) \\|$")
	seen := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(section[1]), -1) {
		pkg := m[1]
		want, ok := policy[pkg]
		if !ok {
			t.Errorf("the README lists %s/, which is not a package of the policy", pkg)
			continue
		}
		seen[pkg] = true
		var got []string
		for _, name := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[2], -1) {
			got = append(got, name[1])
		}
		if !sameSet(got, want) {
			t.Errorf("the README says %s/ may import %v; the policy says %v", pkg, got, want)
		}
	}
	for pkg := range policy {
		if !seen[pkg] {
			t.Errorf("the README's \"Where things live\" has no row for %s/ (`| `%s/` | what | may import |`)", pkg, pkg)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
