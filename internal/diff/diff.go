package diff

import (
	"bytes"
	"fmt"

	"github.com/formwork-dev/formwork/templates"
)

// The diff report: what a reviewer needs to know about a change to
// CloudFormation templates. The JSON form of Report is a stable schema
// (schemaVersion 3, documented field by field in formwork help json-schemas): fields are
// only ever added, never renamed or removed; a new value of an enumerated
// field bumps the version. Lists are never null, optional strings are
// omitted when empty.
//
//	{
//	  "schemaVersion": 3,
//	  "summary":    {stacks, stacksChanged, resourcesAdded, resourcesRemoved,
//	                 resourcesModified, resourcesReplaced, resourcesMaybeReplaced,
//	                 likelyRenames, iamStatementsAdded, iamStatementsRemoved,
//	                 iamFlagged, exposuresAdded, exposuresRemoved, broadening,
//	                 dataAtRisk, dataUnprotected, updateFailures},
//	  "dataAtRisk": [{stack, logicalId, type,
//	                  change: "replace"|"maybe-replace"|"remove"|"maybe-remove",
//	                  policy, protected, renamedTo?, note}],
//	  "updateFailures": [{stack, name, reason}],
//	  "stacks": [{
//	    "stack", "status": "added"|"removed"|"modified"|"unchanged",
//	    "size": {base, head, warnings: [..]},
//	    "resources": [{logicalId, type, change: "add"|"remove"|"modify",
//	                   replacement: "yes"|"maybe"|"no"|"unknown"|"" (add/remove),
//	                   renamedFrom?, renamedTo?, similarity?, holdsData,
//	                   deletionPolicy?, updateReplacePolicy?, notes: [..], failures: [..],
//	                   properties: [{path, change: "add"|"remove"|"modify"|"indirect",
//	                                 old?, new?, replaces?: "yes"|"maybe"|"no"|"unknown",
//	                                 why?, textDiff?}]}],
//	    "iam": [{change: "add"|"remove", resource, policy, effect, principal?,
//	             actions: [..], resources: [..], condition?, when?, flags: [..], broadens}],
//	    "exposure": [{change: "add"|"remove", resource, type, kind (3 added "API method", "API route"),
//	                  detail, risk, when?, broadens}],
//	    "parameters", "outputs", "sections": [{name, change: "add"|"remove"|"modify",
//	             fields: [{path, change, old?, new?}], notes: [..], failures: [..]}]
//	  }]
//	}
type Report struct {
	SchemaVersion int         `json:"schemaVersion"`
	Summary       Summary     `json:"summary"`
	DataAtRisk    []DataRisk  `json:"dataAtRisk"`
	Failures      []Failure   `json:"updateFailures"`
	Stacks        []StackDiff `json:"stacks"`
}

// Summary counts what changed across every stack.
type Summary struct {
	Stacks                 int `json:"stacks"`
	StacksChanged          int `json:"stacksChanged"`
	ResourcesAdded         int `json:"resourcesAdded"`
	ResourcesRemoved       int `json:"resourcesRemoved"`
	ResourcesModified      int `json:"resourcesModified"`
	ResourcesReplaced      int `json:"resourcesReplaced"`
	ResourcesMaybeReplaced int `json:"resourcesMaybeReplaced"`
	LikelyRenames          int `json:"likelyRenames"`
	IAMStatementsAdded     int `json:"iamStatementsAdded"`
	IAMStatementsRemoved   int `json:"iamStatementsRemoved"`
	IAMFlagged             int `json:"iamFlagged"` // added statements with flags
	ExposuresAdded         int `json:"exposuresAdded"`
	ExposuresRemoved       int `json:"exposuresRemoved"`
	Broadening             int `json:"broadening"` // IAM and exposure rows that widen access
	DataAtRisk             int `json:"dataAtRisk"`
	DataUnprotected        int `json:"dataUnprotected"`
	UpdateFailures         int `json:"updateFailures"`
}

// DataRisk is a resource holding data that the change replaces or removes.
type DataRisk struct {
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId"`
	Type      string `json:"type"`
	Change    string `json:"change"`    // replace, maybe-replace, remove or maybe-remove
	Policy    string `json:"policy"`    // e.g. "DeletionPolicy: Retain"
	Protected bool   `json:"protected"` // the old data survives the change
	RenamedTo string `json:"renamedTo,omitempty"`
	Note      string `json:"note"`
}

