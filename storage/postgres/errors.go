package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemata-dev/schemata/internal/registry"
)

// SQLSTATE codes the store acts on.
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

// translate maps a database error onto the registry's storage sentinels,
// keeping the original in the chain. It is the one place that maps
// PostgreSQL errors to domain errors, by SQLSTATE and never by message: no rows becomes registry.ErrNotFound, a
// unique violation registry.ErrConflict, and a foreign key violation (a
// version naming a schema id that does not exist) registry.ErrNotFound.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w (%w)", registry.ErrNotFound, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUniqueViolation:
			return fmt.Errorf("%w (%w)", registry.ErrConflict, err)
		case codeForeignKeyViolation:
			return fmt.Errorf("%w (%w)", registry.ErrNotFound, err)
		}
	}
	return err
}

// retryable reports whether err is a serialization failure or a deadlock,
// after which rerunning the whole transaction may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected)
}
