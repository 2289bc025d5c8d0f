package importer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

var update = flag.Bool("update", false, "rewrite testdata/cases/*/want.go from the importer (review the diff)")

// TestImportCases holds the whole Go source the importer writes for each
// template under testdata/cases/<case>/: a change to the generated Go is a
// reviewed diff of want.go (go test ./internal/importer -run ImportCases
// -update).
func TestImportCases(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "cases", "*", "template.*"))
	if err != nil || len(inputs) < 4 {
		t.Fatalf("testdata/cases holds %d templates (%v)", len(inputs), err)
	}
	for _, input := range inputs {
		dir := filepath.Dir(input)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Import(filepath.Base(input), filepath.Base(dir), data, Options{Rules: templates.EngineRules()})
			if err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(dir, "want.go")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			expected, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v: run go test ./internal/importer -run ImportCases -update and review want.go", err)
			}
			if !bytes.Equal(expected, got) {
				t.Errorf("%s differs from the importer's output (run go test ./internal/importer -run ImportCases -update and review the diff):\n%s", want, got)
			}
		})
	}
}
