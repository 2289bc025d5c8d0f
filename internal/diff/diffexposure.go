package diff

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/formwork-dev/formwork/templates"
)

// ExposureDiff is a change to who or what can reach a resource from outside
// the account: a security-group rule open to the internet or widened, a
// loosened public access block, a policy granting any principal, a public
// Lambda function URL or invoke permission.
type ExposureDiff struct {
	Change   string `json:"change"` // add (the exposure is new) or remove (it is gone)
	Resource string `json:"resource"`
	Type     string `json:"type"`
	Kind     string `json:"kind"`   // ingress, egress, public access block, public ACL, resource policy, trust policy, function URL, invoke permission, API method, API route
	Detail   string `json:"detail"` // "tcp 22 from 0.0.0.0/0", "BlockPublicPolicy: false"
	Risk     string `json:"risk"`   // why it matters: "open to the internet", "port range widened from tcp 443"
	When     string `json:"when,omitempty"`
	Broadens bool   `json:"broadens"`
}

// Exposure kinds.
const (
	KindIngress        = "ingress"
	KindEgress         = "egress"
	KindPublicAccess   = "public access block"
	KindFunctionURL    = "function URL"
	KindPublicACL      = "public ACL"
	KindResourcePolicy = "resource policy"
	KindTrustPolicy    = "trust policy"
	KindInvoke         = "invoke permission"
)

// fromIAM reports an exposure row that repeats an IAM statement.
func fromIAM(e ExposureDiff) bool {
	return e.Kind == KindResourcePolicy || e.Kind == KindTrustPolicy || e.Kind == KindInvoke
}

// fact is one exposure-relevant setting of a resource, before the diff.
type fact struct {
	row  ExposureDiff
	rule *netRule // security-group rules only
	loc  string   // facts are matched within a location
	open int      // API methods and routes: how open (openWithKey, openToAll)
}

// diffExposure compares the exposure facts of two templates and keeps the
// ones a security reviewer must see; then adds the IAM statements that
// grant any principal. The facts of the resources in unchanged, written
// identically on both sides, are read once.
func diffExposure(base, head *templates.Map, renamed map[string]string, iam []StatementDiff, unchanged map[string]bool) []ExposureDiff {
	shared := sharedFacts{unchanged, map[string][]keyed[fact]{}}
	if !identical(templates.Section(base, "Parameters"), templates.Section(head, "Parameters")) {
		shared.ids = nil // a rule's peer may be a parameter's default
	}
	old, new := exposureFacts(base, renamed, shared), exposureFacts(head, nil, shared)
	baseResources, headResources := templates.Section(base, "Resources"), templates.Section(head, "Resources")
	renamedTo := make(map[string]bool, len(renamed))
	for _, to := range renamed {
		renamedTo[to] = true
	}
	inBase := func(id string) bool { // under its id in the head
		_, ok := baseResources.Get(id)
		return ok || renamedTo[id]
	}
	inHead := func(id string) bool {
		_, ok := headResources.Get(id)
		return ok
	}
	out := []ExposureDiff{}
	for _, loc := range mergeOrder(new.order, old.order) {
		removed, added := narrowedByConditions(multisetDiff(old.byLoc[loc], new.byLoc[loc]))
		for _, f := range added {
			if row, ok := addedExposure(f.row, removed, old.byLoc[loc], inBase(f.row.row.Resource)); ok {
				out = append(out, row)
			}
		}
		for _, f := range removed {
			if row, ok := removedExposure(f.row, added, inHead(f.row.row.Resource)); ok {
				out = append(out, row)
			}
		}
	}
	return append(out, policyExposure(iam, base, head)...)
}

// narrowedByConditions drops a fact that only gained template conditions
// (it now holds in fewer deployments) together with its unconditional
// former self: that narrows, and is no exposure.
func narrowedByConditions(removed, added []keyed[fact]) ([]keyed[fact], []keyed[fact]) {
	var keptAdded []keyed[fact]
	for _, a := range added {
		base, when, conditional := strings.Cut(a.key, whenKey)
		matched := -1
		for i, r := range removed {
			if conditional && when != "" && r.key == base {
				matched = i
				break
			}
		}
		if matched < 0 {
			keptAdded = append(keptAdded, a)
			continue
		}
		removed = append(removed[:matched:matched], removed[matched+1:]...)
	}
	return removed, keptAdded
}

