// Package plan puts CloudFormation's change set and formwork's own
// prediction of the same deployment side by side: each resource change with
// CloudFormation's Replacement verdict and its causes, formwork's predicted
// change and replacement from the template diff, and a flag wherever the
// two disagree. It renders the result as text, Markdown (a pull-request
// comment) and JSON.
package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/formwork-dev/formwork/internal/cloud"
	"github.com/formwork-dev/formwork/internal/diff"
	"github.com/formwork-dev/formwork/templates"
)

// Report is one stack's plan. Its JSON form is a stable schema
// (schemaVersion 1): fields are only added, lists are never null.
type Report struct {
	SchemaVersion int    `json:"schemaVersion"`
	Stack         string `json:"stack"`     // the formwork stack
	StackName     string `json:"stackName"` // the CloudFormation stack
	Environment   string `json:"environment,omitempty"`
	Region        string `json:"region,omitempty"`
	ChangeSet     string `json:"changeSet"`
	NewStack      bool   `json:"newStack"`
	// Status is "changes", "no-changes" or "failed" (CloudFormation could
	// not make the change set; Reason says why).
	Status     string            `json:"status"`
	Reason     string            `json:"reason,omitempty"`
	Kept       bool              `json:"kept"` // the change set is kept for formwork apply
	Summary    Summary           `json:"summary"`
	Resources  []Resource        `json:"resources"`
	Parameters []ParameterChange `json:"parameters"`
	// DataAtRisk are the resources holding data that the change set
	// replaces or removes, by CloudFormation's verdict or formwork's,
	// whichever is worse; IAM and Exposure are formwork's access review of
	// the template change, as in formwork diff.
	DataAtRisk []diff.DataRisk      `json:"dataAtRisk"`
	IAM        []diff.StatementDiff `json:"iam"`
	Exposure   []diff.ExposureDiff  `json:"exposure"`
}

// Report statuses.
const (
	Changes   = "changes"
	NoChanges = "no-changes"
	Failed    = "failed"
)

// Summary counts the resource changes.
type Summary struct {
	Add             int `json:"add"`
	Modify          int `json:"modify"`
	Remove          int `json:"remove"`
	Replace         int `json:"replace"`       // Replacement True
	MayReplace      int `json:"mayReplace"`    // Replacement Conditional
	Disagreements   int `json:"disagreements"` // where CloudFormation and formwork differ
	Parameters      int `json:"parameters"`    // parameter values that change
	DataAtRisk      int `json:"dataAtRisk"`
	DataUnprotected int `json:"dataUnprotected"`
	Broadening      int `json:"broadening"` // IAM and exposure rows that widen access
}

// Resource is one resource's change in both views.
type Resource struct {
	LogicalID  string `json:"logicalId"`
	Type       string `json:"type"`
	PhysicalID string `json:"physicalId,omitempty"`
	// Action is CloudFormation's (Add, Modify, Remove, Import, Dynamic), or
	// formwork's prediction when CloudFormation does not list the resource
	// (then Source is "formwork").
	Action string `json:"action"`
	Source string `json:"source"` // "cloudformation" or "formwork"
	// Replacement is CloudFormation's verdict: True, Conditional, False,
	// or "" when it gave none.
	Replacement  string     `json:"replacement"`
	Causes       []Cause    `json:"causes"`
	Predicted    Prediction `json:"predicted"`
	Disagreement string     `json:"disagreement,omitempty"`
}

// Cause is one of CloudFormation's reasons for a change (a change set
// Detail).
type Cause struct {
	Attribute          string `json:"attribute"`
	Name               string `json:"name,omitempty"`
	RequiresRecreation string `json:"requiresRecreation,omitempty"`
	ChangeSource       string `json:"changeSource,omitempty"`
	CausingEntity      string `json:"causingEntity,omitempty"`
	Evaluation         string `json:"evaluation,omitempty"`
}

