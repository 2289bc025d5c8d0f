package importer

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

// corpusFiles lists the templates under testdata/corpus.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("testdata/corpus", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".yaml", ".yml", ".json", ".template":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// foreignDialect are corpus templates CloudFormation would not accept: each
// uses a tag of the tool it was written for, which the import names.
var foreignDialect = map[string]string{
	"testdata/corpus/goformation-v7.14.9/test/yaml/sam-official-samples/hello_world/template.yaml": "the tag !Bucket is not CloudFormation's",
	"testdata/corpus/rain-v1.24.4/cft/pkg/tmpl/test-expect.yaml":                                   "the tag !Equals: is not CloudFormation's",
	"testdata/corpus/rain-v1.8.6/cft/pkg/tmpl/test-expect.yaml":                                    "the tag !Equals: is not CloudFormation's",
}

// TestCorpusImports imports every corpus template. Import itself builds the
// stack's template in memory and compares it with the input with the
// semantic diff, so a success here is a round trip; the compiled round trip
// (go build, go vet, formwork render, formwork diff) is in commands.
func TestCorpusImports(t *testing.T) {
	files := corpusFiles(t)
	if len(files) < 150 {
		t.Fatalf("the corpus has %d templates, want at least 150", len(files))
	}
	var failed []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Import(f, StackName(f), data, Options{Rules: templates.EngineRules()})
		if want, refused := foreignDialect[filepath.ToSlash(f)]; refused {
			if err == nil || !strings.Contains(err.Error(), want) {
				failed = append(failed, fmt.Sprintf("%s: want a refusal naming %s, got %v", f, want, err))
			}
			continue
		}
		if err != nil {
			failed = append(failed, f+": "+err.Error())
			continue
		}
		if formatted, err := format.Source(out); err != nil || !bytes.Equal(formatted, out) {
			failed = append(failed, f+": the source is not gofmt'd")
		}
	}
	t.Logf("%d of %d corpus templates import and round-trip", len(files)-len(failed), len(files))
	if len(failed) > 0 {
		t.Errorf("%d templates failed:\n%s", len(failed), strings.Join(failed, "\n"))
	}
}
