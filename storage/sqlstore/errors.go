package sqlstore

import (
	"errors"
	"fmt"
	"slices"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/registry"
)

// ErrorClass is what a driver error means to the store, as a Dialect
// reads it from the error's code (SQLSTATE, SQLite result code), never
// from its message.
type ErrorClass int

// Error classes.
const (
	// ErrorOther is any error the store passes on as it is.
	ErrorOther ErrorClass = iota
	// ErrorNoRows: a query expected to return a row returned none.
	ErrorNoRows
	// ErrorUnique: a unique or primary key constraint rejected a write.
	ErrorUnique
	// ErrorForeignKey: a write named a row that does not exist (a version
	// naming an unknown schema id).
	ErrorForeignKey
)

// ClassifyCode is the body of a Dialect's Classify for a driver whose
// errors are of type E and carry a code of type C: noRows is the driver's
// error for a query that returned no row, code reads the code of its
// error, and unique and foreignKey list the codes of those two classes.
// Any other error is ErrorOther.
func ClassifyCode[E error, C comparable](err, noRows error, code func(E) C, unique, foreignKey []C) ErrorClass {
	if errors.Is(err, noRows) {
		return ErrorNoRows
	}
	var de E
	if errors.As(err, &de) {
		switch c := code(de); {
		case slices.Contains(unique, c):
			return ErrorUnique
		case slices.Contains(foreignKey, c):
			return ErrorForeignKey
		}
	}
	return ErrorOther
}

// Translate maps a driver error onto the registry's storage sentinels,
// keeping the original in the chain: no rows and a foreign key violation
// become registry.ErrNotFound, a unique violation registry.ErrConflict.
// It is the one place that does; the Dialect only classifies. Backends
// call it for the statements they run themselves.
func Translate(d Dialect, err error) error {
	if err == nil {
		return nil
	}
	switch d.Classify(err) {
	case ErrorNoRows, ErrorForeignKey:
		return fmt.Errorf("%w (%w)", registry.ErrNotFound, err)
	case ErrorUnique:
		return fmt.Errorf("%w (%w)", registry.ErrConflict, err)
	}
	return err
}

// translateAuth is translate for auth.Store, whose callers branch on
// auth's sentinels.
func translateAuth(d Dialect, err error) error {
	err = Translate(d, err)
	switch {
	case errors.Is(err, registry.ErrNotFound):
		return fmt.Errorf("%w (%w)", auth.ErrNotFound, err)
	case errors.Is(err, registry.ErrConflict):
		return fmt.Errorf("%w (%w)", auth.ErrConflict, err)
	}
	return err
}
