package blocks

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// BuildspecVersion is the only buildspec version formwork writes: in 0.2
// every command of a build runs in the same shell, so cd and exported
// variables carry over from one command to the next.
const BuildspecVersion = "0.2"

// Buildspec is a CodeBuild buildspec as Go data. Text renders it to the YAML
// CodeBuild reads; the template shows that text as a literal block, so a
// command keeps its $(...), backticks, quotes and ${VAR} exactly as written.
type Buildspec struct {
	Env       *BuildEnv       `yaml:"env,omitempty"`
	Phases    BuildPhases     `yaml:"phases"`
	Artifacts *BuildArtifacts `yaml:"artifacts,omitempty"`
}

// BuildEnv sets the build's shell and variables. Values that differ per
// deployment belong in the project's environment variables (they may hold
// !Ref), not here.
type BuildEnv struct {
	Shell             string            `yaml:"shell,omitempty"`
	Variables         map[string]string `yaml:"variables,omitempty"`
	ParameterStore    map[string]string `yaml:"parameter-store,omitempty"`
	SecretsManager    map[string]string `yaml:"secrets-manager,omitempty"`
	ExportedVariables []string          `yaml:"exported-variables,omitempty"`
}

// BuildPhases are run in field order; a nil phase is left out.
type BuildPhases struct {
	Install   *BuildPhase `yaml:"install,omitempty"`
	PreBuild  *BuildPhase `yaml:"pre_build,omitempty"`
	Build     *BuildPhase `yaml:"build,omitempty"`
	PostBuild *BuildPhase `yaml:"post_build,omitempty"`
}

// BuildPhase is a list of shell commands. RuntimeVersions (install phase
// only) picks language runtimes of the image, e.g. {"nodejs": "22"}.
type BuildPhase struct {
	RuntimeVersions map[string]string `yaml:"runtime-versions,omitempty"`
	Commands        []string          `yaml:"commands,omitempty"`
	Finally         []string          `yaml:"finally,omitempty"`
}

// BuildArtifacts names the files the build hands on, as globs relative to
// BaseDirectory (default: the source root).
type BuildArtifacts struct {
	Files         []string `yaml:"files"`
	BaseDirectory string   `yaml:"base-directory,omitempty"`
	Name          string   `yaml:"name,omitempty"`
}

// Commands is a phase running the given commands.
func Commands(commands ...string) *BuildPhase { return &BuildPhase{Commands: commands} }

// Text renders the buildspec as YAML, version first. It fails on a buildspec
// CodeBuild would reject or that would do nothing.
func (b Buildspec) Text() (string, error) {
	if err := b.validate(); err != nil {
		return "", err
	}
	doc := struct {
		Version   string `yaml:"version"`
		Buildspec `yaml:",inline"`
	}{BuildspecVersion, b}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("buildspec: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("buildspec: %w", err)
	}
	return buf.String(), nil
}

func (b Buildspec) validate() error {
	var problems []string
	phases := map[string]*BuildPhase{
		"install": b.Phases.Install, "pre_build": b.Phases.PreBuild,
		"build": b.Phases.Build, "post_build": b.Phases.PostBuild,
	}
	any := false
	for _, name := range []string{"install", "pre_build", "build", "post_build"} {
		p := phases[name]
		if p == nil {
			continue
		}
		any = true
		if len(p.Commands) == 0 && len(p.RuntimeVersions) == 0 {
			problems = append(problems, fmt.Sprintf("phase %s has no commands: add some or leave the phase out", name))
		}
		if name != "install" && len(p.RuntimeVersions) > 0 {
			problems = append(problems, fmt.Sprintf("phase %s sets runtime-versions, which only the install phase may", name))
		}
		for i, c := range append(append([]string{}, p.Commands...), p.Finally...) {
			if strings.TrimSpace(c) == "" || strings.Contains(c, "\n") {
				problems = append(problems, fmt.Sprintf("phase %s command %d must be one non-empty line", name, i))
			}
		}
	}
	if !any {
		problems = append(problems, "no phase: set at least Phases.Build")
	}
	if b.Artifacts != nil && len(b.Artifacts.Files) == 0 {
		problems = append(problems, "artifacts has no files: list globs such as dist/**/* or drop Artifacts")
	}
	if len(problems) > 0 {
		return errors.New("buildspec: " + strings.Join(problems, "; "))
	}
	return nil
}
