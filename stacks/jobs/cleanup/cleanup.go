package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Item is one thing the service holds.
type Item struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

// Result is what a run did; Lambda logs it as the invocation's result.
type Result struct {
	Checked int `json:"checked"`
	Deleted int `json:"deleted"`
}

// Expired is the deletion rule: an item goes once it was created more than
// maxAge before now. An item exactly maxAge old stays.
func Expired(created, now time.Time, maxAge time.Duration) bool {
	return now.Sub(created) > maxAge
}

// Cleanup lists every item, then deletes the expired ones.
func Cleanup(ctx context.Context, api *API, now time.Time, maxAge time.Duration) (Result, error) {
	items, err := api.List(ctx)
	if err != nil {
		return Result{}, err
	}
	result := Result{Checked: len(items)}
	for _, item := range items {
		if !Expired(item.CreatedAt, now, maxAge) {
			continue
		}
		if err := api.Delete(ctx, item.ID); err != nil {
			return result, err
		}
		result.Deleted++
	}
	return result, nil
}

// API is the service's HTTP API.
type API struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

type page struct {
	Items      []Item `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// List returns every item, page by page.
func (a *API) List(ctx context.Context) ([]Item, error) {
	var items []Item
	cursor := ""
	for {
		var p page
		if err := a.call(ctx, http.MethodGet, "/items?cursor="+url.QueryEscape(cursor), &p); err != nil {
			return nil, err
		}
		items = append(items, p.Items...)
		if p.NextCursor == "" || p.NextCursor == cursor {
			return items, nil
		}
		cursor = p.NextCursor
	}
}

// Delete deletes one item; an item already gone is not an error.
func (a *API) Delete(ctx context.Context, id string) error {
	err := a.call(ctx, http.MethodDelete, "/items/"+url.PathEscape(id), nil)
	var status statusError
	if errors.As(err, &status) && status.code == http.StatusNotFound {
		return nil
	}
	return err
}

type statusError struct {
	method, path string
	code         int
	body         string
}

func (e statusError) Error() string {
	return fmt.Sprintf("%s %s: the API answered %d %s: %s", e.method, e.path, e.code, http.StatusText(e.code), e.body)
}

// call sends one request and decodes a JSON answer into out, if not nil.
func (a *API) call(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(a.BaseURL, "/")+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Accept", "application/json")
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return statusError{method, path, resp.StatusCode, strings.TrimSpace(string(body))}
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: the answer is not the expected JSON: %w", method, path, err)
	}
	return nil
}
