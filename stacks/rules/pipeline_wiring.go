package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

var pipelineWiring = templates.Rule{
	ID:      "pipeline_wiring",
	Summary: "pipeline stages, actions and artifacts are wired (no empty stage, no missing input artifact, no duplicates)",
	Why:     "CodePipeline refuses the pipeline, or a run fails at the broken stage",
	Check:   checkPipelines,
}

// checkPipelines checks the pipeline wiring CodePipeline would only reject
// at deploy time (or worse, at run time).
func checkPipelines(stack string, tree *templates.Map) []templates.Finding {
	var out []templates.Finding
	for _, pipeline := range templates.ResourcesOfType(tree, "AWS::CodePipeline::Pipeline") {
		report := func(path, format string, args ...any) {
			out = append(out, templates.Finding{Stack: stack, LogicalID: pipeline.ID, Path: path, Message: fmt.Sprintf(format, args...)})
		}
		checkStages(templates.ListAt(pipeline.Properties, "Stages"), report)
	}
	return out
}

type reportFunc func(path, format string, args ...any)

// checkStages follows artifacts through the stages: an action may read what
// an earlier stage, or an action of its own stage with a lower RunOrder,
// produced.
func checkStages(stages []any, report reportFunc) {
	produced := map[string]bool{}
	stageNames := map[string]bool{}
	for i, stage := range stages {
		path := fmt.Sprintf("Properties.Stages[%d]", i)
		name := templates.StringAt(stage, "Name")
		actions := templates.ListAt(stage, "Actions")
		if stageNames[name] {
			report(path+".Name", "stage name %q is used twice: stage names must be unique in a pipeline", name)
		}
		stageNames[name] = true
		checkActionNames(actions, path, report)
		if len(actions) == 0 {
			report(path+".Actions", "stage %q has no actions: CodePipeline rejects an empty stage, so add an action or remove the stage", name)
			continue
		}
		for _, group := range byRunOrder(actions) {
			var made []string
			for _, j := range group {
				apath := fmt.Sprintf("%s.Actions[%d]", path, j)
				checkAction(actions[j], apath, produced, report)
				made = append(made, artifactNames(actions[j], "OutputArtifacts")...)
			}
			for _, m := range made {
				produced[m] = true
			}
		}
	}
}

func checkActionNames(actions []any, path string, report reportFunc) {
	seen := map[string]bool{}
	for j, a := range actions {
		name := templates.StringAt(a, "Name")
		if seen[name] {
			report(fmt.Sprintf("%s.Actions[%d].Name", path, j), "action name %q is used twice in this stage: action names must be unique in a stage", name)
		}
		seen[name] = true
	}
}

func checkAction(action any, path string, produced map[string]bool, report reportFunc) {
	name := templates.StringAt(action, "Name")
	ins := artifactNames(action, "InputArtifacts")
	for k, in := range ins {
		if !produced[in] {
			report(fmt.Sprintf("%s.InputArtifacts[%d].Name", path, k),
				"action %q reads artifact %q, which no earlier action produces (produced so far: %s): fix the name or produce it in an earlier stage or run order",
				name, in, artifactList(produced))
		}
	}
	for _, out := range artifactNames(action, "OutputArtifacts") {
		if produced[out] {
			report(path+".OutputArtifacts", "action %q produces artifact %q, which an earlier action already produces: artifact names must be unique", name, out)
		}
	}
	for _, key := range []string{"TemplatePath", "TemplateConfiguration"} {
		artifact, _, found := strings.Cut(templates.StringAt(action, "Configuration", key), "::")
		if found && !hasArtifact(ins, artifact) {
			report(path+".Configuration."+key, "%s reads artifact %q, which is not among action %q's InputArtifacts: add it there", key, artifact, name)
		}
	}
}

// byRunOrder groups action indexes by RunOrder (default 1), lowest first.
func byRunOrder(actions []any) [][]int {
	groups := map[int][]int{}
	for j, a := range actions {
		order := 1
		if v, ok := templates.ValueAt(a, "RunOrder").(fmt.Stringer); ok {
			if n, err := strconv.Atoi(v.String()); err == nil {
				order = n
			}
		}
		groups[order] = append(groups[order], j)
	}
	orders := make([]int, 0, len(groups))
	for o := range groups {
		orders = append(orders, o)
	}
	sort.Ints(orders)
	out := make([][]int, len(orders))
	for i, o := range orders {
		out[i] = groups[o]
	}
	return out
}

func artifactNames(action any, key string) []string {
	var names []string
	for _, a := range templates.ListAt(action, key) {
		names = append(names, templates.StringAt(a, "Name"))
	}
	return names
}

func artifactList(set map[string]bool) string {
	if len(set) == 0 {
		return "none"
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func hasArtifact(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}
