package diff

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// TestCascadeAgreesWithRestarting holds cascadeReplacements to the way it
// was first written, which restarted from the first resource after every
// change, and parameterReplacements and DiffDeployment to their first
// versions, which inserted each resource they added at once (and parsed
// both templates again): the same verdicts, properties and order,
// on random chains of VPCs, subnets, security groups and instances in
// random order, replaced (a new CIDR) or maybe replaced (a new tenancy,
// written or the changed default of a parameter) at random.
func TestCascadeAgreesWithRestarting(t *testing.T) {
	rng := rand.New(rand.NewSource(28))
	cascades := 0
	for c := 0; c < 300; c++ {
		base, head := randomChain(rng, 3+rng.Intn(25))
		baseTree, headTree := mustParse(t, []byte(base)), mustParse(t, []byte(head))
		b, h := templates.Section(baseTree, "Resources"), templates.Section(headTree, "Resources")
		defaults := changedDefaults(baseTree, headTree)
		want := parameterReplacementsOneByOne(cascadeByRestart(directChanges(b, h, nil), b, h), b, h, defaults)
		got := parameterReplacements(cascadeReplacements(directChanges(b, h, nil), b, h), b, h, defaults)
		if got, want := mustDiffDeployment(t, base, head), mustDiffDeploymentOneByOne(t, base, head); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: the deployment diff differs from marking one by one\nbase:\n%s\nhead:\n%s\ngot:  %+v\nwant: %+v", c, base, head, got, want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: the cascade differs from restarting\nbase:\n%s\nhead:\n%s\ngot:  %+v\nwant: %+v", c, base, head, got, want)
		}
		for _, d := range got {
			for _, p := range d.Properties {
				if p.Change == Indirect {
					cascades++
				}
			}
		}
	}
	if cascades < 300 {
		t.Errorf("only %d cascaded properties in 300 cases: the cases test too little", cascades)
	}
}

// randomChain writes n resources, each referring to earlier-made ones, in
// random order, and the same with some VPCs changed.
func randomChain(rng *rand.Rand, n int) (base, head string) {
	var b, h strings.Builder
	b.WriteString("Parameters:\n  Tenancy: {Type: String, Default: default}\nResources:\n")
	h.WriteString("Parameters:\n  Tenancy: {Type: String, Default: " + []string{"default", "dedicated"}[rng.Intn(2)] + "}\nResources:\n")
	var vpcs, subnets, groups []string
	var lines [][2]string
	pick := func(list []string) string { return list[rng.Intn(len(list))] }
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("R%d", i)
		var body, changed string
		switch {
		case len(vpcs) == 0 || rng.Intn(4) == 0:
			vpcs = append(vpcs, id)
			body = "{Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16, InstanceTenancy: default}}"
			switch rng.Intn(5) {
			case 4: // maybe replaced where the deployment takes the parameter's default
				body = "{Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16, InstanceTenancy: !Ref Tenancy}}"
			case 0:
				changed = "{Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16, InstanceTenancy: default}}"
			case 1:
				changed = "{Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16, InstanceTenancy: dedicated}}"
			}
		case len(subnets) == 0 || rng.Intn(3) == 0:
			subnets = append(subnets, id)
			body = fmt.Sprintf("{Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref %s, CidrBlock: 10.0.0.0/24, Ipv6CidrBlock: !GetAtt %s.Ipv6CidrBlocks}}", pick(vpcs), pick(vpcs))
		case len(groups) == 0 || rng.Intn(2) == 0:
			groups = append(groups, id)
			body = fmt.Sprintf("{Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: g, VpcId: !Ref %s}}", pick(vpcs))
		default:
			body = fmt.Sprintf("{Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref %s, SecurityGroupIds: [!Ref %s]}}", pick(subnets), pick(groups))
		}
		if changed == "" {
			changed = body
		}
		lines = append(lines, [2]string{fmt.Sprintf("  %s: %s\n", id, body), fmt.Sprintf("  %s: %s\n", id, changed)})
	}
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] }) // a reference may come first
	for _, l := range lines {
		b.WriteString(l[0])
		h.WriteString(l[1])
	}
	return b.String(), h.String()
}

// cascadeByRestart is cascadeReplacements as first written.
func cascadeByRestart(out []ResourceDiff, base, head *templates.Map) []ResourceDiff {
	for changed := true; changed; {
		changed = false
		replaced := map[string]Replacement{}
		index := map[string]int{}
		for i, d := range out {
			index[d.LogicalID] = i
			if d.Change == Modify && (d.Replacement == ReplaceYes || d.Replacement == ReplaceMaybe) {
				replaced[d.LogicalID] = d.Replacement
			}
		}
		for _, id := range head.Keys() {
			if _, inBase := base.Get(id); !inBase || replaced[id] == ReplaceYes {
				continue
			}
			p, ok := indirectReplacement(resourceOf(head, id), replaced, "")
			if !ok || p.Replaces == replaced[id] {
				continue
			}
			if i, listed := index[id]; listed {
				if out[i].Replacement.Worse(p.Replaces) == out[i].Replacement && hasPath(out[i], p.Path) {
					continue
				}
				out[i].Properties = append(out[i].Properties, p)
				out[i].Replacement = out[i].Replacement.Worse(p.Replaces)
			} else {
				d := addedResource(resourceOf(head, id))
				d.Change, d.Replacement, d.Properties = Modify, p.Replaces, []PropertyDiff{p}
				out = insertInOrder(out, d, head)
			}
			changed = true
			break // indices moved: start over
		}
	}
	return out
}

