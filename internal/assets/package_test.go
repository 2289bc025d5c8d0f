package assets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/formwork-dev/formwork/internal/moto"
	"github.com/formwork-dev/formwork/templates"
)

// codeStack is a stack with one directory asset and its two parameters.
func codeStack(dir string) templates.Stack {
	return templates.Stack{Name: "code-stack", Description: "code from a directory", Build: func(t *templates.Template) {
		t.Asset(dirAsset(dir))
		t.Parameter("CodeBucket", cloudformation.Parameter{Type: "String"})
		t.Parameter("CodeKey", cloudformation.Parameter{Type: "String"})
		t.Output("Key", cloudformation.Output{Value: cloudformation.Ref("CodeKey")})
	}}
}

func testS3(t testing.TB) *s3.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle, o.DisableLogOutputChecksumValidationSkipped = true, true
	})
}

// TestPackageUploadsOnlyWhatIsMissing runs on moto's S3: the first package
// uploads the zip under its SHA-256, the second finds it and uploads
// nothing, and --out keeps a copy. A bucket that does not exist says so.
func TestPackageUploadsOnlyWhatIsMissing(t *testing.T) {
	moto.Start(t)
	ctx := context.Background()
	client := testS3(t)
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("code")}); err != nil {
		t.Fatal(err)
	}
	stack := codeStack(writeTree(t, map[string]string{"bootstrap": "#!/bin/sh\necho cleaned\n"}))
	out := t.TempDir()
	var log bytes.Buffer
	opts := Options{Bucket: "code", OutDir: out, Log: &log}

	first, err := PackageStack(ctx, stack, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || !first[0].Uploaded || first[0].Bucket != "code" {
		t.Fatalf("first package: %+v\n%s", first, &log)
	}
	p := first[0]
	if p.Key != "formwork/"+p.SHA256+".zip" {
		t.Errorf("key %s is not formwork/<sha256>.zip", p.Key)
	}
	obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("code"), Key: aws.String(p.Key)})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != p.SHA256 || int64(len(body)) != p.Size {
		t.Errorf("the object is not the zip: %d bytes", len(body))
	}
	if kept, err := os.ReadFile(filepath.Join(out, p.SHA256+".zip")); err != nil || !bytes.Equal(kept, body) {
		t.Errorf("--out copy: %v", err)
	}
	if !strings.Contains(log.String(), "bytes uploaded\n") {
		t.Errorf("no upload line:\n%s", &log)
	}

	log.Reset()
	opts.Store = &countingStore{Store: mustS3(t)}
	second, err := PackageStack(ctx, stack, opts)
	if err != nil {
		t.Fatal(err)
	}
	if second[0].Uploaded || second[0].Key != p.Key {
		t.Errorf("second package: %+v", second[0])
	}
	if puts := opts.Store.(*countingStore).puts; puts != 0 {
		t.Errorf("second package uploaded %d objects", puts)
	}
	if !strings.Contains(log.String(), "already there (same size and SHA-256), 0 bytes uploaded") {
		t.Errorf("the rerun does not say it uploaded nothing:\n%s", &log)
	}
	params, err := Package(ctx, stack, opts)
	if err != nil || params["CodeBucket"] != "code" || params["CodeKey"] != p.Key || len(params) != 2 {
		t.Errorf("params %v, %v", params, err)
	}

	_, err = PackageStack(ctx, stack, Options{Bucket: "no-such-bucket"})
	want := "Fn: bucket no-such-bucket does not exist in us-east-1: create it (aws s3 mb s3://no-such-bucket) or pass another --s3-bucket"
	if err == nil || err.Error() != want {
		t.Errorf("to a missing bucket: %v\nwant %s", err, want)
	}
}