// Prediction is formwork's view, from the diff between the deployed
// template and the render with the new parameter values.
type Prediction struct {
	Change      string           `json:"change"`      // add, modify, remove, or "" (no change)
	Replacement diff.Replacement `json:"replacement"` // yes, maybe, no, unknown, or ""
	Paths       []string         `json:"paths"`       // the properties that change
	Why         []string         `json:"why"`         // why they replace the resource, or change indirectly
}

// ParameterChange is a parameter value that the deployment sets or changes.
type ParameterChange struct {
	Name   string `json:"name"`
	Change string `json:"change"` // add, modify, remove
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	Secret bool   `json:"secret,omitempty"` // NoEcho: values not shown
}

// Merge pairs CloudFormation's changes with formwork's prediction,
// CloudFormation's order first, then what only formwork predicts.
func Merge(cs cloud.ChangeSet, predicted diff.StackDiff) []Resource {
	fw := map[string]diff.ResourceDiff{}
	for _, r := range predicted.Resources {
		fw[r.LogicalID] = r
	}
	out := []Resource{}
	listed := map[string]bool{}
	for _, ch := range cs.Changes {
		listed[ch.LogicalID] = true
		r := Resource{LogicalID: ch.LogicalID, Type: ch.Type, PhysicalID: ch.PhysicalID, Action: ch.Action,
			Source: "cloudformation", Replacement: ch.Replacement, Causes: causes(ch.Details)}
		p, ok := fw[ch.LogicalID]
		if ok {
			r.Predicted = prediction(p)
		} else {
			r.Predicted = Prediction{Paths: []string{}, Why: []string{}}
		}
		r.Disagreement = disagreement(ch, p, ok)
		out = append(out, r)
	}
	for _, p := range predicted.Resources {
		if listed[p.LogicalID] || diff.OnlyUnreadable(p) { // CloudFormation read the secret: nothing changes
			continue
		}
		out = append(out, Resource{LogicalID: p.LogicalID, Type: p.Type, Action: actionOf(p.Change), Source: "formwork",
			Causes: []Cause{}, Predicted: prediction(p),
			Disagreement: fmt.Sprintf("CloudFormation lists no change; formwork predicts %s", describePrediction(p))})
	}
	return out
}

func causes(details []cloud.Detail) []Cause {
	out := make([]Cause, len(details))
	for i, d := range details {
		out[i] = Cause{Attribute: d.Attribute, Name: d.Name, RequiresRecreation: d.RequiresRecreation,
			ChangeSource: d.ChangeSource, CausingEntity: d.CausingEntity, Evaluation: d.Evaluation}
	}
	return out
}

func prediction(d diff.ResourceDiff) Prediction {
	p := Prediction{Change: d.Change, Replacement: d.Replacement, Paths: []string{}, Why: []string{}}
	for _, prop := range d.Properties {
		p.Paths = append(p.Paths, prop.Path)
		if why := prop.Path + ": " + prop.Why; prop.Why != "" && !slices.Contains(p.Why, why) {
			p.Why = append(p.Why, why)
		}
	}
	return p
}

// actionOf maps formwork's change words to CloudFormation's actions.
func actionOf(change string) string {
	switch change {
	case diff.Add:
		return "Add"
	case diff.Remove:
		return "Remove"
	}
	return "Modify"
}

func describePrediction(d diff.ResourceDiff) string {
	s := d.Change
	if d.Change == diff.Modify {
		switch d.Replacement {
		case diff.ReplaceYes:
			s += " with replacement"
		case diff.ReplaceNo:
			s += " in place"
		}
	}
	var paths []string
	for _, p := range d.Properties {
		paths = append(paths, p.Path)
	}
	if len(paths) > 0 {
		s += " (" + strings.Join(paths, ", ") + ")"
	}
	return s
}

