package report

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/internal/diff"
)

var updateDiff = flag.Bool("update", false, "rewrite the golden diff reports under ../testdata")

// diffTestdata holds the diff's cases: base and head templates and the
// report of their diff in each format.
const diffTestdata = "../testdata"

// jsonNull finds a null value in an indented JSON report.
var jsonNull = regexp.MustCompile(`: null(,?)\n`)

func diffCase(t testing.TB, name string) Diff {
	t.Helper()
	read := func(side string) []byte {
		matches, _ := filepath.Glob(filepath.Join(diffTestdata, name, side+".*"))
		if len(matches) != 1 {
			t.Fatalf("%s: want exactly one %s.yaml or %s.json, found %v", name, side, side, matches)
		}
		data, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	d, err := diff.DiffTemplates(name, read("base"), read("head"))
	if err != nil {
		t.Fatal(err)
	}
	return Diff{diff.NewReport([]diff.StackDiff{d})}
}

// TestDiffGolden checks every case's report in all three formats against
// report.txt, report.md and report.json (go test ./internal/diff/report -run Golden -update).
func TestDiffGolden(t *testing.T) {
	cases, err := os.ReadDir(diffTestdata)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.Name() == "fuzz" { // the fuzz tests' corpus
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			r := diffCase(t, c.Name())
			for format, file := range map[Format]string{FormatText: "report.txt", FormatMarkdown: "report.md", FormatJSON: "report.json"} {
				var got bytes.Buffer
				if err := r.Write(&got, format); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(diffTestdata, c.Name(), file)
				if *updateDiff {
					if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v: run go test ./internal/diff/report -run Golden -update", err)
				}
				if format == FormatJSON && jsonNull.MatchString(got.String()) {
					t.Errorf("%s: the JSON schema promises lists, never null:\n%s", path, got.String())
				}
				if got.String() != string(want) {
					t.Errorf("%s differs from the report (run go test ./internal/diff/report -run Golden -update and review):\n%s", path, got.String())
				}
			}
		})
	}
}

// TestMarkdownFitsAComment: a huge change still posts as one PR comment.
func TestMarkdownFitsAComment(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, "  Queue%d:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q%d\n      DelaySeconds: 5\n", i, i)
	}
	head := strings.ReplaceAll(b.String(), "DelaySeconds: 5", "DelaySeconds: 10")
	d, err := diff.DiffTemplates("big", []byte(b.String()), []byte(head))
	if err != nil {
		t.Fatal(err)
	}
	md := Diff{diff.NewReport([]diff.StackDiff{d})}.Markdown()
	if len(md) > MarkdownLimit+200 || !strings.Contains(md, "Details left out") {
		t.Errorf("markdown is %d characters (limit %d) or does not say details were left out", len(md), MarkdownLimit)
	}
}

func TestNoEchoDefaultNeverShown(t *testing.T) {
	base := []byte("Parameters:\n  Token:\n    Type: String\n    NoEcho: true\n    Default: old-secret-value\nResources:\n  T:\n    Type: AWS::SNS::Topic\n")
	head := []byte("Parameters:\n  Token:\n    Type: String\n    NoEcho: \"true\"\n    Default: new-secret-value\nResources:\n  T:\n    Type: AWS::SNS::Topic\n")
	d, err := diff.DiffTemplates("s", base, head)
	if err != nil {
		t.Fatal(err)
	}
	r := Diff{diff.NewReport([]diff.StackDiff{d})}
	for _, f := range []Format{FormatText, FormatMarkdown, FormatJSON} {
		var b strings.Builder
		if err := r.Write(&b, f); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "secret-value") {
			t.Errorf("%s report shows a NoEcho default:\n%s", f, b.String())
		}
		if !strings.Contains(b.String(), "****") {
			t.Errorf("%s report does not say the NoEcho default changed:\n%s", f, b.String())
		}
	}
}

// FuzzReports: any two templates render in every format without a panic,
// and the JSON keeps its promise of lists, never null.
func FuzzReports(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(diffTestdata, "*", "base.*"))
	for _, base := range files {
		heads, _ := filepath.Glob(filepath.Join(filepath.Dir(base), "head.*"))
		b, _ := os.ReadFile(base)
		if len(heads) == 1 {
			h, _ := os.ReadFile(heads[0])
			f.Add(b, h)
		}
	}
	f.Fuzz(func(t *testing.T, base, head []byte) {
		d, err := diff.DiffTemplates("fuzz", base, head)
		if err != nil {
			return
		}
		r := Diff{diff.NewReport([]diff.StackDiff{d})}
		var b strings.Builder
		if err := r.Write(&b, FormatJSON); err != nil {
			t.Fatal(err)
		}
		if jsonNull.MatchString(b.String()) {
			t.Errorf("null in the JSON report:\n%s", b.String())
		}
		r.Text()
		r.Markdown()
	})
}

// BenchmarkReports: the three formats of the report of every case.
func BenchmarkReports(b *testing.B) {
	cases, _ := os.ReadDir(diffTestdata)
	var reports []Diff
	for _, c := range cases {
		if c.IsDir() && c.Name() != "fuzz" {
			reports = append(reports, diffCase(b, c.Name()))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range reports {
			for _, f := range []Format{FormatText, FormatMarkdown, FormatJSON} {
				if err := r.Write(io.Discard, f); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
