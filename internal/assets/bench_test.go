package assets

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/formwork-dev/formwork/internal/moto"
)

// The package benchmarks (make bench runs them 3 times each: a build takes
// seconds). The job is built once per test binary for the zip and upload
// benchmarks.

var jobBinary = sync.OnceValues(func() ([]byte, error) {
	return buildGo(context.Background(), "Job", cleanupJob, repoRoot)
})

func benchBinary(b *testing.B) []byte {
	b.Helper()
	if _, err := jobBinary(); err != nil {
		b.Fatal(err)
	}
	bin, _ := jobBinary()
	return bin
}

// BenchmarkPackageJob is formwork package's work for scheduled-binary
// with a warm build cache: go build, zip, SHA-256.
func BenchmarkPackageJob(b *testing.B) {
	benchBinary(b) // warm the cache
	b.ResetTimer()
	for range b.N {
		m, err := makeZip(context.Background(), goAsset(cleanupJob), repoRoot)
		if err != nil {
			b.Fatal(err)
		}
		sha256.Sum256(m.zip)
		b.SetBytes(m.unzipped)
	}
}

// BenchmarkZipJob is the zip and hash alone, of the job's binary.
func BenchmarkZipJob(b *testing.B) {
	bin := benchBinary(b)
	b.SetBytes(int64(len(bin)))
	b.ResetTimer()
	for range b.N {
		zip, err := writeZip([]entry{{name: "bootstrap", exec: true, data: bin}})
		if err != nil {
			b.Fatal(err)
		}
		sha256.Sum256(zip)
	}
}

// BenchmarkUploadJob is the first upload (HEAD, then PUT) of the job's zip
// to moto's S3, and BenchmarkRerunJob a rerun (HEAD only).
func BenchmarkUploadJob(b *testing.B) { benchUpload(b, false) }
func BenchmarkRerunJob(b *testing.B)  { benchUpload(b, true) }

func benchUpload(b *testing.B, rerun bool) {
	zip, err := writeZip([]entry{{name: "bootstrap", exec: true, data: benchBinary(b)}})
	if err != nil {
		b.Fatal(err)
	}
	moto.Start(b)
	ctx := context.Background()
	store, err := S3(ctx, "", "", 0)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := testS3(b).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(zip)
	p := &packager{Options: Options{Store: store, Log: io.Discard}}
	if rerun {
		if _, err := p.upload(ctx, "Job", "bench", "same.zip", zip, sum); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(zip)))
	b.ResetTimer()
	for i := range b.N {
		key := "same.zip"
		if !rerun {
			key = fmt.Sprintf("new-%d.zip", i)
		}
		uploaded, err := p.upload(ctx, "Job", "bench", key, zip, sum)
		if err != nil || uploaded == rerun {
			b.Fatalf("uploaded %v, %v", uploaded, err)
		}
	}
}
