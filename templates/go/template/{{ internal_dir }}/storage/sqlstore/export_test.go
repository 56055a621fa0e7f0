package sqlstore

import "context"

// Truncate empties the items table and restarts its ids, for tests that share a
// PostgreSQL database.
func Truncate(ctx context.Context, s *Store) error {
	_, err := s.db.ExecContext(ctx, "TRUNCATE items RESTART IDENTITY")
	return err
}
