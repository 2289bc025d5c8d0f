package templates

import "fmt"

// Waive accepts the generation-time findings at one place, for a written
// reason: id and path as a finding names them ("Alarm" and "" for the
// resource itself, "Properties.AlarmActions" inside it). Every other finding,
// including a new one at another path of the same resource, still fails
// Render. It is meant for what formwork's rules flag in a template that is
// deployed as it is, e.g. an imported one whose SAM transform creates the
// resources it refers to:
//
//	t.Waive("Api", "Properties.DefinitionBody", "the SAM transform creates ServerlessRestApi")
func (t *Template) Waive(id, path, reason string) {
	if reason == "" {
		t.errs = append(t.errs, fmt.Errorf("%s: %s: a waiver needs a reason", t.Name, join(id, path)))
		return
	}
	if t.waivers == nil {
		t.waivers = map[waiver]string{}
	}
	t.waivers[waiver{id, path}] = reason
}

// unwaived drops the findings a waiver accepts.
func (t *Template) unwaived(fs Findings) Findings {
	if len(t.waivers) == 0 {
		return fs
	}
	var out Findings
	for _, f := range fs {
		if _, ok := t.waivers[waiver{f.LogicalID, f.Path}]; !ok {
			out = append(out, f)
		}
	}
	return out
}
