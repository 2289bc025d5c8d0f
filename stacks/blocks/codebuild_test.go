package blocks

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/templatestest"
	"github.com/formwork-dev/formwork/stacks/rules"
	"github.com/formwork-dev/formwork/templates"
)

func sampleProject(source BuildSource, commands ...string) BuildProject {
	return BuildProject{
		ID:        "Build",
		Source:    source,
		Buildspec: Buildspec{Phases: BuildPhases{Build: Commands(commands...)}},
	}
}

func TestBuildProjectInPipeline(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		PrivateBucket{ID: "Artifacts", ExpireAfterDays: 30, Retention: Transient}.Add(tmpl)
		sampleProject(FromPipeline("Artifacts"), `echo "$(date) ${HOME}"`).Add(tmpl)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"BuildSpec: |\n", // a literal block, not an escaped one-liner
		`- echo "$(date) ${HOME}"`,
		"Type: CODEPIPELINE",
		"GroupName: !Ref BuildLogs",
		"Image: " + CodeBuildImage,
		"Resource:\n                  - !Sub ${Artifacts.Arn}/*",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestBuildProjectWithoutSource(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		sampleProject(NoSource(), "make").Add(tmpl)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Type: NO_SOURCE") || !strings.Contains(out, "Type: NO_ARTIFACTS") || strings.Contains(out, "s3:") {
		t.Errorf("a project without source needs no bucket rights:\n%s", out)
	}
}

func TestBuildProjectFromGitHub(t *testing.T) {
	out, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		tmpl.Parameter("ConnectionArn", cloudformation.Parameter{Type: "String"})
		sampleProject(FromGitHub(cloudformation.Ref("ConnectionArn"), "https://github.com/o/r.git"), "make").Add(tmpl)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Type: CODECONNECTIONS", "Resource: !Ref ConnectionArn", "codeconnections:UseConnection"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// renderSubBuildspec renders a project whose one-command buildspec goes
// through !Sub.
func renderSubBuildspec(t *testing.T, command string) (string, error) {
	return templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		p := sampleProject(NoSource(), command)
		p.SubBuildspec = true
		p.Add(tmpl)
	})
}

func TestSubBuildspecRejectsStrayDollarBrace(t *testing.T) {
	_, err := renderSubBuildspec(t, `echo "${HOME:-/root}"`)
	want := "test-stack: Build: Properties.Source.BuildSpec: !Sub text has"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "${!") {
		t.Fatalf("want an error starting %q that says to write ${!, got %v", want, err)
	}
}

func TestSubBuildspecAcceptsEscapedShellVariable(t *testing.T) {
	out, err := renderSubBuildspec(t, `echo "${!HOME} ${AWS::Region}"`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "BuildSpec: !Sub |\n") {
		t.Errorf("want a !Sub literal block:\n%s", out)
	}
}

func TestBuildProjectReportsInvalidBuildspec(t *testing.T) {
	_, err := templatestest.Render(t, rules.All(), func(tmpl *templates.Template) {
		BuildProject{ID: "Build", Source: NoSource()}.Add(tmpl)
	})
	want := "test-stack: Build: Properties.Source.BuildSpec: buildspec: no phase"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want %q, got %v", want, err)
	}
}
