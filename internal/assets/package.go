// Package assets makes the files a stack declares with templates.Asset
// (Lambda code) and uploads them: a Go main package built reproducibly for
// linux/arm64, a directory or a zip; each zip named by the SHA-256 of its
// bytes and uploaded only when the bucket does not hold it yet.
package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/formwork-dev/formwork/templates"
	"github.com/formwork-dev/formwork/templates/golden"
)

// DefaultPrefix is where in the bucket assets go: PREFIX/<sha256>.zip.
const DefaultPrefix = "formwork"

// Options say where sources are, and where their zips go.
type Options struct {
	// Dir is where the assets' relative paths start; "" is the working
	// directory.
	Dir string
	// Bucket is the S3 bucket to upload to; "" only builds (unless Given
	// names a bucket for an asset).
	Bucket string
	// Prefix starts every key (slashes around it are dropped); "" is
	// DefaultPrefix.
	Prefix string
	// OutDir, when set, receives a copy of every zip as <sha256>.zip.
	OutDir string
	// Given are parameter values the user set. An asset whose key parameter
	// is given is not packaged (the user supplies the object); one whose
	// bucket parameter is given uploads to that bucket.
	Given map[string]string
	// RequireUpload refuses, before building anything, an asset with no
	// bucket to go to: what deploy needs.
	RequireUpload bool
	// Log receives the progress lines; nil discards them.
	Log io.Writer
	// Store uploads; nil is S3 with the default AWS configuration, in
	// Region and with Profile when they are set.
	Store           Store
	Region, Profile string
	// Timeout bounds each S3 call (an upload gets more, by its size); 0
	// is cloud.DefaultCallTimeout.
	Timeout time.Duration
}

// Packaged is one asset made, and uploaded when it had a bucket.
type Packaged struct {
	Asset    templates.Asset
	Key      string
	SHA256   string
	Size     int64 // bytes of the zip
	Unzipped int64 // bytes of its content
	Bucket   string
	Uploaded bool // false when the bucket held the key already, or there is no bucket
}

// Params are the parameter values that point the stack at the uploaded
// objects: the key parameter always, the bucket parameter when uploaded.
func Params(list []Packaged) map[string]string {
	out := map[string]string{}
	for _, p := range list {
		out[p.Asset.KeyParameter] = p.Key
		if p.Bucket != "" {
			out[p.Asset.BucketParameter] = p.Bucket
		}
	}
	return out
}

// Package makes and uploads the stack's assets and returns the parameter
// values that use them: what deploy, plan and apply pass to CloudFormation.
func Package(ctx context.Context, s templates.Stack, opts Options) (map[string]string, error) {
	list, err := PackageStack(ctx, s, opts)
	if err != nil {
		return nil, err
	}
	return Params(list), nil
}

// PackageStack makes every asset of s (except those whose key the user gave)
// in declaration order, and uploads those that have a bucket and are not in
// it yet.
func PackageStack(ctx context.Context, s templates.Stack, opts Options) ([]Packaged, error) {
	t := s.Template()
	if _, err := t.Tree(); err != nil {
		return nil, err
	}
	p := &packager{Options: opts}
	if p.Log == nil {
		p.Log = io.Discard
	}
	if p.Prefix = strings.Trim(p.Prefix, "/"); p.Prefix == "" {
		p.Prefix = DefaultPrefix
	}
	var todo []templates.Asset
	for _, a := range t.Assets() {
		if _, given := opts.Given[a.KeyParameter]; given {
			continue
		}
		if opts.RequireUpload && p.bucketFor(a) == "" {
			return nil, fmt.Errorf("%s: asset %s must be uploaded before the stack is deployed: pass --s3-bucket BUCKET (or set FORMWORK_S3_BUCKET, or --param %s=BUCKET)", s.Name, a.Name, a.BucketParameter)
		}
		todo = append(todo, a)
	}
	var out []Packaged
	for _, a := range todo {
		done, err := p.one(ctx, a)
		if err != nil {
			return out, err
		}
		out = append(out, done)
	}
	return out, nil
}

type packager struct {
	Options
	store Store
}

func (p *packager) bucketFor(a templates.Asset) string {
	if b := p.Given[a.BucketParameter]; b != "" {
		return b
	}
	return p.Bucket
}

func (p *packager) one(ctx context.Context, a templates.Asset) (Packaged, error) {
	start := time.Now()
	fmt.Fprintf(p.Log, "build %s (%s)...\n", a.Name, a.Source)
	m, err := makeZip(ctx, a, p.Dir)
	if err != nil {
		var be *BuildError
		if errors.As(err, &be) {
			for _, line := range be.FirstLines(10) {
				fmt.Fprintln(p.Log, "  "+line)
			}
		}
		return Packaged{}, err
	}
	sum := sha256.Sum256(m.zip)
	done := Packaged{Asset: a, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(m.zip)), Unzipped: m.unzipped}
	done.Key = path.Join(p.Prefix, done.SHA256+".zip")
	fmt.Fprintf(p.Log, "build %s done in %s: %s, %d bytes (%d unzipped)\n", a.Name, since(start), done.Key, done.Size, done.Unzipped)
	if p.OutDir != "" {
		if err := golden.WriteFileAtomic(filepath.Join(p.OutDir, done.SHA256+".zip"), m.zip); err != nil {
			return Packaged{}, fmt.Errorf("%s: %w", a.Name, err)
		}
	}
	if bucket := p.bucketFor(a); bucket != "" {
		done.Bucket = bucket
		done.Uploaded, err = p.upload(ctx, a.Name, bucket, done.Key, m.zip, sum)
	}
	return done, err
}

// upload puts the zip unless the bucket holds its key already, with the
// same size and SHA-256: the key is the content's hash, but anyone who may
// write to the bucket can put other bytes under it.
func (p *packager) upload(ctx context.Context, name, bucket, key string, zip []byte, sum [32]byte) (bool, error) {
	if p.store == nil {
		p.store = p.Store
		if p.store == nil {
			s3, err := S3(ctx, p.Region, p.Profile, p.Timeout)
			if err != nil {
				return false, err
			}
			p.store = s3
		}
	}
	start := time.Now()
	url := "s3://" + bucket + "/" + key
	fmt.Fprintf(p.Log, "upload %s to %s...\n", name, url)
	have, err := p.store.Stat(ctx, bucket, key)
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	if have.Exists {
		if have.Size != int64(len(zip)) || have.SHA256 != sum {
			return false, fmt.Errorf("%s: %s holds %d bytes with SHA-256 %x, not this zip (%d bytes, %x): someone wrote another object under its key; delete it (aws s3 rm %s) and package again",
				name, url, have.Size, have.SHA256, len(zip), sum, url)
		}
		fmt.Fprintf(p.Log, "upload %s done in %s: already there (same size and SHA-256), 0 bytes uploaded\n", name, since(start))
		return false, nil
	}
	if err := p.store.Put(ctx, bucket, key, zip, sum); err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(p.Log, "upload %s done in %s: %d bytes uploaded\n", name, since(start), len(zip))
	return true, nil
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }
