package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	// database/sql drivers: pgx for PostgreSQL, a pure-Go SQLite (no cgo).
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// sqlitePragmas make a SQLite file wait for a lock instead of failing at once, write
// ahead in a log (readers do not block the writer), and check foreign keys.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)"

// ErrUnsupportedURL reports a DATABASE_URL of a database the service cannot use.
var ErrUnsupportedURL = errors.New("use a postgres:// or postgresql:// URL, or sqlite:PATH")

// Open connects to the database that url names and checks that it answers:
//
//   - postgres://user:password@host:5432/name (or postgresql://...): PostgreSQL, through pgx;
//   - sqlite:PATH, sqlite://PATH or sqlite:///ABSOLUTE/PATH: a SQLite file, made when
//     missing (its folder must exist); sqlite::memory: is a database in memory.
//
// Call Migrate before serving, and Close when done.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	d, driver, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open the %s database: %w", d.name, err)
	}
	if d.name == sqliteName {
		// SQLite lets one writer in at a time: one connection serializes the writes
		// instead of failing them as busy, and keeps a :memory: database one database.
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("connect to the %s database: %w", d.name, err), db.Close())
	}
	return &Store{db: db, dialect: d}, nil
}

// parseURL picks the dialect and the database/sql driver and source name for url.
func parseURL(rawURL string) (d dialect, driver, dsn string, err error) {
	scheme, rest, found := strings.Cut(rawURL, ":")
	if !found {
		return dialect{}, "", "", fmt.Errorf("DATABASE_URL without a scheme: %w", ErrUnsupportedURL)
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		if _, err := url.Parse(rawURL); err != nil {
			return dialect{}, "", "", fmt.Errorf("DATABASE_URL is not a URL: %w", ErrUnsupportedURL)
		}
		return postgresDialect, "pgx", rawURL, nil
	case "sqlite":
		path := strings.TrimPrefix(rest, "//")
		if path == "" {
			return dialect{}, "", "", fmt.Errorf("DATABASE_URL names no SQLite file: %w", ErrUnsupportedURL)
		}
		if path == ":memory:" {
			return sqliteDialect, "sqlite", "file::memory:?" + sqlitePragmas, nil
		}
		return sqliteDialect, "sqlite", "file:" + path + "?" + sqlitePragmas, nil
	default:
		return dialect{}, "", "", fmt.Errorf("DATABASE_URL scheme %q: %w", scheme, ErrUnsupportedURL)
	}
}