// addedExposure decides whether a new fact is an exposure: a rule open to
// the internet, a rule wider than one it replaces, a public access setting
// turned off, a public function URL. A rule open to the internet that a
// base rule already allowed (narrowed from all ports to 443) is listed but
// does not broaden.
func addedExposure(f fact, removed, base []keyed[fact], existed bool) (ExposureDiff, bool) {
	row := f.row
	row.Change, row.Broadens = Add, true
	switch {
	case isAPIKind(row.Kind):
		return addedAPIExposure(row, f, removed)
	case f.rule != nil:
		var why []string
		if f.rule.worldOpen() {
			why = append(why, "open to the internet")
		}
		for _, old := range removed {
			if r := old.row.rule; r != nil && f.rule.includes(r) {
				why = append(why, "widened from "+r.text())
				break
			}
		}
		if wider := baseRuleCovering(f, base); wider != nil {
			if !f.rule.worldOpen() {
				return row, false
			}
			why = []string{"open to the internet", "within " + wider.text() + ", which the base already allowed"}
			row.Broadens = false
		}
		if len(why) == 0 {
			return row, false
		}
		row.Risk = strings.Join(why, "; ")
	case row.Kind == KindPublicAccess && row.Detail == pabUnset:
		if !existed { // a new bucket blocks public access by default
			return row, false
		}
		row.Risk = "the public access block is removed: public ACLs and policies are no longer blocked"
	}
	return row, true
}

// baseRuleCovering returns a base rule that already allowed everything the
// new rule does, under no more template conditions, or nil.
func baseRuleCovering(f fact, base []keyed[fact]) *netRule {
	for _, old := range base {
		if r := old.row.rule; r != nil && r.includes(f.rule) && (old.row.row.When == "" || old.row.row.When == f.row.When) {
			return r
		}
	}
	return nil
}

// removedExposure reports an exposure that is gone: it narrows access.
func removedExposure(f fact, added []keyed[fact], kept bool) (ExposureDiff, bool) {
	row := f.row
	row.Change = Remove
	switch {
	case isAPIKind(row.Kind):
		return removedAPIExposure(row, f, added)
	case f.rule != nil && !f.rule.worldOpen():
		return row, false
	case row.Kind == KindPublicAccess && row.Detail == pabUnset && !kept:
		return row, false // the bucket is gone, not blocked
	case f.rule != nil:
		row.Risk = "no longer open to the internet"
	case row.Kind == KindPublicAccess && row.Detail == pabUnset:
		row.Risk = "a public access block is now configured"
	case row.Kind == KindPublicAccess:
		row.Risk = "now blocks public access"
	default:
		row.Risk = "no longer: " + row.Risk
	}
	return row, true
}

// policyExposure lists the grants to principals outside the account: a
// statement of a resource policy, trust policy or invoke permission that
// allows any principal or another account, and one whose Condition (for an
// invoke permission: SourceArn, SourceAccount or PrincipalOrgID) was
// removed, so that any resource of the principal (a service: in any
// account) may use it.
func policyExposure(iam []StatementDiff, base, head *templates.Map) []ExposureDiff {
	typeOf := func(id string) string {
		if typ := templates.StringAt(templates.AsMap(templates.Section(head, "Resources").Value(id)), "Type"); typ != "" {
			return typ
		}
		return templates.StringAt(templates.AsMap(templates.Section(base, "Resources").Value(id)), "Type")
	}
	var out []ExposureDiff
	for _, s := range iam {
		if effectOf(s) != "Allow" || s.Principal == "" {
			continue
		}
		risk, ok := principalRisk(s, iam)
		if !ok {
			continue
		}
		kind := KindResourcePolicy
		switch s.Policy {
		case KindTrustPolicy, KindInvoke:
			kind = s.Policy
		}
		if s.Change == Remove {
			risk = "no longer: " + risk
		}
		detail := fmt.Sprintf("Allow %s %s", s.Principal, strings.Join(s.Actions, ", "))
		if len(s.Resources) > 0 {
			detail += " on " + strings.Join(s.Resources, ", ")
		}
		if s.Condition != "" {
			detail += " when " + s.Condition
		}
		out = append(out, ExposureDiff{Change: s.Change, Resource: s.Resource, Type: typeOf(s.Resource), Kind: kind, When: s.When,
			Detail: detail, Risk: risk, Broadens: s.Broadens})
	}
	return out
}