// Failure is a change CloudFormation will reject (or, for an export, reject
// while another stack imports it).
type Failure struct {
	Stack  string `json:"stack"`
	Name   string `json:"name"` // logical id, or "Outputs.Name"
	Reason string `json:"reason"`
}

// StackDiff is the difference between one stack's base and head templates.
type StackDiff struct {
	Stack      string          `json:"stack"`
	Status     string          `json:"status"`
	Size       SizeDiff        `json:"size"`
	Resources  []ResourceDiff  `json:"resources"`
	IAM        []StatementDiff `json:"iam"`
	Exposure   []ExposureDiff  `json:"exposure"`
	Parameters []EntryDiff     `json:"parameters"`
	Outputs    []EntryDiff     `json:"outputs"`
	Sections   []EntryDiff     `json:"sections"`
}

// Stack statuses.
const (
	StackAdded     = "added"
	StackRemoved   = "removed"
	StackModified  = "modified"
	StackUnchanged = "unchanged"
)

// Changes of a resource, property, statement or entry.
const (
	Add      = "add"
	Remove   = "remove"
	Modify   = "modify"
	Indirect = "indirect" // the text is the same, the value it resolves to is not
)

// SizeDiff is the template body size in bytes against CloudFormation's limits.
type SizeDiff struct {
	Base     int      `json:"base"`
	Head     int      `json:"head"`
	Warnings []string `json:"warnings"`
}

// ResourceDiff is one added, removed or modified resource.
type ResourceDiff struct {
	LogicalID           string         `json:"logicalId"`
	Type                string         `json:"type"`
	Change              string         `json:"change"`
	Replacement         Replacement    `json:"replacement"`
	RenamedFrom         string         `json:"renamedFrom,omitempty"`
	RenamedTo           string         `json:"renamedTo,omitempty"`
	Similarity          int            `json:"similarity,omitempty"` // percent, for renames
	HoldsData           bool           `json:"holdsData"`
	DeletionPolicy      string         `json:"deletionPolicy,omitempty"`
	UpdateReplacePolicy string         `json:"updateReplacePolicy,omitempty"`
	Notes               []string       `json:"notes"`
	Failures            []string       `json:"failures"` // why CloudFormation will reject the update
	Properties          []PropertyDiff `json:"properties"`
}

// PropertyDiff is one changed path inside a resource (Properties.BucketName,
// Properties.Tags[0].Value, DeletionPolicy).
type PropertyDiff struct {
	Path     string      `json:"path"`
	Change   string      `json:"change"`
	Old      string      `json:"old,omitempty"`
	New      string      `json:"new,omitempty"`
	Replaces Replacement `json:"replaces,omitempty"`
	Why      string      `json:"why,omitempty"`
	TextDiff string      `json:"textDiff,omitempty"`
}

// StatementDiff is an IAM policy statement (or managed policy attachment, or
// Lambda permission) that was added or removed.
type StatementDiff struct {
	Change    string   `json:"change"`
	Resource  string   `json:"resource"` // logical id holding the policy
	Policy    string   `json:"policy"`   // where in it: "Policies[deploy]", "trust policy"
	Effect    string   `json:"effect"`
	Principal string   `json:"principal,omitempty"`
	Actions   []string `json:"actions"`
	Resources []string `json:"resources"`
	Condition string   `json:"condition,omitempty"`
	When      string   `json:"when,omitempty"` // the template conditions it holds under: "IsProd", "not IsProd"
	Flags     []string `json:"flags"`
	Broadens  bool     `json:"broadens"` // grants what the base did not (or drops a Deny)
}

// EntryDiff is a changed parameter, output or other template section entry.
type EntryDiff struct {
	Name     string         `json:"name"`
	Change   string         `json:"change"`
	Fields   []PropertyDiff `json:"fields"`
	Notes    []string       `json:"notes"`
	Failures []string       `json:"failures"`
}

// Changed reports whether the stack differs semantically.
func (d StackDiff) Changed() bool { return d.Status != StackUnchanged }

// HasDifferences reports whether any stack changed.
func (r Report) HasDifferences() bool { return r.Summary.StacksChanged > 0 }

// Broadens reports whether any change widens access: an IAM grant or an
// exposure the base did not have.
func (r Report) Broadens() bool { return r.Summary.Broadening > 0 }

