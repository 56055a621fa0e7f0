// Package items is the items resource: what an item is, the rules a valid request
// follows, and the service that applies them on top of a [Store].
package items

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Limits on requests. Lengths count characters (Unicode code points), not bytes.
const (
	MaxNameLength        = 100
	MaxDescriptionLength = 1000
	DefaultLimit         = 20
	MaxLimit             = 100
	// MaxInteger is the largest id and offset a request may name: every database's
	// integer column holds it.
	MaxInteger = 1<<31 - 1
)

// Item is one stored item.
type Item struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description *string   `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// NewItem is what a client sends to create an item.
type NewItem struct {
	Name        string
	Description *string
}

// Patch is a partial update. A nil Name leaves the name as it is; the description
// changes only when SetDescription is true, to Description (nil clears it).
type Patch struct {
	Name           *string
	Description    *string
	SetDescription bool
}

// Sort is the order of a list: a field name, with a leading "-" for descending.
type Sort string

// The orders a list can be sorted in.
const (
	SortID            Sort = "id"
	SortIDDesc        Sort = "-id"
	SortName          Sort = "name"
	SortNameDesc      Sort = "-name"
	SortCreatedAt     Sort = "created_at"
	SortCreatedAtDesc Sort = "-created_at"
	DefaultSort            = SortID
)

const sortChoicesMessage = "must be one of id, -id, name, -name, created_at, -created_at"

// Valid reports whether s is one of the known orders.
func (s Sort) Valid() bool {
	switch s {
	case SortID, SortIDDesc, SortName, SortNameDesc, SortCreatedAt, SortCreatedAtDesc:
		return true
	default:
		return false
	}
}

// ListParams selects one page of items.
type ListParams struct {
	// Limit is the most items a page holds (1 to MaxLimit).
	Limit int
	// Offset is how many matching items to skip (0 or more).
	Offset int
	// Name keeps the items whose name contains it, ignoring case; empty keeps all.
	Name string
	// Sort is the order of the items.
	Sort Sort
}

// DefaultListParams is the first page in the default order.
func DefaultListParams() ListParams {
	return ListParams{Limit: DefaultLimit, Sort: DefaultSort}
}

// Validate checks the page bounds and the order.
func (p ListParams) Validate() error {
	var v ValidationError
	if p.Limit < 1 || p.Limit > MaxLimit {
		v.Add("limit", fmt.Sprintf("must be between 1 and %d", MaxLimit))
	}
	if p.Offset < 0 || p.Offset > MaxInteger {
		v.Add("offset", fmt.Sprintf("must be between 0 and %d", MaxInteger))
	}
	if !p.Sort.Valid() {
		v.Add("sort", sortChoicesMessage)
	}
	return v.Err()
}

// Page is one page of a list, with the number of items matching the filter.
type Page struct {
	Items  []Item `json:"items"`
	Total  int    `json:"total"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
}

// Store keeps items. Implementations must be safe for concurrent use.
type Store interface {
	// Create stores item under a new ID and returns it as stored. It fails with a
	// *ConflictError when another item has the same name.
	Create(ctx context.Context, item Item) (Item, error)
	// Get returns the item with the ID, or a *NotFoundError.
	Get(ctx context.Context, id int64) (Item, error)
	// List returns the page of items params selects and how many items match the
	// filter in all.
	List(ctx context.Context, params ListParams) ([]Item, int, error)
	// Update replaces the item with the ID by what change returns for it, atomically.
	// It fails with a *NotFoundError, a *ConflictError, or the error change returns.
	Update(ctx context.Context, id int64, change func(Item) (Item, error)) (Item, error)
	// Delete removes the item with the ID, or fails with a *NotFoundError.
	Delete(ctx context.Context, id int64) error
	// Ping reports whether the store can serve requests.
	Ping(ctx context.Context) error
}

// NotFoundError reports that no item has the ID.
type NotFoundError struct {
	ID int64
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("item %d not found", e.ID)
}

// ConflictError reports that another item already has the name.
type ConflictError struct {
	Name string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("an item named %q already exists", e.Name)
}

// FieldError is one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every invalid field of a request.
type ValidationError struct {
	Fields []FieldError
}

// Add records that field is invalid.
func (e *ValidationError) Add(field, message string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: message})
}

// Err returns e when it holds a field, and nil otherwise.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid request: " + strings.Join(parts, "; ")
}
