package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func TestExpired(t *testing.T) {
	cases := []struct {
		name    string
		created time.Time
		want    bool
	}{
		{"just made", now.Add(-time.Minute), false},
		{"one second short of the age", now.Add(-30*day + time.Second), false},
		{"exactly the age", now.Add(-30 * day), false},
		{"one second past the age", now.Add(-30*day - time.Second), true},
		{"a year old", now.Add(-365 * day), true},
		{"created in the future (clock skew)", now.Add(time.Hour), false},
		{"in another zone, past the age", now.Add(-31 * day).In(time.FixedZone("UTC+9", 9*3600)), true},
	}
	for _, c := range cases {
		if got := Expired(c.created, now, 30*day); got != c.want {
			t.Errorf("%s: Expired = %v, want %v", c.name, got, c.want)
		}
	}
}

// fakeService is the API: pages of two items, a log of deletions, and an
// optional failure for one path.
type fakeService struct {
	t       *testing.T
	items   []Item
	failOn  string // "METHOD path" answered with 500
	mu      sync.Mutex
	deleted []string
}

func (f *fakeService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer s3cret" {
		http.Error(w, `{"error":"bad token"}`, http.StatusUnauthorized)
		return
	}
	if f.failOn == r.Method+" "+r.URL.Path {
		http.Error(w, `{"error":"database is down"}`, http.StatusInternalServerError)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/items":
		start := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			start = slices.IndexFunc(f.items, func(i Item) bool { return i.ID == c })
		}
		end := min(start+2, len(f.items))
		p := page{Items: f.items[start:end]}
		if end < len(f.items) {
			p.NextCursor = f.items[end].ID
		}
		_ = json.NewEncoder(w).Encode(p)
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/v1/items/"):
		id := strings.TrimPrefix(r.URL.Path, "/v1/items/")
		f.mu.Lock()
		f.deleted = append(f.deleted, id)
		f.mu.Unlock()
		if id == "gone" {
			http.NotFound(w, r)
		}
	default:
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	}
}

func serve(t *testing.T, f *fakeService) *API {
	f.t = t
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &API{BaseURL: srv.URL + "/v1/", Token: "s3cret", HTTP: srv.Client()}
}

func items() []Item {
	return []Item{
		{"a-new", now.Add(-1 * day)},
		{"b-old", now.Add(-40 * day)},
		{"c-edge", now.Add(-30 * day)},
		{"d-old", now.Add(-31 * day)},
		{"gone", now.Add(-90 * day)},
	}
}

func TestCleanupDeletesOnlyExpiredItemsOnEveryPage(t *testing.T) {
	f := &fakeService{items: items()}
	got, err := Cleanup(context.Background(), serve(t, f), now, 30*day)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Result{Checked: 5, Deleted: 3}); got != want {
		t.Errorf("result %+v, want %+v", got, want)
	}
	if want := []string{"b-old", "d-old", "gone"}; !slices.Equal(f.deleted, want) {
		t.Errorf("deleted %v, want %v", f.deleted, want)
	}
}

func TestCleanupStopsOnAnAPIError(t *testing.T) {
	cases := map[string]struct {
		failOn      string
		wantDeleted []string
		wantErr     string
	}{
		"listing fails":  {"GET /v1/items", nil, "GET /items?cursor=: the API answered 500 Internal Server Error: {\"error\":\"database is down\"}"},
		"a delete fails": {"DELETE /v1/items/d-old", []string{"b-old"}, "DELETE /items/d-old: the API answered 500"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fakeService{items: items(), failOn: c.failOn}
			_, err := Cleanup(context.Background(), serve(t, f), now, 30*day)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, c.wantErr)
			}
			if !slices.Equal(f.deleted, c.wantDeleted) {
				t.Errorf("deleted %v, want %v", f.deleted, c.wantDeleted)
			}
		})
	}
}

func TestCleanupRefusedToken(t *testing.T) {
	api := serve(t, &fakeService{items: items()})
	api.Token = "wrong"
	_, err := Cleanup(context.Background(), api, now, 30*day)
	if err == nil || !strings.Contains(err.Error(), "401 Unauthorized") {
		t.Fatalf("error %v, want the API's 401", err)
	}
}

// fakeStore is SSM holding one parameter, or failing.
type fakeStore struct {
	params map[string]string
	err    error
}

func (f fakeStore) GetParameter(_ context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	if !aws.ToBool(in.WithDecryption) {
		return nil, errors.New("read without decryption")
	}
	v, ok := f.params[aws.ToString(in.Name)]
	if !ok {
		return nil, &types.ParameterNotFound{Message: aws.String("not found")}
	}
	return &ssm.GetParameterOutput{Parameter: &types.Parameter{Value: aws.String(v)}}, nil
}

