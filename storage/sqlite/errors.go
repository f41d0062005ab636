package sqlite

import (
	"database/sql"
	"errors"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/schemata-dev/schemata/storage/sqlstore"
)

// dialect is SQLite's sqlstore.Dialect.
type dialect struct{}

func (dialect) Name() string { return "sqlite" }

// Classify reads a driver error by SQLite's extended result code, never
// by message.
func (dialect) Classify(err error) sqlstore.ErrorClass {
	return sqlstore.ClassifyCode(err, sql.ErrNoRows, (*sqlite.Error).Code,
		[]int{sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY}, []int{sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY})
}

// Time stores t as fixed-width UTC text, so that text order is time order
// in comparisons and min/max.
func (dialect) Time(t time.Time) any { return sqlstore.FormatTime(t) }

// IDSequence is false: a (context, id) key cannot be AUTOINCREMENT, so
// every context counts its ids in schema_contexts.
func (dialect) IDSequence() bool { return false }

// ReferencesJSON aggregates with json_group_array, which yields '[]' for
// no rows.
func (dialect) ReferencesJSON() string {
	return `(SELECT json_group_array(json_object('name', r.name, 'subject', r.subject, 'version', r.version) ORDER BY r.ordinal)
	FROM schema_references r WHERE r.context = s.context AND r.schema_id = s.id)`
}

// translate maps a driver error onto the registry's storage sentinels (see
// sqlstore.Translate), for the statements this package runs itself.
func translate(err error) error { return sqlstore.Translate(dialect{}, err) }

// isBusy reports whether err says another connection held a lock for
// longer than the busy timeout.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
