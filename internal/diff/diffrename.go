package diff

import (
	"sort"
	"strconv"

	"github.com/formwork-dev/formwork/templates"
)

// renameThreshold is the share of identical properties (percent) above which
// a removed and an added resource of the same type are called a rename.
const renameThreshold = 80

// pairRenames marks removed and added resources of the same type as a
// likely rename when they keep the same custom name (whatever else changed:
// the name makes them the same thing, and the update fails) or have
// near-identical properties; name matches first, then best matches.
func pairRenames(out []ResourceDiff, base, head *templates.Map) {
	type candidate struct {
		removed, added, score int
		sameName              bool
	}
	addedByType := renameTargets(out, head)
	var candidates []candidate
	for i, r := range out {
		if r.Change != Remove || len(addedByType[r.Type]) == 0 {
			continue
		}
		old := resourceOf(base, r.LogicalID)
		oldLeaves := leaves(old.props)
		for _, a := range addedByType[r.Type] {
			j, added := a.index, a.r
			score := similarity(oldLeaves, a.leaves)
			sameName := unchangedCustomName(old, added) != ""
			if score >= renameThreshold || sameName {
				candidates = append(candidates, candidate{i, j, score, sameName})
			}
		}
	}
	sort.SliceStable(candidates, func(a, b int) bool {
		if candidates[a].sameName != candidates[b].sameName {
			return candidates[a].sameName
		}
		return candidates[a].score > candidates[b].score
	})
	for _, c := range candidates {
		r, a := &out[c.removed], &out[c.added]
		if r.RenamedTo != "" || a.RenamedFrom != "" {
			continue
		}
		r.RenamedTo, a.RenamedFrom = a.LogicalID, r.LogicalID
		r.Similarity, a.Similarity = c.score, c.score
	}
}

// addedSide is an added resource that may be a renamed one, with its
// leaves.
type addedSide struct {
	index  int // in the resource diffs
	r      resourceSide
	leaves map[string]int
}

// renameTargets are the added resources of the types of the removed ones,
// by type: each one's leaves are read once.
func renameTargets(out []ResourceDiff, head *templates.Map) map[string][]addedSide {
	removedTypes := map[string]bool{}
	for _, r := range out {
		if r.Change == Remove {
			removedTypes[r.Type] = true
		}
	}
	byType := map[string][]addedSide{}
	for j, a := range out {
		if a.Change == Add && removedTypes[a.Type] {
			added := resourceOf(head, a.LogicalID)
			byType[a.Type] = append(byType[a.Type], addedSide{j, added, leaves(added.props)})
		}
	}
	return byType
}

// renames maps each likely renamed logical id to its new id.
func renames(resources []ResourceDiff) map[string]string {
	m := map[string]string{}
	for _, r := range resources {
		if r.RenamedTo != "" {
			m[r.LogicalID] = r.RenamedTo
		}
	}
	return m
}

// leaves flattens a value into "path=value" strings, one per scalar or
// intrinsic.
func leaves(v any) map[string]int {
	out := map[string]int{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch t := v.(type) {
		case *templates.Map:
			for _, k := range t.Keys() {
				walk(prefix+"."+k, t.Value(k))
			}
		case []any:
			for i, item := range t {
				walk(prefix+"["+strconv.Itoa(i)+"]", item)
			}
		default:
			out[prefix+"="+canonical(v)]++
		}
	}
	walk("", v)
	return out
}

// similarity is the percentage of leaves two values share.
func similarity(a, b map[string]int) int {
	total, common := 0, 0
	for k, n := range a {
		total += n
		common += min(n, b[k])
	}
	for _, n := range b {
		total += n
	}
	if total == 0 {
		return 100
	}
	return 200 * common / total
}