// SchemaVersion is the version of the report's JSON schema.
const SchemaVersion = 3

// DiffTemplates compares one stack's base template with its head template.
// A nil base means the stack is new, a nil head that it was removed. Both are
// parsed with Parse, so any CloudFormation YAML or JSON template works.
func DiffTemplates(stack string, base, head []byte) (StackDiff, error) {
	baseTree, headTree, err := parsePair(stack, base, head)
	if err != nil {
		return StackDiff{}, err
	}
	d := DiffTrees(stack, baseTree, headTree)
	d.Size = sizeDiff(base, head)
	return d, nil
}

// parsePair parses the two sides at once. Two equal bodies are parsed once
// and diffed as one tree: nothing modifies a tree.
func parsePair(stack string, base, head []byte) (baseTree, headTree *templates.Map, err error) {
	if base != nil && head != nil && bytes.Equal(base, head) {
		tree, err := parseSide(base)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: base template: %v", stack, err)
		}
		return tree, tree, nil
	}
	var headErr error
	parsed := make(chan struct{})
	go func() {
		defer close(parsed)
		headTree, headErr = parseSide(head)
	}()
	baseTree, err = parseSide(base)
	<-parsed
	if err != nil {
		return nil, nil, fmt.Errorf("%s: base template: %v", stack, err)
	}
	if headErr != nil {
		return nil, nil, fmt.Errorf("%s: head template: %v", stack, headErr)
	}
	return baseTree, headTree, nil
}

func parseSide(body []byte) (*templates.Map, error) {
	if body == nil {
		return nil, nil
	}
	return templates.Parse(body)
}

// DiffTrees compares two parsed templates; nil stands for "no template".
// The sizes are left zero.
func DiffTrees(stack string, base, head *templates.Map) StackDiff {
	d := StackDiff{Stack: stack, Size: SizeDiff{Warnings: []string{}}}
	read := readSides(base, head)
	base, head = read.base, read.head
	switch {
	case base == nil:
		d.Status = StackAdded
		base = templates.NewMap()
	case head == nil:
		d.Status = StackRemoved
		head = templates.NewMap()
	}
	d.Resources = diffResources(templates.Section(base, "Resources"), templates.Section(head, "Resources"), changedDefaults(base, head), read.unchanged)
	renamed := renames(d.Resources)
	accessBase := repoint(base, renamed) // grants follow a renamed resource
	unchanged := stillUnchanged(read.unchanged, base, accessBase)
	d.IAM = diffIAM(accessBase, head, renamed, unchanged)
	d.Exposure = diffExposure(accessBase, head, renamed, d.IAM, unchanged)
	if len(renamed) > 0 {
		markFollowedGrants(d.Resources, d.IAM)
	}
	paramNotes := parameterNotes
	if d.Status != "" { // a whole new or removed stack: no deployment to warn about
		paramNotes = nil
	}
	d.Parameters = diffEntries(templates.Section(base, "Parameters"), templates.Section(head, "Parameters"), paramNotes)
	maskSecretDefaults(d.Parameters, templates.Section(base, "Parameters"), templates.Section(head, "Parameters"))
	d.Outputs = diffEntries(templates.Section(base, "Outputs"), templates.Section(head, "Outputs"), outputNotes)
	d.Sections = diffSections(base, head, d.Status == "")
	if d.Status == "" {
		d.Status = StackUnchanged
		if len(d.Resources)+len(d.IAM)+len(d.Exposure)+len(d.Parameters)+len(d.Outputs)+len(d.Sections) > 0 {
			d.Status = StackModified
		}
	}
	return d
}

// sides are the two templates of a diff as it reads them (policy texts
// read as documents), and the resources written alike in both.
type sides struct {
	base, head *templates.Map
	unchanged  map[string]bool
}

// readSides reads the policy texts of both templates. A resource written
// alike in both is read once: the head shares the base's reading, or keeps
// its own body when the base's held no policy text.
func readSides(base, head *templates.Map) sides {
	unchanged := unchangedResources(base, head)
	texts := newPolicyTexts()
	readBase := texts.readPolicyTexts(base, nil)
	if len(unchanged) == 0 {
		return sides{readBase, texts.readPolicyTexts(head, nil), unchanged}
	}
	known := make(map[string]*templates.Map, len(unchanged))
	raw, read, headResources := templates.Section(base, "Resources"), templates.Section(readBase, "Resources"), templates.Section(head, "Resources")
	for id := range unchanged {
		m, isMap := read.Value(id).(*templates.Map)
		switch {
		case !isMap:
		case m != raw.Value(id):
			known[id] = m
		default:
			known[id], _ = headResources.Value(id).(*templates.Map)
		}
	}
	return sides{readBase, texts.readPolicyTexts(head, known), unchanged}
}

