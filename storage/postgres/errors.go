package postgres

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemata-dev/schemata/storage/sqlstore"
)

// SQLSTATE codes the store acts on.
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

var _ sqlstore.ArrayDialect = dialect{}

// dialect is PostgreSQL's sqlstore.Dialect.
type dialect struct{}

func (dialect) Name() string { return "postgres" }

// Classify reads a pgx error by SQLSTATE, never by message.
func (dialect) Classify(err error) sqlstore.ErrorClass {
	return sqlstore.ClassifyCode(err, pgx.ErrNoRows, func(pe *pgconn.PgError) string { return pe.Code },
		[]string{codeUniqueViolation}, []string{codeForeignKeyViolation})
}

// Time passes t as it is: pgx encodes time.Time as timestamptz, which keeps
// microseconds.
func (dialect) Time(t time.Time) any { return t }

// UnnestUsage turns the six arrays of a usage batch into rows (see
// sqlstore.ArrayDialect).
func (dialect) UnnestUsage() string {
	return `SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])`
}

// IDSequence is true: the default context keeps the identity sequence
// of schemas.id.
func (dialect) IDSequence() bool { return true }

// ReferencesJSON aggregates with json_agg; coalesce turns "no rows" into
// an empty array.
func (dialect) ReferencesJSON() string {
	return `coalesce((
	SELECT json_agg(json_build_object('name', r.name, 'subject', r.subject, 'version', r.version) ORDER BY r.ordinal)
	FROM schema_references r WHERE r.context = s.context AND r.schema_id = s.id), '[]')`
}

// translate maps a pgx error onto the registry's storage sentinels (see
// sqlstore's translation), for the statements this package runs itself.
func translate(err error) error { return sqlstore.Translate(dialect{}, err) }

// retryable reports whether err is a serialization failure or a deadlock,
// after which rerunning the whole transaction may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected)
}
