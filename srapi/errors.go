package srapi

import (
	"fmt"
	"net/http"
	"time"
)

// Code is a Confluent Schema Registry error code, as sent in the
// "error_code" field of an error body. Most codes begin with the HTTP
// status that accompanies them (40401 comes with 404); transport-level
// refusals (malformed JSON, unsupported media type) carry the bare status.
type Code int

// The error codes the registry answers with: Confluent's, then this
// registry's own in the same numbering scheme.
const (
	CodeBadRequest                Code = 400
	CodeIncompatibleSchema        Code = 409
	CodeUnprocessable             Code = 422
	CodeUnauthenticated           Code = 40101
	CodeForbidden                 Code = 40301
	CodeSubjectNotFound           Code = 40401
	CodeVersionNotFound           Code = 40402
	CodeSchemaNotFound            Code = 40403
	CodeSubjectSoftDeleted        Code = 40404
	CodeSubjectNotSoftDeleted     Code = 40405
	CodeVersionSoftDeleted        Code = 40406
	CodeVersionNotSoftDeleted     Code = 40407
	CodeSubjectCompatNotSet       Code = 40408
	CodeSubjectModeNotSet         Code = 40409
	CodeConsumerNotFound          Code = 40410
	CodeDeprecationNotFound       Code = 40411
	CodeConsumerExists            Code = 40910
	CodeInvalidSchema             Code = 42201
	CodeInvalidVersion            Code = 42202
	CodeInvalidCompatibilityLevel Code = 42203
	CodeInvalidMode               Code = 42204
	CodeOperationNotPermitted     Code = 42205
	CodeReferenceExists           Code = 42206
	CodeIDInUse                   Code = 42207
	CodeInvalidSubject            Code = 42208
	CodeInvalidConsumer           Code = 42210
	CodeInvalidDeprecation        Code = 42211
	CodeRateLimited               Code = 42901
	CodeStoreError                Code = 50001
	CodeOperationTimeout          Code = 50002
	CodeForwardingError           Code = 50003
	// CodeOverloaded: every parse and check slot of the registry stayed
	// busy; the answer is a 503 with Retry-After, and a retry is safe.
	CodeOverloaded Code = 50301
)

// StoreErrorMessage is the message of a CodeStoreError answer; the cause
// is logged, never sent.
const StoreErrorMessage = "Error in the backend data store"

// CodeInvalidRuleSet is Confluent's code for a malformed ruleSet (in a
// schema or in config). It shares its number with CodeInvalidConsumer,
// which only the /v1 consumer routes answer.
const CodeInvalidRuleSet Code = 42210

// HTTPStatus returns the HTTP status that accompanies c: its first three
// digits.
func (c Code) HTTPStatus() int {
	for c >= 1000 {
		c /= 10
	}
	return int(c)
}

// ErrorBody is the body of every error answer, on every route:
// {"error_code": 40401, "message": "Subject 'x' not found."}.
type ErrorBody struct {
	ErrorCode Code   `json:"error_code"`
	Message   string `json:"message"`
}

// Error is an error answer from the registry. Code is the error_code of
// the body, or the HTTP status when the body carried none (a proxy's 502
// page, for instance).
//
// errors.Is(err, srapi.ErrSubjectNotFound) and the other sentinels match
// an *Error by Code, so callers never compare messages.
type Error struct {
	StatusCode int
	Code       Code
	Message    string
	// RetryAfter is the answer's Retry-After header, zero when absent.
	RetryAfter time.Duration
}

// Error renders the message with the status and code.
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
	return e.StatusCode >= http.StatusInternalServerError || e.StatusCode == http.StatusTooManyRequests
}

// Sentinels for errors.Is, one per error code a caller may branch on.
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
	ErrConsumerNotFound          = &Error{Code: CodeConsumerNotFound}
	ErrDeprecationNotFound       = &Error{Code: CodeDeprecationNotFound}
	ErrConsumerExists            = &Error{Code: CodeConsumerExists}
	ErrIncompatibleSchema        = &Error{Code: CodeIncompatibleSchema}
	ErrInvalidSchema             = &Error{Code: CodeInvalidSchema}
	ErrInvalidVersion            = &Error{Code: CodeInvalidVersion}
	ErrInvalidCompatibilityLevel = &Error{Code: CodeInvalidCompatibilityLevel}
	ErrInvalidMode               = &Error{Code: CodeInvalidMode}
	ErrOperationNotPermitted     = &Error{Code: CodeOperationNotPermitted}
	ErrReferenceExists           = &Error{Code: CodeReferenceExists}
	ErrIDInUse                   = &Error{Code: CodeIDInUse}
	ErrInvalidSubject            = &Error{Code: CodeInvalidSubject}
	ErrInvalidConsumer           = &Error{Code: CodeInvalidConsumer}
	ErrInvalidDeprecation        = &Error{Code: CodeInvalidDeprecation}
	ErrRateLimited               = &Error{Code: CodeRateLimited}
	ErrStoreError                = &Error{Code: CodeStoreError}
	ErrOperationTimeout          = &Error{Code: CodeOperationTimeout}
	ErrForwardingError           = &Error{Code: CodeForwardingError}

	// ErrUnauthorized matches any 401 answer, whatever its code.
	ErrUnauthorized = &Error{StatusCode: http.StatusUnauthorized}
	// ErrForbidden matches any 403 answer, whatever its code.
	ErrForbidden = &Error{StatusCode: http.StatusForbidden}
)
