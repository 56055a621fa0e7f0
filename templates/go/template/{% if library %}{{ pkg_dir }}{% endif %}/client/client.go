// Package client is a typed Go client for the items API.
//
// Every method takes a context, sends one request and decodes the answer. A response
// in the API's error format comes back as an [*Error], so callers can tell a missing
// item from a conflict or a validation failure:
//
//	c, err := client.New("http://localhost:8080")
//	if err != nil {
//		return err
//	}
//	item, err := c.CreateItem(ctx, client.CreateItemRequest{Name: "lamp"})
//	if client.IsConflict(err) {
//		// an item named lamp exists already
//	}
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds each request made with the default HTTP client.
const DefaultTimeout = 30 * time.Second

// maxErrorBody bounds how much of an unexpected response is kept in an Error.
const maxErrorBody = 4 << 10

// Item is an item as the API returns it.
type Item struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description *string   `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ItemList is one page of items.
type ItemList struct {
	Items  []Item `json:"items"`
	Total  int    `json:"total"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
}

// ListOptions selects a page of items. Zero values leave the server's defaults.
type ListOptions struct {
	// Limit is the most items on the page (the server allows 1 to 100; default 20).
	Limit int
	// Offset is how many matching items to skip.
	Offset int
	// Name keeps the items whose name contains it, ignoring case.
	Name string
	// Sort is id, name or created_at, with a leading "-" for descending order.
	Sort string
}

// CreateItemRequest is the body of CreateItem.
type CreateItemRequest struct {
	Name        string  `json:"name"`
	Description *string `json:"description,omitempty"`
}

// UpdateItemRequest is a partial update: nil fields are left unchanged. Set
// ClearDescription to remove the description.
type UpdateItemRequest struct {
	Name             *string
	Description      *string
	ClearDescription bool
}

// MarshalJSON sends only the fields to change, and description null to clear it.
func (r UpdateItemRequest) MarshalJSON() ([]byte, error) {
	body := make(map[string]any, 2)
	if r.Name != nil {
		body["name"] = *r.Name
	}
	switch {
	case r.ClearDescription:
		body["description"] = nil
	case r.Description != nil:
		body["description"] = *r.Description
	}
	return json.Marshal(body)
}

// FieldError is one invalid field named by a validation error.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error response of the API.
type Error struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int `json:"-"`
	// Code is the error code of the body, such as "not_found" or "validation_error";
	// empty when the body was not in the API's error format.
	Code string `json:"code"`
	// Message explains the error.
	Message string `json:"message"`
	// Details lists the invalid fields of a validation error.
	Details []FieldError `json:"details"`
}

func (e *Error) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("HTTP %d: %s", e.StatusCode, e.Message)
	}
	return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.StatusCode, e.Message)
}

// IsNotFound reports whether err is an API error with status 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports whether err is an API error with status 409.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsValidation reports whether err is an API error with status 422.
func IsValidation(err error) bool { return hasStatus(err, http.StatusUnprocessableEntity) }

func hasStatus(err error, status int) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// Client calls the items API. It is safe for concurrent use.
type Client struct {
	base *url.URL
	hc   *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the client send its requests through hc, for example to set
// a transport, a timeout or authentication.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.hc = hc }
}

// New returns a client for the API at baseURL, such as "http://localhost:8080".
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("client: base URL: %w", err)
	}
	if (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("client: base URL %q: want http:// or https:// and a host", baseURL)
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	c := &Client{base: base, hc: &http.Client{Timeout: DefaultTimeout}}
	for _, opt := range opts {
		opt(c)
	}
	return c, nil
}

// Health reports whether the service is alive.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, "/health", nil, nil, nil)
}

// Ready reports whether the service can serve requests.
func (c *Client) Ready(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, "/ready", nil, nil, nil)
}

// ListItems returns one page of items.
func (c *Client) ListItems(ctx context.Context, opts ListOptions) (ItemList, error) {
	query := url.Values{}
	if opts.Limit != 0 {
		query.Set("limit", strconv.Itoa(opts.Limit))
	}
	if opts.Offset != 0 {
		query.Set("offset", strconv.Itoa(opts.Offset))
	}
	if opts.Name != "" {
		query.Set("name", opts.Name)
	}
	if opts.Sort != "" {
		query.Set("sort", opts.Sort)
	}
	var list ItemList
	err := c.do(ctx, http.MethodGet, "/api/v1/items", query, nil, &list)
	return list, err
}

// GetItem returns the item with the ID.
func (c *Client) GetItem(ctx context.Context, id int64) (Item, error) {
	var item Item
	err := c.do(ctx, http.MethodGet, itemPath(id), nil, nil, &item)
	return item, err
}

// CreateItem creates an item and returns it with its ID.
func (c *Client) CreateItem(ctx context.Context, req CreateItemRequest) (Item, error) {
	var item Item
	err := c.do(ctx, http.MethodPost, "/api/v1/items", nil, req, &item)
	return item, err
}

// UpdateItem changes the fields req sets and returns the updated item.
func (c *Client) UpdateItem(ctx context.Context, id int64, req UpdateItemRequest) (Item, error) {
	var item Item
	err := c.do(ctx, http.MethodPatch, itemPath(id), nil, req, &item)
	return item, err
}

// DeleteItem deletes the item with the ID.
func (c *Client) DeleteItem(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, itemPath(id), nil, nil, nil)
}

func itemPath(id int64) string {
	return "/api/v1/items/" + strconv.FormatInt(id, 10)
}

// do sends one request with body encoded as JSON (when not nil) and decodes a
// successful response into out (when not nil).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	target := c.base.JoinPath(path)
	target.RawQuery = query.Encode()

	var reader io.Reader = http.NoBody
	if body != nil {
		encoded, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("client: encoding the request: %w", err)
		}
		reader = bytes.NewReader(encoded)
	}
	req, err := http.NewRequestWithContext(ctx, method, target.String(), reader)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	defer func() {
		// Drain what is left so the connection can be reused.
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
	}()

	if res.StatusCode >= http.StatusBadRequest {
		return decodeError(res)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("client: %s %s: decoding the response: %w", method, path, err)
	}
	return nil
}

func decodeError(res *http.Response) error {
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	if err != nil {
		return fmt.Errorf("client: reading the error response: %w", err)
	}
	var body struct {
		Error *Error `json:"error"`
	}
	if json.Unmarshal(raw, &body) != nil || body.Error == nil {
		message := strings.TrimSpace(string(raw))
		if message == "" {
			message = http.StatusText(res.StatusCode)
		}
		return &Error{StatusCode: res.StatusCode, Message: message}
	}
	body.Error.StatusCode = res.StatusCode
	return body.Error
}
