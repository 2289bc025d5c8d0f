// Package templates turns a goformation template into canonical CloudFormation
// YAML or JSON, and checks it for the mistakes CloudFormation would only report
// at deploy time. It is the engine: it knows CloudFormation and no particular
// AWS service (the rules that do are in stacks/rules, the blocks in
// stacks/blocks).
//
// The smallest use declares a resource and renders it, checked by the rules
// it is handed (here the engine's own: references, attributes, limits):
//
//	t := templates.New("notes", "a topic for notes")
//	t.Resource("Topic", &sns.Topic{}, "where notes are announced")
//	body, err := templates.Render(t, templates.YAML, templates.EngineRules())
//
// Internally a template is a tree of plain values: string, json.Number, bool,
// nil, []any, *Map (an ordered mapping) and Fn (an intrinsic function call).
// Keeping mapping order explicit is what makes the output canonical: the order
// a stack declared things in is the order a reviewer reads them in.
package templates

// Map is a mapping that remembers the order its keys were set in. Its
// entries are two parallel slices: most mappings of a template hold a few
// keys, where a scan is faster than hashing and costs no allocation. A
// mapping that grows past indexFrom keys (a large Resources section) also
// keeps an index from key to position.
type Map struct {
	keys  []string
	vals  []any          // vals[i] is the value under keys[i]
	index map[string]int // position of each key; nil below indexFrom keys
}

// indexFrom is the number of keys from which a Map keeps an index.
const indexFrom = 16

// NewMap returns an empty ordered mapping.
func NewMap() *Map { return newMapSized(smallMapKeys) }

// smallMapKeys is the room of a mapping allocated in one piece: most of a
// template's mappings (intrinsics, tags, statements, property types) hold
// a few keys.
const smallMapKeys = 4

// tinyMap and smallMap are a mapping and the room for its first keys: one
// allocation instead of three.
type (
	tinyMap struct {
		m    Map
		keys [2]string
		vals [2]any
	}
	smallMap struct {
		m    Map
		keys [smallMapKeys]string
		vals [smallMapKeys]any
	}
)

// newMapSized returns an empty mapping with room for n keys.
func newMapSized(n int) *Map {
	switch {
	case n <= 2:
		s := &tinyMap{}
		s.m.keys, s.m.vals = s.keys[:0], s.vals[:0]
		return &s.m
	case n <= smallMapKeys:
		s := &smallMap{}
		s.m.keys, s.m.vals = s.keys[:0], s.vals[:0]
		return &s.m
	}
	return &Map{keys: make([]string, 0, n), vals: make([]any, 0, n)}
}

// find is the position of k, or -1.
func (m *Map) find(k string) int {
	if m.index != nil {
		if i, ok := m.index[k]; ok {
			return i
		}
		return -1
	}
	for i, key := range m.keys {
		if key == k {
			return i
		}
	}
	return -1
}

