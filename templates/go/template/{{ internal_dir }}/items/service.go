package items

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Service applies the rules of the items resource on top of a Store.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a service keeping items in store. now gives the time stamps
// (time.Now when nil).
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// ReadyTimeout bounds the wait of Ready for the store: one that does not answer in
// time is as good as down.
const ReadyTimeout = 2 * time.Second

// Ready reports whether the service can answer requests: whether the store answers
// within ReadyTimeout.
func (s *Service) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// Create validates in and stores a new item. It fails with a *ValidationError or a
// *ConflictError.
func (s *Service) Create(ctx context.Context, in NewItem) (Item, error) {
	var v ValidationError
	name := checkName(&v, in.Name)
	checkDescription(&v, in.Description)
	if err := v.Err(); err != nil {
		return Item{}, err
	}
	now := s.timestamp()
	return s.store.Create(ctx, Item{
		Name:        name,
		Description: cloneString(in.Description),
		CreatedAt:   now,
		UpdatedAt:   now,
	})
}

// Get returns the item with the ID, or a *NotFoundError.
func (s *Service) Get(ctx context.Context, id int64) (Item, error) {
	return s.store.Get(ctx, id)
}

// List returns one page of items. It fails with a *ValidationError for bad params.
func (s *Service) List(ctx context.Context, params ListParams) (Page, error) {
	if err := params.Validate(); err != nil {
		return Page{}, err
	}
	found, total, err := s.store.List(ctx, params)
	if err != nil {
		return Page{}, err
	}
	if found == nil {
		found = []Item{}
	}
	return Page{Items: found, Total: total, Limit: params.Limit, Offset: params.Offset}, nil
}

// Update applies patch to the item with the ID. It fails with a *ValidationError,
// a *NotFoundError or a *ConflictError.
func (s *Service) Update(ctx context.Context, id int64, patch Patch) (Item, error) {
	var v ValidationError
	var name string
	if patch.Name != nil {
		name = checkName(&v, *patch.Name)
	}
	if patch.SetDescription {
		checkDescription(&v, patch.Description)
	}
	if err := v.Err(); err != nil {
		return Item{}, err
	}
	return s.store.Update(ctx, id, func(item Item) (Item, error) {
		if patch.Name != nil {
			item.Name = name
		}
		if patch.SetDescription {
			item.Description = cloneString(patch.Description)
		}
		item.UpdatedAt = s.timestamp()
		return item, nil
	})
}

// Delete removes the item with the ID, or fails with a *NotFoundError.
func (s *Service) Delete(ctx context.Context, id int64) error {
	return s.store.Delete(ctx, id)
}

// timestamp is the current time in UTC, to the microsecond.
func (s *Service) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// checkName returns the trimmed name, recording in v what is wrong with it.
func checkName(v *ValidationError, name string) string {
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.Add("name", "must not be empty")
	case n > MaxNameLength:
		v.Add("name", fmt.Sprintf("must be at most %d characters", MaxNameLength))
	}
	return name
}

func checkDescription(v *ValidationError, description *string) {
	if description != nil && utf8.RuneCountInString(*description) > MaxDescriptionLength {
		v.Add("description", fmt.Sprintf("must be at most %d characters", MaxDescriptionLength))
	}
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}