// unchangedResources names the resources written identically in both
// templates.
func unchangedResources(base, head *templates.Map) map[string]bool {
	if base == nil || head == nil {
		return map[string]bool{}
	}
	baseResources, headResources := templates.Section(base, "Resources"), templates.Section(head, "Resources")
	out := make(map[string]bool, headResources.Len())
	for _, id := range headResources.Keys() {
		if old, ok := baseResources.Get(id); ok && identical(old, headResources.Value(id)) {
			out[id] = true
		}
	}
	return out
}

// stillUnchanged is unchanged without the resources that repoint rewrote
// from before to after.
func stillUnchanged(unchanged map[string]bool, before, after *templates.Map) map[string]bool {
	if before == after {
		return unchanged
	}
	out := map[string]bool{}
	was, is := templates.Section(before, "Resources"), templates.Section(after, "Resources")
	for id := range unchanged {
		if m, ok := is.Value(id).(*templates.Map); ok && m == was.Value(id) {
			out[id] = true
		}
	}
	return out
}

// changedDefaults names the parameters on both sides whose Default differs.
func changedDefaults(base, head *templates.Map) map[string]Replacement {
	out := map[string]Replacement{}
	old, new := templates.Section(base, "Parameters"), templates.Section(head, "Parameters")
	for _, name := range new.Keys() {
		ov, inOld := old.Get(name)
		if !inOld {
			continue
		}
		od, _ := field(ov, "Default")
		nd, _ := field(new.Value(name), "Default")
		if !sameValue(od, nd) {
			out[name] = ReplaceUnknown
		}
	}
	return out
}

// NewReport gathers stack diffs into a report with its summary and the data
// at risk called out first.
func NewReport(stacks []StackDiff) Report {
	r := Report{SchemaVersion: SchemaVersion, Stacks: stacks, DataAtRisk: []DataRisk{}, Failures: []Failure{}}
	if r.Stacks == nil {
		r.Stacks = []StackDiff{}
	}
	s := &r.Summary
	s.Stacks = len(stacks)
	for _, d := range stacks {
		if d.Changed() {
			s.StacksChanged++
		}
		for _, res := range d.Resources {
			countResource(s, res)
			if risk, ok := dataRisk(d.Stack, res); ok {
				r.DataAtRisk = append(r.DataAtRisk, risk)
			}
			for _, f := range res.Failures {
				r.Failures = append(r.Failures, Failure{d.Stack, res.LogicalID, f})
			}
		}
		for _, st := range d.IAM {
			if st.Change == Add {
				s.IAMStatementsAdded++
				if len(st.Flags) > 0 {
					s.IAMFlagged++
				}
			} else {
				s.IAMStatementsRemoved++
			}
		}
		for _, e := range d.Exposure {
			if e.Change == Add {
				s.ExposuresAdded++
			} else {
				s.ExposuresRemoved++
			}
		}
		s.Broadening += CountBroadening(d.IAM, d.Exposure)
	}
	for _, d := range stacks {
		for _, o := range d.Outputs {
			for _, f := range o.Failures {
				r.Failures = append(r.Failures, Failure{d.Stack, "Outputs." + o.Name, f})
			}
		}
	}
	s.UpdateFailures = len(r.Failures)
	s.DataAtRisk = len(r.DataAtRisk)
	for _, risk := range r.DataAtRisk {
		if !risk.Protected {
			s.DataUnprotected++
		}
	}
	return r
}

func countResource(s *Summary, res ResourceDiff) {
	switch res.Change {
	case Add:
		s.ResourcesAdded++
		if res.RenamedFrom != "" {
			s.LikelyRenames++
		}
	case Remove:
		s.ResourcesRemoved++
	case Modify:
		s.ResourcesModified++
		switch res.Replacement {
		case ReplaceYes:
			s.ResourcesReplaced++
		case ReplaceMaybe:
			s.ResourcesMaybeReplaced++
		}
	}
}
