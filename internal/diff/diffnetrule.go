package diff

// Security-group rules, as the exposure table reads them: protocol, port
// range and peer, whether a rule is open to the internet, and whether one
// rule includes another (a widened range or CIDR).

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// groupOf names the security group a standalone rule belongs to: the
// logical id it refers to, else the id or name as written.
func groupOf(props *templates.Map) string {
	for _, k := range []string{"GroupId", "GroupName"} {
		if v, ok := props.Get(k); ok {
			if refs := references(v); len(refs) > 0 {
				return refs[0]
			}
			return Summarize(v)
		}
	}
	return "(no group)"
}

// netRule is a security-group rule: protocol, ports and peer.
type netRule struct {
	proto    string // tcp, udp, icmp, icmpv6, all, or as written
	from, to int
	ports    bool // from/to are numbers
	peer     string
	prefix   netip.Prefix
	isPrefix bool
	egress   bool
	group    string // the logical id (or id as written) of its security group
}

func ruleFact(holder, group, kind string, m *templates.Map, defaults map[string]string) keyed[fact] {
	rule := &netRule{proto: protocol(m.Value("IpProtocol")), egress: kind == KindEgress}
	from, okFrom := portNumber(m.Value("FromPort"))
	to, okTo := portNumber(m.Value("ToPort"))
	switch {
	case rule.proto == "all" || (from == -1 && to == -1) || (!hasKey(m, "FromPort") && !hasKey(m, "ToPort")):
		rule.from, rule.to, rule.ports = 0, 65535, true
	case okFrom && okTo:
		rule.from, rule.to, rule.ports = from, to, true
	}
	peer, cidr := peerOf(m, kind, defaults)
	rule.peer = peer
	if p, err := netip.ParsePrefix(cidr); err == nil {
		rule.prefix, rule.isPrefix = p.Masked(), true
	}
	key := rule.text()
	if !rule.ports {
		key += fmt.Sprintf(" (ports %s-%s)", Summarize(m.Value("FromPort")), Summarize(m.Value("ToPort")))
	}
	detail := key
	if holder != group {
		detail += " (group " + group + ")"
	}
	rule.group = group
	loc := ruleLocation(group, kind)
	return keyed[fact]{key, fact{loc: loc, rule: rule, row: ExposureDiff{Resource: holder, Kind: kind, Detail: detail}}}
}

// ruleLocation is where rules are matched: one group's ingress or egress.
func ruleLocation(group, kind string) string { return "group " + group + " " + kind }

func hasKey(m *templates.Map, k string) bool {
	_, ok := m.Get(k)
	return ok
}

// peerOf is the source (ingress) or destination (egress) of a rule, as
// written, and the CIDR it stands for: itself, or the Default of the
// parameter it refers to ("!Ref SshLocation (default 0.0.0.0/0)").
func peerOf(m *templates.Map, kind string, defaults map[string]string) (peer, cidr string) {
	keys := []string{"CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId"}
	if kind == KindEgress {
		keys = []string{"CidrIp", "CidrIpv6", "DestinationSecurityGroupId", "DestinationPrefixListId"}
	}
	for _, k := range keys {
		v, ok := m.Get(k)
		if !ok {
			continue
		}
		peer = Summarize(v)
		if fn, isRef := v.(templates.Fn); isRef && fn.Name == templates.FnRef {
			if name, _ := fn.Arg.(string); defaults[name] != "" {
				return peer + " (default " + defaults[name] + ")", defaults[name]
			}
		}
		return peer, peer
	}
	return "(no peer)", ""
}

// parameterDefaults maps each parameter with a scalar Default to it.
func parameterDefaults(tree *templates.Map) map[string]string {
	out := map[string]string{}
	params := templates.Section(tree, "Parameters")
	for _, name := range params.Keys() {
		if d, ok := field(params.Value(name), "Default"); ok {
			if text, isScalar := scalarText(d); isScalar && d != nil {
				out[name] = text
			}
		}
	}
	return out
}

var protocolNames = map[string]string{"-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}

func protocol(v any) string {
	text, _ := scalarText(v)
	if _, isFn := v.(templates.Fn); isFn {
		return Summarize(v)
	}
	text = strings.ToLower(text)
	if name, ok := protocolNames[text]; ok {
		return name
	}
	return text
}

func portNumber(v any) (int, bool) {
	text, ok := scalarText(v)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(text)
	return n, err == nil
}

func (r *netRule) text() string {
	dir := "from"
	if r.egress {
		dir = "to"
	}
	ports := ""
	switch {
	case r.proto == "all":
	case r.ports && r.from == 0 && r.to == 65535:
		ports = " all ports"
	case r.ports && r.from == r.to:
		ports = " " + strconv.Itoa(r.from)
	case r.ports:
		ports = fmt.Sprintf(" %d-%d", r.from, r.to)
	}
	return fmt.Sprintf("%s%s %s %s", r.proto, ports, dir, r.peer)
}

// worldOpen reports a rule whose peer is every IPv4 or IPv6 address.
func (r *netRule) worldOpen() bool {
	return r.isPrefix && r.prefix.Bits() == 0
}

// includes reports whether r allows at least everything old does:
// the same or a wider peer, protocol and port range.
func (r *netRule) includes(old *netRule) bool {
	samePeer := r.peer == old.peer || r.isPrefix && old.isPrefix && r.prefix.Addr().Is4() == old.prefix.Addr().Is4() &&
		r.prefix.Bits() <= old.prefix.Bits() && r.prefix.Contains(old.prefix.Addr())
	if !samePeer {
		return false
	}
	if r.proto != "all" && r.proto != old.proto {
		return false
	}
	if r.proto != "all" && (!r.ports || !old.ports || r.from > old.from || r.to < old.to) {
		return false
	}
	return true
}