func TestRunReadsTheTokenFromSSM(t *testing.T) {
	f := &fakeService{items: items()}
	api := serve(t, f)
	s := Settings{BaseURL: api.BaseURL, TokenParameter: "/cleanup/api-token", MaxAge: 30 * day}
	token := s.tokenReader(fakeStore{params: map[string]string{"/cleanup/api-token": "s3cret"}}, nil)
	got, err := run(context.Background(), s, token, api.HTTP, now)
	if err != nil || got.Deleted != 3 {
		t.Fatalf("run = %+v, %v; want 3 deleted", got, err)
	}
}

func TestMissingToken(t *testing.T) {
	cases := map[string]struct {
		store   fakeStore
		wantErr string
	}{
		"no such parameter":  {fakeStore{}, "SSM parameter /cleanup/api-token does not exist: create it with aws ssm put-parameter --type SecureString"},
		"empty parameter":    {fakeStore{params: map[string]string{"/cleanup/api-token": ""}}, "SSM parameter /cleanup/api-token is empty"},
		"SSM refuses access": {fakeStore{err: errors.New("AccessDeniedException")}, "cannot read the API token from SSM parameter /cleanup/api-token: AccessDeniedException"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fakeService{items: items()}
			api := serve(t, f)
			s := Settings{BaseURL: api.BaseURL, TokenParameter: "/cleanup/api-token", MaxAge: 30 * day}
			_, err := run(context.Background(), s, s.tokenReader(c.store, nil), api.HTTP, now)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, c.wantErr)
			}
			if len(f.deleted) > 0 {
				t.Errorf("deleted %v without a token", f.deleted)
			}
		})
	}
}

func TestSettingsFromEnvironment(t *testing.T) {
	good := map[string]string{"API_BASE_URL": "https://api.example.com/v1", "API_TOKEN_PARAMETER": "/cleanup/api-token", "ITEM_MAX_AGE_DAYS": "30"}
	s, err := settingsFrom(func(k string) string { return good[k] })
	if err != nil || s.MaxAge != 30*day || s.TokenParameter != "/cleanup/api-token" {
		t.Fatalf("settings %+v, %v", s, err)
	}
	cases := map[string]struct{ key, value, wantErr string }{
		"no token":         {"API_TOKEN_PARAMETER", "", "set one of API_TOKEN_PARAMETER (an SSM parameter name) or API_TOKEN_SECRET_ARN"},
		"two tokens":       {"API_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:t", "set one of API_TOKEN_PARAMETER"},
		"plain http":       {"API_BASE_URL", "http://api.example.com", "must be an https:// URL"},
		"no URL":           {"API_BASE_URL", "", "must be an https:// URL"},
		"age not a number": {"ITEM_MAX_AGE_DAYS", "thirty", "whole number of days"},
		"age zero":         {"ITEM_MAX_AGE_DAYS", "0", "at least 1"},
	}
	for name, c := range cases {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		env[c.key] = c.value
		if _, err := settingsFrom(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: error %v, want %q", name, err, c.wantErr)
		}
	}
}

// fakeSecrets is Secrets Manager holding one secret, or failing.
type fakeSecrets struct {
	secrets map[string]*string
	err     error
}

func (f fakeSecrets) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	v, ok := f.secrets[aws.ToString(in.SecretId)]
	if !ok {
		return nil, &smtypes.ResourceNotFoundException{Message: aws.String("not found")}
	}
	return &secretsmanager.GetSecretValueOutput{SecretString: v}, nil
}

func TestTokenFromSecretsManager(t *testing.T) {
	const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cleanup-token"
	cases := map[string]struct {
		store   fakeSecrets
		wantErr string
	}{
		"the secret":      {fakeSecrets{secrets: map[string]*string{arn: aws.String("s3cret")}}, ""},
		"no such secret":  {fakeSecrets{}, "secret " + arn + " does not exist: create it with aws secretsmanager create-secret"},
		"a binary secret": {fakeSecrets{secrets: map[string]*string{arn: nil}}, "holds no SecretString: put the API token in it as text"},
		"access denied":   {fakeSecrets{err: errors.New("AccessDeniedException")}, "cannot read the API token from secret " + arn + ": AccessDeniedException"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fakeService{items: items()}
			api := serve(t, f)
			s := Settings{BaseURL: api.BaseURL, TokenSecret: arn, MaxAge: 30 * day}
			got, err := run(context.Background(), s, s.tokenReader(nil, c.store), api.HTTP, now)
			if c.wantErr == "" {
				if err != nil || got.Deleted != 3 {
					t.Fatalf("run = %+v, %v", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %v, want %q", err, c.wantErr)
			}
			if len(f.deleted) > 0 {
				t.Errorf("deleted %v without a token", f.deleted)
			}
		})
	}
}
