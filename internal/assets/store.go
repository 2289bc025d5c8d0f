package assets

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// Store is where assets are uploaded.
type Store interface {
	// Has reports whether bucket holds key.
	Has(ctx context.Context, bucket, key string) (bool, error)
	// Put uploads body, whose SHA-256 is sum, as key.
	Put(ctx context.Context, bucket, key string, body []byte, sum [32]byte) error
}

// S3 is a Store on Amazon S3 through the AWS SDK's default configuration
// (AWS_PROFILE, AWS_REGION, credentials from the environment, SSO or an
// instance role); region and profile, when not "", win over it. With
// AWS_ENDPOINT_URL(_S3) set, as for MinIO or moto, it addresses buckets by
// path.
func S3(ctx context.Context, region, profile string) (Store, error) {
	var load []func(*config.LoadOptions) error
	if region != "" {
		load = append(load, config.WithRegion(region))
	}
	if profile != "" {
		load = append(load, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("cannot load the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("no AWS region to upload in: set AWS_REGION (the bucket's region) or a region in your AWS profile")
	}
	customEndpoint := os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	return s3Store{s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = customEndpoint })}, nil
}

type s3Store struct{ client *s3.Client }

func (s s3Store) Has(ctx context.Context, bucket, key string) (bool, error) {
	_, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	var resp *awshttp.ResponseError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusNotFound:
		return false, nil
	case errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusForbidden:
		return false, fmt.Errorf("s3://%s/%s: access denied: the caller needs s3:GetObject and s3:ListBucket on the bucket (and s3:PutObject to upload)", bucket, key)
	}
	return false, fmt.Errorf("cannot tell whether s3://%s/%s exists: %w", bucket, key, err)
}

func (s s3Store) Put(ctx context.Context, bucket, key string, body []byte, sum [32]byte) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))),
		ContentType:    aws.String("application/zip"),
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
	})
	var api smithy.APIError
	switch {
	case errors.As(err, &api) && api.ErrorCode() == "NoSuchBucket":
		return fmt.Errorf("bucket %s does not exist in %s: create it (aws s3 mb s3://%s) or pass another --s3-bucket", bucket, s.client.Options().Region, bucket)
	case err != nil:
		return fmt.Errorf("cannot upload s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}
