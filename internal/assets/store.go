package assets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
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

// S3 is a Store on Amazon S3 through the AWS SDK's default configuration
// (AWS_PROFILE, AWS_REGION, credentials from the environment, SSO or an
// instance role); region and profile, when not "", win over it. With
// AWS_ENDPOINT_URL(_S3) set, as for MinIO or moto, it addresses buckets by
// path.
func S3(ctx context.Context, region, profile string, timeout time.Duration) (Store, error) {
	cfg, err := cloud.Config(ctx, region, profile, timeout)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("no AWS region to upload in: set AWS_REGION (the bucket's region) or a region in your AWS profile")
	}
	if timeout <= 0 {
		timeout = cloud.DefaultCallTimeout
	}
	customEndpoint := os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	return s3Store{s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = customEndpoint }), timeout}, nil
}

type s3Store struct {
	client  *s3.Client
	timeout time.Duration
}

// uploadRate is the slowest upload formwork waits for: an upload's deadline
// is the call timeout plus a second for each 256 KB.
const uploadRate = 256 << 10

// Stat reads the object's size and its SHA-256 checksum from HeadObject,
// as S3 keeps it for an object uploaded with one (as Put does); for any
// other object (a multipart upload, another tool's), it reads the object
// and hashes it.
func (s s3Store) Stat(ctx context.Context, bucket, key string) (Object, error) {
	head, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
	var resp *awshttp.ResponseError
	var stalled *cloud.StalledError
	switch {
	case err == nil:
	case errors.As(err, &stalled):
		return Object{}, fmt.Errorf("cannot tell whether s3://%s/%s exists: %w", bucket, key, stalled)
	case errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusNotFound:
		return Object{}, nil
	case errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusForbidden:
		return Object{}, fmt.Errorf("s3://%s/%s: access denied: the caller needs s3:GetObject and s3:ListBucket on the bucket (and s3:PutObject to upload)", bucket, key)
	default:
		return Object{}, fmt.Errorf("cannot tell whether s3://%s/%s exists: %w", bucket, key, err)
	}
	o := Object{Exists: true, Size: aws.ToInt64(head.ContentLength)}
	if sum, err := base64.StdEncoding.DecodeString(aws.ToString(head.ChecksumSHA256)); err == nil && len(sum) == len(o.SHA256) {
		copy(o.SHA256[:], sum)
		return o, nil
	}
	if o.Size > MaxZipped {
		return o, nil // not this zip, whatever it holds: the size says so
	}
	// The body is read after the call returns, so the call's own deadline
	// would cut it off: the read gets one sized like an upload's.
	ctx, cancel := context.WithTimeoutCause(ctx, s.timeout+time.Duration(o.Size/uploadRate)*time.Second,
		&cloud.StalledError{Timeout: s.timeout, Service: "S3", Operation: "GetObject"})
	defer cancel()
	got, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		func(o *s3.Options) {
			o.APIOptions = append(o.APIOptions, cloud.WithoutDeadline)
			o.DisableLogOutputChecksumValidationSkipped = true // formwork hashes the bytes itself
		})
	if err != nil {
		return Object{}, fmt.Errorf("cannot read s3://%s/%s to check it: %w", bucket, key, err)
	}
	defer got.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(got.Body, MaxZipped+1)); err != nil {
		return Object{}, fmt.Errorf("cannot read s3://%s/%s to check it: %w", bucket, key, err)
	}
	copy(o.SHA256[:], h.Sum(nil))
	return o, nil
}

func (s s3Store) Put(ctx context.Context, bucket, key string, body []byte, sum [32]byte) error {
	ctx, cancel := context.WithTimeoutCause(ctx, s.timeout+time.Duration(len(body)/uploadRate)*time.Second,
		&cloud.StalledError{Timeout: s.timeout, Service: "S3", Operation: "PutObject"})
	defer cancel()
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))),
		ContentType:    aws.String("application/zip"),
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
	}, func(o *s3.Options) { o.APIOptions = append(o.APIOptions, cloud.WithoutDeadline) })
	var api smithy.APIError
	var stalled *cloud.StalledError
	switch {
	case errors.As(err, &api) && api.ErrorCode() == "NoSuchBucket":
		return fmt.Errorf("bucket %s does not exist in %s: create it (aws s3 mb s3://%s) or pass another --s3-bucket", bucket, s.client.Options().Region, bucket)
	case err != nil && errors.As(context.Cause(ctx), &stalled):
		return fmt.Errorf("cannot upload s3://%s/%s: %w", bucket, key, stalled)
	case err != nil:
		return fmt.Errorf("cannot upload s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}
