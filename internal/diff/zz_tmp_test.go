package diff

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/formwork-dev/formwork/templates"
)

func BenchmarkTmpParseOnly(b *testing.B) {
	base, head := syntheticPair(benchResources)
	for i := 0; i < b.N; i++ {
		done := make(chan struct{})
		go func() { defer close(done); templates.Parse(head) }()
		templates.Parse(base)
		<-done
	}
}

func BenchmarkTmpTreesOnly(b *testing.B) {
	base, head := syntheticPair(benchResources)
	bt, _ := templates.Parse(base)
	ht, _ := templates.Parse(head)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		NewReport([]StackDiff{DiffTrees("s", bt, ht)})
	}
}

func BenchmarkTmpGolden(b *testing.B) {
	files, _ := filepath.Glob("../../golden/*.yaml")
	var bodies [][]byte
	for _, f := range files {
		data, _ := os.ReadFile(f)
		bodies = append(bodies, data)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var ds []StackDiff
		for j, body := range bodies {
			d, err := DiffTemplates(files[j], body, append([]byte(nil), body...))
			if err != nil {
				b.Fatal(err)
			}
			ds = append(ds, d)
		}
		NewReport(ds)
	}
}

func BenchmarkTmpGoldenParse(b *testing.B) {
	files, _ := filepath.Glob("../../golden/*.yaml")
	var bodies [][]byte
	for _, f := range files {
		data, _ := os.ReadFile(f)
		bodies = append(bodies, data)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, body := range bodies {
			templates.Parse(body)
		}
	}
}

func BenchmarkTmpCascade(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		base, head := syntheticPair(n)
		bs := strings.ReplaceAll(string(base), "    Type: AWS::S3::Bucket\n    Properties:\n", "    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: old\n")
		hs := strings.ReplaceAll(string(head), "    Type: AWS::S3::Bucket\n    Properties:\n", "    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: new\n")
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r := diffPair(b, []byte(bs), []byte(hs))
				if i == 0 {
					b.Logf("replaced %d", r.Summary.ResourcesReplaced)
				}
			}
		})
	}
}