// principalRisk says why a grant reaches outside the account, if it does.
func principalRisk(s StatementDiff, iam []StatementDiff) (string, bool) {
	dropped := ""
	if was, ok := droppedCondition(s, iam); ok && s.Change == Add && s.Broadens {
		dropped = conditionChange(was, s)
	}
	switch {
	case anyPrincipal(s.Principal) || strings.HasPrefix(s.Principal, "NOT "):
		limited := s.Condition != ""
		if s.Policy == KindInvoke {
			limited = !slices.Contains(s.Flags, anyPrincipalFlag) // SourceArn, SourceAccount or PrincipalOrgID
		}
		risk := "any principal, anyone on the internet included"
		if limited {
			risk = "any principal, limited by its Condition"
		}
		return joinRisk(risk, dropped), true
	case otherAccount(s.Principal) != "":
		return joinRisk("another account: "+otherAccount(s.Principal), dropped), true
	case dropped != "":
		who := s.Principal + " may use it without the condition"
		if strings.Contains(s.Principal, ".amazonaws.com") {
			who = "any resource of " + s.Principal + ", in any account, may use it (a confused deputy)"
		}
		return dropped + ": " + who, true
	}
	return "", false
}

func joinRisk(risk, dropped string) string {
	if dropped == "" {
		return risk
	}
	return risk + "; " + dropped
}

// conditionChange says how a grant's condition changed.
func conditionChange(was string, s StatementDiff) string {
	if s.Condition == "" {
		return "its condition is gone (was " + was + ")"
	}
	return "its condition changed (was " + was + ")"
}

// droppedCondition finds the removed twin of an added grant that differs
// only in having had a Condition the grant no longer has, whole (a policy
// statement) or in part (an invoke permission that keeps SourceAccount and
// loses SourceArn). A condition that only changed its value is no such
// twin: the IAM row says whether it broadens.
func droppedCondition(s StatementDiff, iam []StatementDiff) (string, bool) {
	for _, o := range iam {
		if o.Change == Remove && o.Condition != "" && conditionDropped(o, s) && o.Resource == s.Resource && o.Policy == s.Policy &&
			o.Principal == s.Principal && o.Effect == s.Effect && o.When == s.When && !covers(o, s) &&
			strings.Join(o.Actions, ",") == strings.Join(s.Actions, ",") && strings.Join(o.Resources, ",") == strings.Join(s.Resources, ",") {
			return o.Condition, true
		}
	}
	return "", false
}

// conditionDropped reports a grant whose condition is gone, or (for an
// invoke permission, whose conditions are a list) keeps only some of it.
func conditionDropped(was, now StatementDiff) bool {
	if now.Condition == "" {
		return true
	}
	if now.Policy != KindInvoke {
		return false
	}
	kept := strings.Split(was.Condition, ", ")
	for _, part := range strings.Split(now.Condition, ", ") {
		if !slices.Contains(kept, part) {
			return false
		}
	}
	return true
}

