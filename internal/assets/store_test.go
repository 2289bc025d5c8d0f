package assets

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// envS3 is the Store on the AWS configuration of the environment set here.
func envS3(t *testing.T, vars ...string) s3Store {
	t.Helper()
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	for i := 0; i+1 < len(vars); i += 2 {
		t.Setenv(vars[i], vars[i+1])
	}
	s, err := S3(context.Background(), "", "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return s.(s3Store)
}

func TestS3Addressing(t *testing.T) {
	for _, c := range []struct {
		vars         []string
		bucket, want string
	}{
		{nil, "code", "https://code.s3.eu-west-1.amazonaws.com/formwork/abc.zip"},
		{[]string{"AWS_REGION", "cn-north-1"}, "code", "https://code.s3.cn-north-1.amazonaws.com.cn/formwork/abc.zip"},
		{nil, "my.dotted.bucket", "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/formwork/abc.zip"},
		{nil, "Old_Bucket", "https://s3.eu-west-1.amazonaws.com/Old_Bucket/formwork/abc.zip"},
		{nil, "team-code-2", "https://team-code-2.s3.eu-west-1.amazonaws.com/formwork/abc.zip"},
		{[]string{"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"}, "code", "http://127.0.0.1:9000/code/formwork/abc.zip"},
		{[]string{"AWS_ENDPOINT_URL", "http://moto:5000/"}, "code", "http://moto:5000/code/formwork/abc.zip"},
	} {
		req, err := envS3(t, c.vars...).object("HeadObject", http.MethodHead, c.bucket, "formwork/abc.zip")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(req.Endpoint.String(), "/") + req.Path; got != c.want {
			t.Errorf("%v %s: %s, want %s", c.vars, c.bucket, got, c.want)
		}
	}
}

// fakeS3 answers HEAD, GET and PUT of one object as S3 does.
func fakeS3(t *testing.T, handler http.HandlerFunc) s3Store {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return envS3(t, "AWS_ENDPOINT_URL_S3", srv.URL)
}

func TestS3StatReadsTheChecksum(t *testing.T) {
	body := []byte("zip bytes")
	sum := sha256.Sum256(body)
	var mode string
	s := fakeS3(t, func(w http.ResponseWriter, r *http.Request) {
		mode = r.Header.Get("X-Amz-Checksum-Mode")
		w.Header().Set("Content-Length", "9")
		w.Header().Set("X-Amz-Checksum-Sha256", base64.StdEncoding.EncodeToString(sum[:]))
	})
	o, err := s.Stat(context.Background(), "code", "k.zip")
	if err != nil || !o.Exists || o.Size != 9 || o.SHA256 != sum || mode != "ENABLED" {
		t.Errorf("%+v %v mode %q", o, err, mode)
	}
}

// An object without a stored checksum is read and hashed.
func TestS3StatHashesAnObjectWithoutChecksum(t *testing.T) {
	body := []byte("uploaded by another tool")
	s := fakeS3(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "24")
		if r.Method == http.MethodGet {
			w.Write(body)
		}
	})
	o, err := s.Stat(context.Background(), "code", "k.zip")
	if err != nil || o.SHA256 != sha256.Sum256(body) || o.Size != 24 {
		t.Errorf("%+v %v", o, err)
	}
}

func TestS3StatErrors(t *testing.T) {
	for status, want := range map[int]string{
		http.StatusNotFound:   "",
		http.StatusForbidden:  "s3://code/k.zip: access denied: the caller needs s3:GetObject and s3:ListBucket",
		http.StatusBadRequest: "cannot tell whether s3://code/k.zip exists: BadRequest",
	} {
		s := fakeS3(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) })
		o, err := s.Stat(context.Background(), "code", "k.zip")
		switch {
		case want == "" && (err != nil || o.Exists):
			t.Errorf("%d: %+v %v", status, o, err)
		case want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)):
			t.Errorf("%d: %v, want %s", status, err, want)
		}
	}
}

func TestS3PutSendsTheChecksum(t *testing.T) {
	body := []byte("the zip")
	sum := sha256.Sum256(body)
	var got http.Header
	var sent []byte
	s := fakeS3(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		sent, _ = io.ReadAll(r.Body)
	})
	if err := s.Put(context.Background(), "code", "formwork/k.zip", body, sum); err != nil {
		t.Fatal(err)
	}
	if string(sent) != "the zip" || got.Get("X-Amz-Checksum-Sha256") != base64.StdEncoding.EncodeToString(sum[:]) ||
		got.Get("Content-Type") != "application/zip" || !strings.Contains(got.Get("Authorization"), "/eu-west-1/s3/aws4_request") {
		t.Errorf("headers %v body %q", got, sent)
	}
}

func TestS3PutToAMissingBucket(t *testing.T) {
	s := fakeS3(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>code</BucketName></Error>`))
	})
	err := s.Put(context.Background(), "code", "k.zip", []byte("z"), sha256.Sum256([]byte("z")))
	if err == nil || err.Error() != "bucket code does not exist in eu-west-1: create it (aws s3 mb s3://code) or pass another --s3-bucket" {
		t.Errorf("%v", err)
	}
}

func TestS3BucketInAnotherRegion(t *testing.T) {
	s := fakeS3(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amz-Bucket-Region", "us-west-2")
		w.Header().Set("Location", "https://elsewhere.example/")
		w.WriteHeader(http.StatusMovedPermanently)
	})
	_, err := s.Stat(context.Background(), "code", "k.zip")
	want := "bucket code is in us-west-2, not eu-west-1: set AWS_REGION=us-west-2 (or the environment's region)"
	if err == nil || err.Error() != want {
		t.Errorf("stat: %v", err)
	}
	if err := s.Put(context.Background(), "code", "k.zip", []byte("z"), sha256.Sum256([]byte("z"))); err == nil || err.Error() != want {
		t.Errorf("put: %v", err)
	}
}
