package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/schemata-dev/schemata/internal/registry"
)

// translate maps a database error onto the registry's storage sentinels,
// keeping the original in the chain. It is the one place that looks at
// SQLite result codes: no rows becomes registry.ErrNotFound, a unique or
// primary key violation registry.ErrConflict, and a foreign key violation
// (a version naming a schema id that does not exist) registry.ErrNotFound.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w (%w)", registry.ErrNotFound, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w (%w)", registry.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w (%w)", registry.ErrNotFound, err)
		}
	}
	return err
}

// isBusy reports whether err says another connection held a lock for
// longer than the busy timeout.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
