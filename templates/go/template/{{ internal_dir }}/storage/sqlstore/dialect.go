package sqlstore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

const (
	sqliteName   = "SQLite"
	postgresName = "PostgreSQL"
)

// dialect is what differs between the databases: how queries name their arguments,
// how a row is locked for an update, which migrations apply, and how a unique name
// clash is reported.
type dialect struct {
	name string
	// goose is the migration tool's name for the database.
	goose goose.Dialect
	// migrations is the folder of migrations/ for the database.
	migrations string
	// numbered: arguments are $1, $2... (PostgreSQL) instead of ? (SQLite).
	numbered bool
	// forUpdate locks the row a transaction reads before changing it.
	forUpdate string
	// uniqueViolation reports whether err is a unique constraint failing.
	uniqueViolation func(err error) bool
}

var (
	sqliteDialect = dialect{
		name:       sqliteName,
		goose:      goose.DialectSQLite3,
		migrations: "migrations/sqlite",
		uniqueViolation: func(err error) bool {
			var e *sqlite.Error
			return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
		},
	}
	postgresDialect = dialect{
		name:       postgresName,
		goose:      goose.DialectPostgres,
		migrations: "migrations/postgres",
		numbered:   true,
		forUpdate:  " FOR UPDATE",
		uniqueViolation: func(err error) bool {
			var e *pgconn.PgError
			return errors.As(err, &e) && e.Code == "23505" // unique_violation
		},
	}
)

// bind rewrites the ? placeholders of query for the dialect. Queries here hold no ?
// of their own (no string literal has one).
func (d dialect) bind(query string) string {
	if !d.numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
