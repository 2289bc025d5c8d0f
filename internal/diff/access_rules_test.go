package diff

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// TestAccessRules runs every testdata/access-* pair: each plants, per
// rule, resources named Widen* whose change must broaden access (an
// exposure row marked broadens, so --fail-on broadening exits 3) and
// resources named Narrow* whose change must not.
func TestAccessRules(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(diffTestdata, "access-*"))
	if len(dirs) == 0 {
		t.Fatal("no testdata/access-* cases")
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			r := diffCase(t, name)
			d := r.Stacks[0]
			broadening := map[string]bool{}
			for _, e := range d.Exposure {
				if e.Broadens {
					broadening[e.Resource] = true
				}
			}
			for _, s := range d.IAM {
				if s.Broadens && strings.HasPrefix(s.Resource, "Narrow") {
					t.Errorf("%s: IAM row broadens: %+v", s.Resource, s)
				}
			}
			_, head := readPair(t, dir)
			tree, err := templates.Parse(head)
			if err != nil {
				t.Fatal(err)
			}
			var widen []string
			for _, id := range templates.Section(tree, "Resources").Keys() {
				switch {
				case strings.HasPrefix(id, "Widen"):
					widen = append(widen, id)
					if !broadening[id] {
						t.Errorf("%s widens access but has no broadening exposure row:\n%s", id, dump(r))
					}
				case strings.HasPrefix(id, "Narrow") && broadening[id]:
					t.Errorf("%s narrows access but is reported as broadening:\n%s", id, dump(r))
				}
			}
			if len(widen) == 0 {
				t.Fatalf("%s plants no Widen* resource", name)
			}
			if !r.Broadens() || r.Summary.Broadening < len(widen) {
				t.Errorf("summary counts %d broadening changes, want at least %d (%s)", r.Summary.Broadening, len(widen), strings.Join(widen, ", "))
			}
		})
	}
}

// TestEveryAccessCaseHasAReport keeps the access cases in the golden set.
func TestEveryAccessCaseHasAReport(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(diffTestdata, "access-*"))
	sort.Strings(dirs)
	for _, dir := range dirs {
		for _, f := range []string{"report.txt", "report.md", "report.json"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v (go test ./internal/diff/report -run Golden -update)", dir, err)
			}
		}
	}
}

// TestChangedConditionIsNoDroppedCondition: a permission whose SourceArn
// points at another rule keeps a condition; no exposure row says it lost one.
func TestChangedConditionIsNoDroppedCondition(t *testing.T) {
	perm := "Resources:\n  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Action: lambda:InvokeFunction\n      Principal: events.amazonaws.com\n      SourceArn: %s\n"
	d, err := DiffTemplates("s", []byte(strings.Replace(perm, "%s", "arn:aws:events:eu-west-1:123456789012:rule/a", 1)),
		[]byte(strings.Replace(perm, "%s", "arn:aws:events:eu-west-1:123456789012:rule/b", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Exposure) != 0 {
		t.Errorf("a changed SourceArn is reported as exposure: %+v", d.Exposure)
	}
}
