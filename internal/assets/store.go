package assets

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/formwork-dev/formwork/internal/awsapi"
	"github.com/formwork-dev/formwork/internal/cloud"
)

// Store is where assets are uploaded.
type Store interface {
	// Stat describes the object bucket holds at key; Exists is false when
	// there is none.
	Stat(ctx context.Context, bucket, key string) (Object, error)
	// Put uploads body, whose SHA-256 is sum, as key.
	Put(ctx context.Context, bucket, key string, body []byte, sum [32]byte) error
}

// Object is what a store holds at a key.
type Object struct {
	Exists bool
	Size   int64
	SHA256 [32]byte // of the object's bytes
}

// S3 is a Store on Amazon S3 with the AWS configuration as the AWS CLI
// resolves it (AWS_PROFILE, AWS_REGION, credentials from the environment,
// SSO or an instance role); region and profile, when not "", win over it.
// With a configured endpoint (AWS_ENDPOINT_URL(_S3), as for MinIO or moto)
// it addresses buckets by path.
func S3(ctx context.Context, region, profile string, timeout time.Duration) (Store, error) {
	client, err := awsapi.Load(ctx, awsapi.Options{Region: region, Profile: profile, Timeout: timeout})
	if err != nil {
		return nil, err
	}
	if client.Region == "" {
		return nil, fmt.Errorf("no AWS region to upload in: set AWS_REGION (the bucket's region) or a region in your AWS profile")
	}
	if timeout <= 0 {
		timeout = cloud.DefaultCallTimeout
	}
	return s3Store{client, timeout}, nil
}

type s3Store struct {
	client  *awsapi.Client
	timeout time.Duration
}

// uploadRate is the slowest upload formwork waits for: an upload's deadline
// is the call timeout plus a second for each 256 KB.
const uploadRate = 256 << 10

// object is the request for key in bucket: virtual-hosted
// (bucket.s3.REGION.amazonaws.com) on AWS, path-style on a configured
// endpoint or for a name that cannot be a host label (dots, which TLS
// would not match, capitals, underscores: older buckets).
func (s s3Store) object(operation, method, bucket, key string) (*awsapi.Request, error) {
	ep, err := s.client.Endpoint(awsapi.S3)
	if err != nil {
		return nil, err
	}
	base, path := *ep.URL, "/"+escapeKey(key)
	if ep.Custom || !hostLabel(bucket) {
		path = "/" + url.PathEscape(bucket) + path
	} else {
		base.Host = bucket + "." + base.Host
	}
	return &awsapi.Request{Service: awsapi.S3, Operation: operation, Method: method, Endpoint: &base, Path: path, Header: http.Header{}}, nil
}

// hostLabel reports a bucket name that is a DNS label: lower-case letters,
// digits and hyphens, 3 to 63 of them, a letter or digit at each end.
func hostLabel(bucket string) bool {
	if len(bucket) < 3 || len(bucket) > 63 || bucket[0] == '-' || bucket[len(bucket)-1] == '-' {
		return false
	}
	for _, r := range bucket {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// escapeKey escapes each segment of an object key, keeping its slashes.
func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// Stat reads the object's size and its SHA-256 checksum from HeadObject,
// as S3 keeps it for an object uploaded with one (as Put does); for any
// other object (a multipart upload, another tool's), it reads the object
// and hashes it.
func (s s3Store) Stat(ctx context.Context, bucket, key string) (Object, error) {
	req, err := s.object("HeadObject", http.MethodHead, bucket, key)
	if err != nil {
		return Object{}, err
	}
	req.Header.Set("X-Amz-Checksum-Mode", "ENABLED")
	head, err := s.client.Do(ctx, req)
	var stalled *cloud.StalledError
	api := awsapi.AsError(err)
	switch {
	case err == nil:
	case errors.As(err, &stalled):
		return Object{}, fmt.Errorf("cannot tell whether s3://%s/%s exists: %w", bucket, key, stalled)
	case api != nil && api.Status == http.StatusNotFound:
		return Object{}, nil
	case api != nil && api.Status == http.StatusMovedPermanently:
		return Object{}, s.elsewhere(bucket, api)
	case api != nil && api.Status == http.StatusForbidden:
		return Object{}, fmt.Errorf("s3://%s/%s: access denied: the caller needs s3:GetObject and s3:ListBucket on the bucket (and s3:PutObject to upload)", bucket, key)
	default:
		return Object{}, fmt.Errorf("cannot tell whether s3://%s/%s exists: %w", bucket, key, err)
	}
	size, err := strconv.ParseInt(head.Header.Get("Content-Length"), 10, 64)
	if err != nil {
		return Object{}, fmt.Errorf("s3://%s/%s: HeadObject gave no size (Content-Length %q)", bucket, key, head.Header.Get("Content-Length"))
	}
	o := Object{Exists: true, Size: size}
	if sum, err := base64.StdEncoding.DecodeString(head.Header.Get("X-Amz-Checksum-Sha256")); err == nil && len(sum) == len(o.SHA256) {
		copy(o.SHA256[:], sum)
		return o, nil
	}
	if o.Size > MaxZipped {
		return o, nil // not this zip, whatever it holds: the size says so
	}
	// The body is read within the call: its deadline is sized like an
	// upload's.
	if req, err = s.object("GetObject", http.MethodGet, bucket, key); err != nil {
		return Object{}, err
	}
	req.Timeout = s.timeout + time.Duration(o.Size/uploadRate)*time.Second
	got, err := s.client.Do(ctx, req)
	if err != nil {
		return Object{}, fmt.Errorf("cannot read s3://%s/%s to check it: %w", bucket, key, err)
	}
	o.SHA256 = sha256.Sum256(got.Body)
	return o, nil
}

// elsewhere is S3's answer for a bucket of another region.
func (s s3Store) elsewhere(bucket string, api *awsapi.Error) error {
	if region := api.Header.Get("X-Amz-Bucket-Region"); region != "" {
		return fmt.Errorf("bucket %s is in %s, not %s: set AWS_REGION=%s (or the environment's region)", bucket, region, s.client.Region, region)
	}
	return fmt.Errorf("bucket %s is not in %s: set AWS_REGION to the bucket's region", bucket, s.client.Region)
}

func (s s3Store) Put(ctx context.Context, bucket, key string, body []byte, sum [32]byte) error {
	req, err := s.object("PutObject", http.MethodPut, bucket, key)
	if err != nil {
		return err
	}
	req.Body = body
	req.Timeout = s.timeout + time.Duration(len(body)/uploadRate)*time.Second
	req.Header.Set("Content-Type", "application/zip")
	req.Header.Set("X-Amz-Checksum-Sha256", base64.StdEncoding.EncodeToString(sum[:]))
	req.Header.Set("X-Amz-Sdk-Checksum-Algorithm", "SHA256")
	_, err = s.client.Do(ctx, req)
	var stalled *cloud.StalledError
	switch api := awsapi.AsError(err); {
	case api != nil && api.Status == http.StatusMovedPermanently:
		return s.elsewhere(bucket, api)
	case api != nil && api.Code == "NoSuchBucket":
		return fmt.Errorf("bucket %s does not exist in %s: create it (aws s3 mb s3://%s) or pass another --s3-bucket", bucket, s.client.Region, bucket)
	case errors.As(err, &stalled):
		return fmt.Errorf("cannot upload s3://%s/%s: %w", bucket, key, stalled)
	case err != nil:
		return fmt.Errorf("cannot upload s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}
