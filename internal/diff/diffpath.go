package diff

import (
	"strconv"
	"strings"

	"github.com/formwork-dev/formwork/templates"
)

// change is one difference found by diffValue, before it is described.
type change struct {
	path     []any // string keys and int list indices
	kind     string
	old, new any
}

func formatPath(path []any) string {
	var b strings.Builder
	for _, seg := range path {
		switch s := seg.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}

func extend(path []any, seg any) []any {
	return append(append(make([]any, 0, len(path)+1), path...), seg)
}

// diffValue appends the differences between old and new, as deep as both
// sides stay mappings or equally long lists. Intrinsics are compared whole.
func diffValue(path []any, old, new any, out *[]change) {
	if sameValue(old, new) {
		return
	}
	om, oldIsMap := old.(*templates.Map)
	nm, newIsMap := new.(*templates.Map)
	if oldIsMap && newIsMap {
		diffMaps(path, om, nm, out)
		return
	}
	ol, oldIsList := old.([]any)
	nl, newIsList := new.([]any)
	if oldIsList && newIsList {
		diffLists(path, ol, nl, out)
		return
	}
	*out = append(*out, change{path, Modify, old, new})
}

func diffMaps(path []any, old, new *templates.Map, out *[]change) {
	for _, k := range new.Keys() {
		ov, inOld := old.Get(k)
		if !inOld {
			*out = append(*out, change{extend(path, k), Add, nil, new.Value(k)})
			continue
		}
		diffValue(extend(path, k), ov, new.Value(k), out)
	}
	for _, k := range old.Keys() {
		if _, inNew := new.Get(k); !inNew {
			*out = append(*out, change{extend(path, k), Remove, old.Value(k), nil})
		}
	}
}

// diffLists compares equally long lists element by element; otherwise it
// matches equal elements (longest common subsequence) and reports the rest
// as removed (old index) and added (new index).
func diffLists(path []any, old, new []any, out *[]change) {
	if len(old) == len(new) {
		for i := range old {
			diffValue(extend(path, i), old[i], new[i], out)
		}
		return
	}
	if len(old)*len(new) > maxAlign {
		diffListTails(path, old, new, out)
		return
	}
	keep := commonSubsequence(canonicalAll(old), canonicalAll(new))
	for i := range old {
		if _, kept := keep.old[i]; !kept {
			*out = append(*out, change{extend(path, i), Remove, old[i], nil})
		}
	}
	for j := range new {
		if _, kept := keep.new[j]; !kept {
			*out = append(*out, change{extend(path, j), Add, nil, new[j]})
		}
	}
}

// maxAlign bounds the work (and memory) of aligning two lists.
const maxAlign = 1_000_000

// diffListTails compares very long lists position by position and reports
// the longer one's tail as added or removed.
func diffListTails(path []any, old, new []any, out *[]change) {
	n := min(len(old), len(new))
	for i := 0; i < n; i++ {
		diffValue(extend(path, i), old[i], new[i], out)
	}
	for i := n; i < len(old); i++ {
		*out = append(*out, change{extend(path, i), Remove, old[i], nil})
	}
	for j := n; j < len(new); j++ {
		*out = append(*out, change{extend(path, j), Add, nil, new[j]})
	}
}

func canonicalAll(list []any) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = canonical(v)
	}
	return out
}

// matching holds the indices a longest common subsequence keeps.
type matching struct{ old, new map[int]int }

func commonSubsequence(a, b []string) matching {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	keep := matching{map[int]int{}, map[int]int{}}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			keep.old[i], keep.new[j] = j, i
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	return keep
}

// valuesAt returns the canonical text of every value at a dotted registry
// path ("VpcConfig.SubnetIds", "Tags.*.Key"), "*" standing for every list
// element. A missing value contributes nothing.
func valuesAt(v any, segs []string) []string {
	if len(segs) == 0 {
		return []string{canonical(v)}
	}
	switch t := v.(type) {
	case *templates.Map:
		if child, ok := t.Get(segs[0]); ok {
			return valuesAt(child, segs[1:])
		}
	case []any:
		if segs[0] == "*" {
			var out []string
			for _, item := range t {
				out = append(out, valuesAt(item, segs[1:])...)
			}
			return out
		}
	}
	return nil
}

// matchesPrefix reports whether pattern (registry segments, "*" for any list
// index) matches the start of path.
func matchesPrefix(pattern []string, path []any) bool {
	if len(pattern) > len(path) {
		return false
	}
	for i, p := range pattern {
		switch seg := path[i].(type) {
		case int:
			if p != "*" {
				return false
			}
		case string:
			if p != seg {
				return false
			}
		}
	}
	return true
}

// pathIsPrefixOf reports whether path leads into pattern: the change is to a
// mapping or list that contains a create-only property.
func pathIsPrefixOf(path []any, pattern []string) bool {
	return len(path) < len(pattern) && matchesPrefix(pattern[:len(path)], path)
}
