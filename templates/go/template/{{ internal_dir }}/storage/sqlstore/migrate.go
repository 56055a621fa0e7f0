package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the schema changes, one folder per database, applied in the order
// of their numbers. Add a change as the next numbered file in both folders.
//
//go:embed migrations
var migrations embed.FS

// migrationLockID is the PostgreSQL advisory lock that keeps two processes from
// migrating the same database at once.
const migrationLockID = 0x6d69677261746531

// Migrate applies the migrations the database lacks, and returns their versions.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	folder, err := fs.Sub(migrations, s.dialect.migrations)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var options []goose.ProviderOption
	if s.dialect.name == postgresName {
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		options = append(options, goose.WithSessionLocker(locker))
	}
	provider, err := goose.NewProvider(s.dialect.goose, s.db, folder, options...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate the %s database: %w", s.dialect.name, err)
	}
	versions := make([]int64, len(results))
	for i, r := range results {
		versions[i] = r.Source.Version
	}
	return versions, nil
}
