package registry

import (
	"errors"
	"fmt"

	"github.com/schemata-dev/schemata/compat"
)

// Storage-level sentinel errors. Store implementations wrap them.
var (
	// ErrNotFound: the row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique constraint rejected the write.
	ErrConflict = errors.New("conflict")
)

// Code is a Confluent Schema Registry error code. The HTTP status is the
// first three digits.
type Code int

// Confluent error codes.
const (
	CodeSubjectNotFound           Code = 40401
	CodeVersionNotFound           Code = 40402
	CodeSchemaNotFound            Code = 40403
	CodeSubjectSoftDeleted        Code = 40404
	CodeSubjectNotSoftDeleted     Code = 40405
	CodeVersionSoftDeleted        Code = 40406
	CodeVersionNotSoftDeleted     Code = 40407
	CodeSubjectLevelCompatNotSet  Code = 40408
	CodeSubjectLevelModeNotSet    Code = 40409
	CodeBadRequest                Code = 400
	CodeIncompatibleSchema        Code = 409
	CodeInvalidSchema             Code = 42201
	CodeInvalidVersion            Code = 42202
	CodeInvalidCompatibilityLevel Code = 42203
	CodeInvalidMode               Code = 42204
	CodeOperationNotPermitted     Code = 42205
	CodeReferenceExists           Code = 42206
	CodeIDInUse                   Code = 42207
	CodeInvalidSubject            Code = 42208
	CodeStoreError                Code = 50001
	CodeOperationTimeout          Code = 50002
	CodeForwardingError           Code = 50003
	// CodeOverloaded: every parse and check slot stayed busy; the API
	// answers 503 with Retry-After.
	CodeOverloaded Code = 50301
)

// HTTPStatus returns the HTTP status that accompanies c.
func (c Code) HTTPStatus() int {
	if c < 1000 {
		return int(c)
	}
	for int(c) >= 1000 {
		c /= 10
	}
	return int(c)
}

// Error is a domain error carrying a Confluent code and a message safe to
// show clients. errors.Is matches two Errors with the same code.
type Error struct {
	Code    Code
	Message string
	// Err is an internal cause, logged but never sent to clients.
	Err error
	// Findings explain an incompatibility (CodeIncompatibleSchema).
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
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Sentinels for errors.Is.
var (
	ErrSubjectNotFound       = &Error{Code: CodeSubjectNotFound}
	ErrVersionNotFound       = &Error{Code: CodeVersionNotFound}
	ErrSchemaNotFound        = &Error{Code: CodeSchemaNotFound}
	ErrIncompatible          = &Error{Code: CodeIncompatibleSchema}
	ErrInvalidSchema         = &Error{Code: CodeInvalidSchema}
	ErrOperationNotPermitted = &Error{Code: CodeOperationNotPermitted}
	ErrOverloaded            = &Error{Code: CodeOverloaded}
)