// disagreement says where CloudFormation's change and formwork's
// prediction (ok false: none) differ, or returns "".
func disagreement(ch cloud.Change, p diff.ResourceDiff, ok bool) string {
	if !ok {
		switch {
		case ch.Action == "Dynamic", ch.Action == "Modify" && explainedElsewhere(ch.Details):
			return ""
		case ch.Action == "Modify":
			return "CloudFormation modifies it; formwork sees no change in its template or parameters"
		}
		return fmt.Sprintf("CloudFormation will %s it; formwork predicts no change", strings.ToLower(ch.Action))
	}
	if actionOf(p.Change) != ch.Action && ch.Action != "Dynamic" {
		return fmt.Sprintf("CloudFormation: %s; formwork predicts %s", ch.Action, describePrediction(p))
	}
	if ch.Action != "Modify" {
		return ""
	}
	switch {
	case ch.Replacement == "True" && p.Replacement == diff.ReplaceNo:
		return "CloudFormation replaces it" + because(ch.Details) + "; formwork predicts an update in place"
	case ch.Replacement == "False" && p.Replacement == diff.ReplaceYes:
		return "formwork predicts a replacement (" + strings.Join(prediction(p).Why, "; ") + "); CloudFormation updates it in place"
	case ch.Replacement == "Conditional" && p.Replacement == diff.ReplaceNo && !diff.DocumentedInPlace(p):
		return "CloudFormation may replace it" + because(ch.Details) + "; formwork predicts an update in place"
	}
	return ""
}

// explainedElsewhere reports a Modify whose every cause is outside the
// resource's own template text: a parameter, another resource's attribute,
// or an automatic (nested stack, dynamic reference) change. formwork does
// not always predict these; they are not a disagreement. A change with no
// details at all (moto) is not explained.
func explainedElsewhere(details []cloud.Detail) bool {
	if len(details) == 0 {
		return false
	}
	for _, d := range details {
		if d.ChangeSource == "DirectModification" || d.ChangeSource == "" {
			return false
		}
	}
	return true
}

