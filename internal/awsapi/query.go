package awsapi

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Query calls an operation of an AWS Query protocol service (CloudFormation,
// STS): a form POST of Action, Version and the parameters, answered in XML
// whose <ActionResult> element is decoded into out (nil: not read).
func (c *Client) Query(ctx context.Context, s Service, version, action string, params url.Values, out any) error {
	return c.query(ctx, s, version, action, params, out, false)
}

func (c *Client) query(ctx context.Context, s Service, version, action string, params url.Values, out any, unsigned bool) error {
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("Action", action)
	form.Set("Version", version)
	resp, err := c.Do(ctx, &Request{Service: s, Operation: action, Method: http.MethodPost, Path: "/",
		Header:   http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}},
		Body:     []byte(form.Encode()),
		Unsigned: unsigned})
	if err != nil || out == nil {
		return err
	}
	if err := decodeResult(resp.Body, action+"Result", out); err != nil {
		return fmt.Errorf("%s %s answered XML formwork cannot read: %v", s.ID, action, err)
	}
	return nil
}

// decodeResult decodes the element named result into out; an answer
// without one (an operation that returns nothing) leaves out as it is.
func decodeResult(body []byte, result string, out any) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if start, ok := tok.(xml.StartElement); ok && start.Name.Local == result {
			return d.DecodeElement(out, &start)
		}
	}
}