// accountID matches a literal AWS account id in a principal.
var accountID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[^0-9])([0-9]{12})([^0-9]|$)`) })

// otherAccount returns the literal account id a principal names. The
// template's own account is written ${AWS::AccountId}; a literal id is
// another account unless the stack is deployed there.
func otherAccount(principal string) string {
	if m := accountID().FindStringSubmatch(principal); m != nil {
		return m[2]
	}
	return ""
}

type factSet struct {
	byLoc map[string][]keyed[fact]
	order []string
}

// sharedFacts are the facts of the resources written alike on both sides
// (ids), read from the side read first and reused for the other.
type sharedFacts struct {
	ids   map[string]bool
	facts map[string][]keyed[fact]
}

// of returns the facts of the resource id, which read reads.
func (s sharedFacts) of(id string, read func() []keyed[fact]) []keyed[fact] {
	if !s.ids[id] {
		return read()
	}
	items, ok := s.facts[id]
	if !ok {
		items = read()
		s.facts[id] = items
	}
	return items
}

// exposureFacts collects every resource's facts, from every Fn::If variant,
// by location (a resource, or a security group and direction).
func exposureFacts(tree *templates.Map, renamed map[string]string, shared sharedFacts) factSet {
	set := factSet{byLoc: map[string][]keyed[fact]{}}
	defaults := parameterDefaults(tree)
	resources := templates.Section(tree, "Resources")
	for _, id := range resources.Keys() {
		r := resourceOf(resources, id)
		if !exposes(r.typ) {
			continue
		}
		if to, ok := renamed[id]; ok {
			r.id = to
		}
		collect := func(r resourceSide) []keyed[fact] { return resourceFacts(r, defaults) }
		read := func() []keyed[fact] {
			return acrossVariants(r, collect, func(f *fact, when string) { f.row.When = when })
		}
		for _, item := range shared.of(id, read) {
			loc := item.row.loc
			if item.row.rule != nil { // a rule of a renamed group belongs to its new id
				if to, ok := renamed[item.row.rule.group]; ok {
					loc = ruleLocation(to, item.row.row.Kind)
				}
			}
			if _, seen := set.byLoc[loc]; !seen {
				set.order = append(set.order, loc)
			}
			item.row.row.Type = r.typ
			set.byLoc[loc] = append(set.byLoc[loc], item)
		}
	}
	return set
}

func exposes(typ string) bool {
	switch typ {
	case "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
		"AWS::S3::Bucket", "AWS::S3::AccessPoint", "AWS::Lambda::Url",
		"AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Route":
		return true
	}
	return false
}

// resourceFacts lists one variant's exposure facts.
func resourceFacts(r resourceSide, defaults map[string]string) []keyed[fact] {
	props, _ := r.props.(*templates.Map)
	if props == nil {
		props = templates.NewMap()
	}
	switch r.typ {
	case "AWS::EC2::SecurityGroup":
		var out []keyed[fact]
		for _, dir := range []struct{ key, kind string }{{"SecurityGroupIngress", KindIngress}, {"SecurityGroupEgress", KindEgress}} {
			rules, _ := props.Value(dir.key).([]any)
			for _, rule := range rules {
				if m, ok := rule.(*templates.Map); ok {
					out = append(out, ruleFact(r.id, r.id, dir.kind, m, defaults))
				}
			}
		}
		return out
	case "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress":
		kind := KindIngress
		if r.typ == "AWS::EC2::SecurityGroupEgress" {
			kind = KindEgress
		}
		return []keyed[fact]{ruleFact(r.id, groupOf(props), kind, props, defaults)}
	case "AWS::S3::Bucket", "AWS::S3::AccessPoint":
		return append(publicAccessFacts(r.id, props), publicACLFacts(r.id, props)...)
	case "AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Route":
		return apiFact(r, props)
	case "AWS::Lambda::Url":
		if auth, _ := props.Value("AuthType").(string); auth == "NONE" {
			return []keyed[fact]{{"AuthType NONE", fact{loc: r.id, row: ExposureDiff{Resource: r.id, Kind: KindFunctionURL,
				Detail: "AuthType: NONE", Risk: "public function URL: anyone who knows it can invoke the function"}}}}
		}
	}
	return nil
}

// pabSettings are the four switches of a public access block.
var pabSettings = []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}

const pabUnset = "PublicAccessBlockConfiguration: not set"

// publicAccessFacts lists each public access setting that is not on, or
// the missing configuration.
func publicAccessFacts(id string, props *templates.Map) []keyed[fact] {
	mk := func(detail, risk string) keyed[fact] {
		return keyed[fact]{detail, fact{loc: id, row: ExposureDiff{Resource: id, Kind: KindPublicAccess, Detail: detail, Risk: risk}}}
	}
	cfg, ok := props.Get("PublicAccessBlockConfiguration")
	if !ok {
		return []keyed[fact]{mk(pabUnset, "public access is not blocked by this resource's configuration")}
	}
	m, _ := cfg.(*templates.Map)
	if m == nil {
		return []keyed[fact]{mk("PublicAccessBlockConfiguration: "+Summarize(cfg), "public access may not be blocked")}
	}
	var out []keyed[fact]
	for _, s := range pabSettings {
		v, set := m.Get(s)
		if text, _ := scalarText(v); set && text == "true" {
			continue
		}
		value := "not set (false)"
		if set {
			value = Summarize(v)
		}
		out = append(out, mk(s+": "+value, s+" is off: public access through it is not blocked"))
	}
	return out
}

// publicACLs are the canned ACLs that let anyone (or any AWS account) in.
var publicACLs = map[string]bool{"PublicRead": true, "PublicReadWrite": true, "AuthenticatedRead": true}

// publicACLFacts: a bucket whose canned ACL grants everyone.
func publicACLFacts(id string, props *templates.Map) []keyed[fact] {
	acl, _ := props.Value("AccessControl").(string)
	if !publicACLs[acl] {
		return nil
	}
	return []keyed[fact]{{"AccessControl " + acl, fact{loc: id, row: ExposureDiff{Resource: id, Kind: KindPublicACL,
		Detail: "AccessControl: " + acl, Risk: "a canned ACL that grants everyone access (unless the public access block ignores public ACLs)"}}}}
}