// because names the properties CloudFormation says require recreation.
func because(details []cloud.Detail) string {
	var names []string
	for _, d := range details {
		if d.RequiresRecreation == "Always" || d.RequiresRecreation == "Conditionally" {
			n := d.Attribute
			if d.Name != "" {
				n += "." + d.Name
			}
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}

// ParameterChanges compares the deployed parameter values (nil for a new
// stack) with the values the change set passes, defaults filled in. A
// NoEcho parameter is listed only when it is added or removed: its deployed
// value cannot be read, so formwork cannot know that it changes.
func ParameterChanges(specs []templates.Parameter, deployed, planned map[string]string) []ParameterChange {
	out := []ParameterChange{}
	for _, p := range specs {
		nv, hasNew := planned[p.Name]
		if !hasNew && p.HasDefault {
			nv, hasNew = p.Default, true
		}
		ov, hasOld := deployed[p.Name]
		ch := ParameterChange{Name: p.Name, Old: ov, New: nv, Secret: p.NoEcho}
		switch {
		case hasNew && !hasOld:
			ch.Change = diff.Add
		case hasOld && !hasNew:
			ch.Change = diff.Remove
		case hasOld && ov != nv && !p.NoEcho: // a NoEcho value cannot be read back: never "changed"
			ch.Change = diff.Modify
		default:
			continue
		}
		if p.NoEcho {
			ch.Old, ch.New = mask(ch.Old), mask(ch.New)
		}
		out = append(out, ch)
	}
	for _, name := range slices.Sorted(maps.Keys(deployed)) {
		if !slices.ContainsFunc(specs, func(p templates.Parameter) bool { return p.Name == name }) {
			out = append(out, ParameterChange{Name: name, Change: diff.Remove, Old: deployed[name]})
		}
	}
	return out
}

// Unreadable names the NoEcho parameters the deployment passes to an
// existing stack: whether their values change, only CloudFormation knows.
func Unreadable(specs []templates.Parameter, deployed, planned map[string]string) []string {
	var out []string
	for _, p := range specs {
		_, hasOld := deployed[p.Name]
		_, passed := planned[p.Name]
		if p.NoEcho && hasOld && (passed || p.HasDefault) {
			out = append(out, p.Name)
		}
	}
	return out
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "****"
}

// New assembles the report; head is the template the change set deploys.
func New(r Report, cs cloud.ChangeSet, predicted diff.StackDiff, params []ParameterChange, head *templates.Map) Report {
	r.SchemaVersion = 1
	r.ChangeSet = cs.Name
	r.Parameters = params
	r.Resources = []Resource{}
	r.DataAtRisk, r.IAM, r.Exposure = []diff.DataRisk{}, []diff.StatementDiff{}, []diff.ExposureDiff{}
	switch {
	case cs.NoChanges():
		r.Status = NoChanges
	case cs.Failed():
		r.Status, r.Reason = Failed, cs.StatusReason
	default:
		// A change set CloudFormation made always changes something, if
		// only parameter values.
		r.Resources = Merge(cs, predicted)
		r.Status = Changes
		r.DataAtRisk = dataAtRisk(r.Stack, r.Resources, predicted, head)
		r.IAM, r.Exposure = nonNil(predicted.IAM), nonNil(predicted.Exposure)
	}
	r.Summary = summarize(r.Resources)
	r.Summary.Broadening = diff.CountBroadening(r.IAM, r.Exposure)
	r.Summary.DataAtRisk = len(r.DataAtRisk)
	for _, risk := range r.DataAtRisk {
		if !risk.Protected {
			r.Summary.DataUnprotected++
		}
	}
	if !r.NewStack {
		r.Summary.Parameters = len(params)
	}
	return r
}

func summarize(list []Resource) Summary {
	var s Summary
	for _, r := range list {
		switch r.Action {
		case "Add", "Import":
			s.Add++
		case "Remove":
			s.Remove++
		default:
			s.Modify++
		}
		switch {
		case r.Replacement == "True", r.Replacement == "" && r.Action == "Modify" && r.Predicted.Replacement == diff.ReplaceYes:
			s.Replace++
		case r.Replacement == "Conditional":
			s.MayReplace++
		}
		if r.Disagreement != "" {
			s.Disagreements++
		}
	}
	return s
}

// HasChanges reports a plan CloudFormation would execute.
func (r Report) HasChanges() bool { return r.Status == Changes }

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// cloudFormationVerdicts maps a change set's Replacement to formwork's.
var cloudFormationVerdicts = map[string]diff.Replacement{"True": diff.ReplaceYes, "Conditional": diff.ReplaceMaybe, "False": diff.ReplaceNo}

// dataAtRisk lists the resources holding data that the change set removes
// or replaces, by the worse of CloudFormation's verdict and formwork's. A
// resource only CloudFormation lists takes its policies from the head
// template.
func dataAtRisk(stack string, resources []Resource, predicted diff.StackDiff, head *templates.Map) []diff.DataRisk {
	fw := map[string]diff.ResourceDiff{}
	for _, r := range predicted.Resources {
		fw[r.LogicalID] = r
	}
	out := []diff.DataRisk{}
	for _, res := range resources {
		if !diff.HoldsData(res.Type) || (res.Action != "Modify" && res.Action != "Remove") {
			continue
		}
		d, ok := fw[res.LogicalID]
		if !ok {
			body := templates.AsMap(templates.Section(head, "Resources").Value(res.LogicalID))
			d = diff.ResourceDiff{LogicalID: res.LogicalID, Type: res.Type, HoldsData: true,
				DeletionPolicy: templates.StringAt(body, "DeletionPolicy"), UpdateReplacePolicy: templates.StringAt(body, "UpdateReplacePolicy")}
		}
		d.Change = diff.Modify
		if res.Action == "Remove" {
			d.Change = diff.Remove
		}
		d.Replacement = d.Replacement.Worse(cloudFormationVerdicts[res.Replacement])
		if risk, ok := diff.DataRiskOf(stack, d); ok {
			out = append(out, risk)
		}
	}
	return out
}
