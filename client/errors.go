package client

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Code is a Confluent Schema Registry error code, as sent in the
// "error_code" field of an error body. Most codes begin with the HTTP
// status that accompanies them (40401 comes with 404).
type Code int

// The Confluent error codes the registry answers with.
const (
	CodeSubjectNotFound           Code = 40401
	CodeVersionNotFound           Code = 40402
	CodeSchemaNotFound            Code = 40403
	CodeSubjectSoftDeleted        Code = 40404
	CodeSubjectNotSoftDeleted     Code = 40405
	CodeVersionSoftDeleted        Code = 40406
	CodeVersionNotSoftDeleted     Code = 40407
	CodeSubjectCompatNotSet       Code = 40408
	CodeSubjectModeNotSet         Code = 40409
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
)

// Error is an error answer from the registry. Code is the Confluent
// error_code of the body, or the HTTP status when the body carried none
// (a proxy's 502 page, for instance).
//
// errors.Is(err, ErrSubjectNotFound) and the other sentinels match an
// *Error by Code, so callers never compare messages.
type Error struct {
	StatusCode int
	Code       Code
	Message    string
	// retryAfter is the server's Retry-After, if it sent one.
	retryAfter time.Duration
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("schema registry: %s (HTTP %d, error code %d)", msg, e.StatusCode, e.Code)
}

// Is reports whether target is an *Error with the same Code. A target
// with a zero Code matches any *Error with the target's StatusCode.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	if t.Code == 0 {
		return t.StatusCode == e.StatusCode
	}
	return t.Code == e.Code
}

// Temporary reports whether the request may succeed if sent again: the
// server failed (5xx) or asked the client to slow down (429).
func (e *Error) Temporary() bool {
	return e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests
}

// Sentinels for errors.Is, one per Confluent error code.
var (
	ErrSubjectNotFound           = &Error{Code: CodeSubjectNotFound}
	ErrVersionNotFound           = &Error{Code: CodeVersionNotFound}
	ErrSchemaNotFound            = &Error{Code: CodeSchemaNotFound}
	ErrSubjectSoftDeleted        = &Error{Code: CodeSubjectSoftDeleted}
	ErrSubjectNotSoftDeleted     = &Error{Code: CodeSubjectNotSoftDeleted}
	ErrVersionSoftDeleted        = &Error{Code: CodeVersionSoftDeleted}
	ErrVersionNotSoftDeleted     = &Error{Code: CodeVersionNotSoftDeleted}
	ErrSubjectCompatNotSet       = &Error{Code: CodeSubjectCompatNotSet}
	ErrSubjectModeNotSet         = &Error{Code: CodeSubjectModeNotSet}
	ErrIncompatibleSchema        = &Error{Code: CodeIncompatibleSchema}
	ErrInvalidSchema             = &Error{Code: CodeInvalidSchema}
	ErrInvalidVersion            = &Error{Code: CodeInvalidVersion}
	ErrInvalidCompatibilityLevel = &Error{Code: CodeInvalidCompatibilityLevel}
	ErrInvalidMode               = &Error{Code: CodeInvalidMode}
	ErrOperationNotPermitted     = &Error{Code: CodeOperationNotPermitted}
	ErrReferenceExists           = &Error{Code: CodeReferenceExists}
	ErrIDInUse                   = &Error{Code: CodeIDInUse}
	ErrInvalidSubject            = &Error{Code: CodeInvalidSubject}
	ErrStoreError                = &Error{Code: CodeStoreError}
	ErrOperationTimeout          = &Error{Code: CodeOperationTimeout}
	ErrForwardingError           = &Error{Code: CodeForwardingError}

	// ErrUnauthorized matches any 401 answer, whatever its code.
	ErrUnauthorized = &Error{StatusCode: http.StatusUnauthorized}
	// ErrForbidden matches any 403 answer, whatever its code.
	ErrForbidden = &Error{StatusCode: http.StatusForbidden}
)

// IsNotFound reports whether err says that a subject, version or schema
// does not exist (codes 40401, 40402 and 40403).
func IsNotFound(err error) bool {
	return errors.Is(err, ErrSubjectNotFound) || errors.Is(err, ErrVersionNotFound) || errors.Is(err, ErrSchemaNotFound)
}
