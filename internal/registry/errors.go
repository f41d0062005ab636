package registry

import (
	"errors"
	"fmt"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/srapi"
)

// Storage-level sentinel errors. Store implementations wrap them.
var (
	// ErrNotFound: the row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique constraint rejected the write.
	ErrConflict = errors.New("conflict")
)

// Error is a domain error carrying a Confluent error code (the contract's
// table, srapi.Code) and a message safe to show clients. errors.Is matches two Errors with the same code.
type Error struct {
	Code    srapi.Code
	Message string
	// Err is an internal cause, logged but never sent to clients.
	Err error
	// Findings explain an incompatibility (srapi.CodeIncompatibleSchema).
	Findings []compat.Finding
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errorf builds an *Error with a formatted message.
func Errorf(code srapi.Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Sentinels for errors.Is.
var (
	ErrSubjectNotFound       = &Error{Code: srapi.CodeSubjectNotFound}
	ErrVersionNotFound       = &Error{Code: srapi.CodeVersionNotFound}
	ErrSchemaNotFound        = &Error{Code: srapi.CodeSchemaNotFound}
	ErrIncompatible          = &Error{Code: srapi.CodeIncompatibleSchema}
	ErrInvalidSchema         = &Error{Code: srapi.CodeInvalidSchema}
	ErrOperationNotPermitted = &Error{Code: srapi.CodeOperationNotPermitted}
	ErrOverloaded            = &Error{Code: srapi.CodeOverloaded}
	ErrInvalidSubject        = &Error{Code: srapi.CodeInvalidSubject}
)
