package templates

import (
	"fmt"
	"strings"
)

var noDependencyCycles = Rule{ID: "no_dependency_cycles", Summary: "resources do not depend on each other in a circle",
	Why: "CloudFormation refuses a template whose references form a loop", Check: checkDependencyCycles}

// checkDependencyCycles refuses resources that depend on each other in a
// circle (through Ref, GetAtt, Sub variables or DependsOn): CloudFormation
// rejects the whole template with "Circular dependency between resources",
// and only at deploy time. A queue whose redrive policy names its
// dead-letter queue while the dead-letter queue's RedriveAllowPolicy names
// the queue is such a circle. Each circle is reported once, at the first
// resource of it in declaration order.
func checkDependencyCycles(stack string, tree *Map) []Finding {
	resources := Resources(tree)
	deps := map[string][]string{}
	declared := map[string]bool{}
	for _, r := range resources {
		declared[r.ID] = true
	}
	for _, r := range resources {
		deps[r.ID] = dependencies(r, declared)
	}
	const (
		unvisited = iota
		onPath
		done
	)
	state := map[string]int{}
	var out []Finding
	var path []string
	var visit func(id string)
	visit = func(id string) {
		state[id] = onPath
		path = append(path, id)
		for _, d := range deps[id] {
			switch state[d] {
			case unvisited:
				visit(d)
			case onPath:
				circle := append(append([]string{}, path[indexOf(path, d):]...), d)
				out = append(out, Finding{Stack: stack, LogicalID: d, Message: fmt.Sprintf(
					"resources depend on each other in a circle, %s, which CloudFormation refuses: break it by naming one of them without Ref/GetAtt (a constructed ARN or name) or by dropping the property that closes it",
					strings.Join(circle, " -> "))})
			}
		}
		path = path[:len(path)-1]
		state[id] = done
	}
	for _, r := range resources {
		if state[r.ID] == unvisited {
			visit(r.ID)
		}
	}
	return out
}

// dependencies are the resources r refers to, each once, in the order met.
func dependencies(r Resource, declared map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if declared[id] && id != r.ID && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, d := range ListAt(r.Body, "DependsOn") {
		if s, ok := d.(string); ok {
			add(s)
		}
	}
	if d, ok := ValueAt(r.Body, "DependsOn").(string); ok {
		add(d)
	}
	newWalker(func(_ []byte, fn Fn) {
		switch fn.Name {
		case FnRef, FnGetAtt:
			add(RefTarget(fn))
		case FnSub:
			text, local := SubParts(fn.Arg)
			vars, _ := SubVariables(text)
			for _, v := range vars {
				if _, isLocal := local.Get(v); !isLocal {
					name, _, _ := strings.Cut(v, ".")
					add(name)
				}
			}
		}
	}).walk(ValueAt(r.Body, "Properties"), "Properties")
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