// parameterReplacementsOneByOne is parameterReplacements as first written.
// parameterReplacements marks resources whose create-only properties refer
// to a parameter whose Default changed: they are replaced when a deployment
// takes the default, which the template alone cannot tell.
func parameterReplacementsOneByOne(out []ResourceDiff, base, head *templates.Map, changed map[string]Replacement) []ResourceDiff {
	if len(changed) == 0 {
		return out
	}
	index := map[string]int{}
	for i, d := range out {
		index[d.LogicalID] = i
	}
	for _, id := range head.Keys() {
		i, listed := index[id]
		if _, inBase := base.Get(id); !inBase || (listed && out[i].Replacement == ReplaceYes) {
			continue
		}
		p, ok := indirectReplacement(resourceOf(head, id), changed, ", "+defaultChangedWhy+": what happens depends on whether the deployment uses the default")
		if !ok {
			continue
		}
		if p.Replaces != ReplaceNo {
			p.Replaces = ReplaceUnknown
		}
		if listed {
			out[i].Properties = append(out[i].Properties, p)
			out[i].Replacement = out[i].Replacement.Worse(p.Replaces)
			continue
		}
		d := addedResource(resourceOf(head, id))
		d.Change, d.Replacement, d.Properties = Modify, p.Replaces, []PropertyDiff{p}
		out = insertInOrder(out, d, head)
		index = map[string]int{}
		for i, d := range out {
			index[d.LogicalID] = i
		}
	}
	return out
}

// insertInOrder places d among the resources in head order, before any
// removed resource.
func insertInOrder(out []ResourceDiff, d ResourceDiff, head *templates.Map) []ResourceDiff {
	pos := map[string]int{}
	for i, id := range head.Keys() {
		pos[id] = i
	}
	at := len(out)
	for i, r := range out {
		p, inHead := pos[r.LogicalID]
		if r.Change == Remove || !inHead || p > pos[d.LogicalID] {
			at = i
			break
		}
	}
	return append(out[:at], append([]ResourceDiff{d}, out[at:]...)...)
}

func mustDiffDeployment(t *testing.T, base, head string) StackDiff {
	d, err := DiffDeployment("s", []byte(base), []byte(head), []string{"Tenancy"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustDiffDeploymentOneByOne(t *testing.T, base, head string) StackDiff {
	d, err := diffDeploymentOneByOne("s", []byte(base), []byte(head), []string{"Tenancy"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// diffDeploymentOneByOne is DiffDeployment as first written.
func diffDeploymentOneByOne(stack string, deployed, head []byte, changed, unreadable []string) (StackDiff, error) {
	d, err := DiffTemplates(stack, deployed, head)
	if err != nil || deployed == nil || head == nil || len(changed)+len(unreadable) == 0 {
		return d, err
	}
	base, _ := templates.Parse(deployed)
	tree, err := templates.Parse(head)
	if err != nil {
		return d, err
	}
	baseRes, headRes := templates.Section(base, "Resources"), templates.Section(tree, "Resources")
	params, secret := set(changed), set(unreadable)
	for _, id := range headRes.Keys() {
		if _, inBase := baseRes.Get(id); !inBase {
			continue
		}
		props := parameterProperties(resourceOf(headRes, id), params, secret)
		if len(props) == 0 {
			continue
		}
		d.Resources = markParameterChangeOneByOne(d.Resources, resourceOf(headRes, id), props, tree)
	}
	if d.Status == StackUnchanged && len(d.Resources) > 0 {
		d.Status = StackModified
	}
	return d, nil
}

// markParameterChangeOneByOne adds the parameter-driven properties to r's entry,
// creating a Modify entry when the template diff had none.
func markParameterChangeOneByOne(out []ResourceDiff, r resourceSide, props []PropertyDiff, head *templates.Map) []ResourceDiff {
	replacement := ReplaceNo
	for _, p := range props {
		replacement = replacement.Worse(p.Replaces)
	}
	for i := range out {
		if out[i].LogicalID == r.id {
			out[i].Properties = append(out[i].Properties, props...)
			out[i].Replacement = out[i].Replacement.Worse(replacement)
			return out
		}
	}
	d := addedResource(r)
	d.Change, d.Replacement, d.Properties = Modify, replacement, props
	d.Notes, d.Failures = []string{}, []string{}
	return insertInOrder(out, d, templates.Section(head, "Resources"))
}