func mustS3(t *testing.T) Store {
	t.Helper()
	s, err := S3(context.Background(), "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type countingStore struct {
	Store
	puts int
}

func (c *countingStore) Put(ctx context.Context, bucket, key string, body []byte, sum [32]byte) error {
	c.puts++
	return c.Store.Put(ctx, bucket, key, body, sum)
}

// fakeStore remembers what was put, without S3.
type fakeStore struct{ objects map[string][]byte }

func (f *fakeStore) Stat(_ context.Context, bucket, key string) (Object, error) {
	body, ok := f.objects[bucket+"/"+key]
	if !ok {
		return Object{}, nil
	}
	return Object{Exists: true, Size: int64(len(body)), SHA256: sha256.Sum256(body)}, nil
}

func (f *fakeStore) Put(_ context.Context, bucket, key string, body []byte, _ [32]byte) error {
	if f.objects == nil {
		f.objects = map[string][]byte{}
	}
	f.objects[bucket+"/"+key] = body
	return nil
}

func TestPackageOptions(t *testing.T) {
	stack := codeStack(writeTree(t, map[string]string{"bootstrap": "x"}))
	ctx := context.Background()
	t.Run("without a bucket it only builds", func(t *testing.T) {
		store := &fakeStore{}
		list, err := PackageStack(ctx, stack, Options{Store: store})
		if err != nil || len(list) != 1 || list[0].Uploaded || list[0].Bucket != "" || len(store.objects) != 0 {
			t.Fatalf("%+v %v %v", list, err, store.objects)
		}
		if params := Params(list); len(params) != 1 || params["CodeKey"] == "" {
			t.Errorf("params %v: want the key alone", params)
		}
	})
	t.Run("RequireUpload refuses no bucket before building", func(t *testing.T) {
		_, err := PackageStack(ctx, codeStack("/does/not/exist"), Options{RequireUpload: true})
		want := "code-stack: asset Fn must be uploaded before the stack is deployed: pass --s3-bucket BUCKET (or set FORMWORK_S3_BUCKET, or --param CodeBucket=BUCKET)"
		if err == nil || err.Error() != want {
			t.Fatalf("error %v\nwant %s", err, want)
		}
	})
	t.Run("a given key skips the asset", func(t *testing.T) {
		list, err := PackageStack(ctx, codeStack("/does/not/exist"), Options{RequireUpload: true, Given: map[string]string{"CodeKey": "mine.zip"}})
		if err != nil || len(list) != 0 {
			t.Fatalf("%+v %v", list, err)
		}
	})
	t.Run("a given bucket parameter is where it goes", func(t *testing.T) {
		store := &fakeStore{}
		list, err := PackageStack(ctx, stack, Options{Bucket: "flag", Prefix: "/jobs/v1/", Store: store, Given: map[string]string{"CodeBucket": "param"}})
		if err != nil || list[0].Bucket != "param" || !strings.HasPrefix(list[0].Key, "jobs/v1/"+list[0].SHA256) {
			t.Fatalf("%+v %v", list, err)
		}
		if _, ok := store.objects["param/"+list[0].Key]; !ok {
			t.Errorf("uploaded %v", store.objects)
		}
	})
	t.Run("an invalid asset declaration fails before anything is built", func(t *testing.T) {
		bad := templates.Stack{Name: "bad", Build: func(t *templates.Template) { t.Asset(dirAsset("x")) }}
		_, err := PackageStack(ctx, bad, Options{})
		if err == nil || !strings.Contains(err.Error(), `bad: asset Fn: parameter "CodeBucket" is not declared`) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an upload error names the asset", func(t *testing.T) {
		_, err := PackageStack(ctx, stack, Options{Bucket: "b", Store: failingStore{}})
		if err == nil || err.Error() != "Fn: access denied" {
			t.Fatalf("error %v", err)
		}
	})
}

type failingStore struct{}

func (failingStore) Stat(context.Context, string, string) (Object, error) {
	return Object{}, errors.New("access denied")
}
func (failingStore) Put(context.Context, string, string, []byte, [32]byte) error { return nil }

// An object under the content-addressed key that is not this zip (9 bytes
// under a zip's key) is an error naming it, not "already there".
func TestPackageRefusesAnotherObjectUnderTheKey(t *testing.T) {
	stack := codeStack(writeTree(t, map[string]string{"bootstrap": "x"}))
	ctx := context.Background()
	store := &fakeStore{}
	first, err := PackageStack(ctx, stack, Options{Bucket: "b", Store: store})
	if err != nil {
		t.Fatal(err)
	}
	store.objects["b/"+first[0].Key] = []byte("not a zip")
	_, err = PackageStack(ctx, stack, Options{Bucket: "b", Store: store})
	want := "Fn: s3://b/" + first[0].Key + " holds 9 bytes with SHA-256 "
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "delete it (aws s3 rm s3://b/"+first[0].Key+")") {
		t.Errorf("a foreign object: %v", err)
	}
	same := append([]byte(nil), store.objects["b/"+first[0].Key]...)
	same[0] = 'N' // same size, other bytes
	store.objects["b/"+first[0].Key] = same
	if _, err := PackageStack(ctx, stack, Options{Bucket: "b", Store: store}); err == nil {
		t.Errorf("an object of the same size with other bytes was trusted")
	}
}