// Set stores v under k; a new key goes last, an existing key keeps its place.
func (m *Map) Set(k string, v any) {
	if i := m.find(k); i >= 0 {
		m.vals[i] = v
		return
	}
	if m.keys == nil { // most mappings hold a few keys: grow once, not at 1, 2 and 4
		m.keys, m.vals = make([]string, 0, 4), make([]any, 0, 4)
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	switch {
	case m.index != nil:
		m.index[k] = len(m.keys) - 1
	case len(m.keys) > indexFrom:
		m.reindex()
	}
}

// reindex rebuilds the index after keys moved.
func (m *Map) reindex() {
	if len(m.keys) <= indexFrom {
		m.index = nil
		return
	}
	m.index = make(map[string]int, len(m.keys))
	for i, k := range m.keys {
		m.index[k] = i
	}
}

// Get returns the value under k.
func (m *Map) Get(k string) (any, bool) {
	if i := m.find(k); i >= 0 {
		return m.vals[i], true
	}
	return nil, false
}

// sortKeys orders the entries by key with cmp, keeping the order of equal
// keys. It is an insertion sort: it orders the few attributes of a resource
// or variables of a !Sub, in place and without allocating.
func (m *Map) sortKeys(cmp func(a, b string) int) {
	for i := 1; i < len(m.keys); i++ {
		for j := i; j > 0 && cmp(m.keys[j-1], m.keys[j]) > 0; j-- {
			m.keys[j-1], m.keys[j] = m.keys[j], m.keys[j-1]
			m.vals[j-1], m.vals[j] = m.vals[j], m.vals[j-1]
		}
	}
	if m.index != nil {
		m.reindex()
	}
}

// Delete removes k.
func (m *Map) Delete(k string) {
	i := m.find(k)
	if i < 0 {
		return
	}
	m.keys = append(m.keys[:i], m.keys[i+1:]...)
	m.vals = append(m.vals[:i], m.vals[i+1:]...)
	if m.index != nil {
		m.reindex()
	}
}

// Keys returns the keys in order. The slice must not be modified.
func (m *Map) Keys() []string { return m.keys }

// Len is the number of keys.
func (m *Map) Len() int { return len(m.keys) }

// Fn is a call of an intrinsic function, e.g. Fn{"Fn::Sub", "${AWS::Region}"}
// or Fn{"Ref", "Bucket"}. Arg holds the function's argument as CloudFormation
// defines it in long form.
type Fn struct {
	Name string
	Arg  any
}

// Intrinsic function names, long form, as they appear in JSON templates.
const (
	FnRef         = "Ref"
	FnCondition   = "Condition"
	FnSub         = "Fn::Sub"
	FnGetAtt      = "Fn::GetAtt"
	FnJoin        = "Fn::Join"
	FnSelect      = "Fn::Select"
	FnSplit       = "Fn::Split"
	FnIf          = "Fn::If"
	FnEquals      = "Fn::Equals"
	FnAnd         = "Fn::And"
	FnOr          = "Fn::Or"
	FnNot         = "Fn::Not"
	FnFindInMap   = "Fn::FindInMap"
	FnImportValue = "Fn::ImportValue"
	FnBase64      = "Fn::Base64"
	FnCidr        = "Fn::Cidr"
	FnGetAZs      = "Fn::GetAZs"
	FnLength      = "Fn::Length"
	FnToJSON      = "Fn::ToJsonString"
	FnTransform   = "Fn::Transform"
)

// shortTags maps each function that has a YAML short form to its tag.
var shortTags = map[string]string{
	FnRef: "!Ref", FnCondition: "!Condition", FnSub: "!Sub", FnGetAtt: "!GetAtt",
	FnJoin: "!Join", FnSelect: "!Select", FnSplit: "!Split", FnIf: "!If",
	FnEquals: "!Equals", FnAnd: "!And", FnOr: "!Or", FnNot: "!Not",
	FnFindInMap: "!FindInMap", FnImportValue: "!ImportValue", FnBase64: "!Base64",
	FnCidr: "!Cidr", FnGetAZs: "!GetAZs",
}

// longNames maps a short-form tag back to its function name.
var longNames = func() map[string]string {
	m := make(map[string]string, len(shortTags))
	for long, tag := range shortTags {
		m[tag] = long
	}
	return m
}()

// isFunctionName reports whether k names an intrinsic function that may appear
// as the single key of a mapping. "Condition" is excluded: as a key it is far
// more often a property (IAM statements, resource attributes) than a function.
func isFunctionName(k string) bool {
	switch k {
	case FnCondition:
		return false
	case FnLength, FnToJSON, FnTransform:
		return true
	}
	_, ok := shortTags[k]
	return ok
}

// asFn returns the intrinsic a single-key mapping stands for, if it is one.
func asFn(m *Map, conditionContext bool) (Fn, bool) {
	if m.Len() != 1 {
		return Fn{}, false
	}
	k := m.keys[0]
	if k == FnCondition {
		s, ok := m.vals[0].(string)
		return Fn{Name: k, Arg: s}, ok && conditionContext
	}
	if !isFunctionName(k) {
		return Fn{}, false
	}
	return Fn{Name: k, Arg: m.vals[0]}, true
}

// ShortTag returns the YAML short-form tag of an intrinsic function, such as
// "!Sub" for "Fn::Sub", and whether it has one.
func ShortTag(name string) (string, bool) {
	tag, ok := shortTags[name]
	return tag, ok
}

// Value returns the value of k, or nil when k is absent.
func (m *Map) Value(k string) any {
	v, _ := m.Get(k)
	return v
}
