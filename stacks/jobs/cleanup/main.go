// Command cleanup is scheduled-binary's job: on every run it deletes the
// items older than ITEM_MAX_AGE_DAYS from a third-party service's HTTP API.
//
// formwork package builds it for Lambda (provided.al2023, arm64, an
// executable called bootstrap). It reads its settings from the environment
// the stack gives it:
//
//	API_BASE_URL         the API, e.g. https://api.example.com/v1
//	API_TOKEN_PARAMETER  the SSM SecureString parameter holding the API token, or
//	API_TOKEN_SECRET_ARN the Secrets Manager secret holding it (as SecretString)
//	ITEM_MAX_AGE_DAYS    items created more than this many days ago are deleted
//
// The API it speaks, with the header "Authorization: Bearer TOKEN":
//
//	GET    {API_BASE_URL}/items?cursor=C  -> {"items": [{"id": "…", "created_at": "RFC 3339"}], "next_cursor": "…"}
//	DELETE {API_BASE_URL}/items/{id}      -> 2xx, or 404 when it is already gone
//
// A run first lists every page, then deletes, so deleting does not shift the
// pages it reads. It fails (and Lambda retries it) on the first API error.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

func main() {
	settings, err := settingsFrom(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(func(ctx context.Context, _ json.RawMessage) (Result, error) {
		aws, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return Result{}, err
		}
		token := settings.tokenReader(ssm.NewFromConfig(aws), secretsmanager.NewFromConfig(aws))
		return run(ctx, settings, token, http.DefaultClient, time.Now())
	})
}

// run is one invocation: read the token, then clean up.
func run(ctx context.Context, s Settings, readToken TokenReader, httpClient *http.Client, now time.Time) (Result, error) {
	token, err := readToken(ctx)
	if err != nil {
		return Result{}, err
	}
	api := &API{BaseURL: s.BaseURL, Token: token, HTTP: httpClient}
	result, err := Cleanup(ctx, api, now, s.MaxAge)
	log.Printf("checked %d items, deleted %d older than %s", result.Checked, result.Deleted, s.MaxAge)
	return result, err
}
