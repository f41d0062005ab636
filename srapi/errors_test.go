package srapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/schemata-dev/schemata/srapi"
)

func TestErrorsMatchByCode(t *testing.T) {
	t.Parallel()
	notFound := &srapi.Error{StatusCode: http.StatusNotFound, Code: srapi.CodeSubjectNotFound, Message: "Subject 'x' not found."}
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"SameCode", notFound, srapi.ErrSubjectNotFound, true},
		{"SameCodeWrapped", fmt.Errorf("get: %w", notFound), srapi.ErrSubjectNotFound, true},
		{"OtherCodeSameStatus", notFound, srapi.ErrVersionNotFound, false},
		{"StatusOnlyTargetMatchesTheStatus", &srapi.Error{StatusCode: 401, Code: srapi.CodeUnauthenticated}, srapi.ErrUnauthorized, true},
		{"StatusOnlyTargetIgnoresOtherStatuses", notFound, srapi.ErrForbidden, false},
		{"NotAnError", errors.New("plain"), srapi.ErrSubjectNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := errors.Is(tt.err, tt.target); got != tt.want {
				t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, tt.target, got, tt.want)
			}
		})
	}
}

func TestCodesCarryTheirHTTPStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code srapi.Code
		want int
	}{
		{srapi.CodeSubjectNotFound, 404},
		{srapi.CodeIncompatibleSchema, 409},
		{srapi.CodeConsumerExists, 409},
		{srapi.CodeInvalidSchema, 422},
		{srapi.CodeUnauthenticated, 401},
		{srapi.CodeRateLimited, 429},
		{srapi.CodeStoreError, 500},
		{srapi.CodeBadRequest, 400},
	}
	for _, tt := range tests {
		if got := tt.code.HTTPStatus(); got != tt.want {
			t.Errorf("Code(%d).HTTPStatus() = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestErrorMessageNamesStatusAndCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *srapi.Error
		want string
	}{
		{"WithMessage", &srapi.Error{StatusCode: 404, Code: 40401, Message: "Subject 'x' not found."}, "schema registry: Subject 'x' not found. (HTTP 404, error code 40401)"},
		{"WithoutMessage", &srapi.Error{StatusCode: 502, Code: 502}, "schema registry: Bad Gateway (HTTP 502, error code 502)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTemporaryIsServerFailureOrSlowDown(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]bool{500: true, 503: true, 429: true, 404: false, 409: false} {
		if got := (&srapi.Error{StatusCode: status}).Temporary(); got != want {
			t.Errorf("status %d: Temporary() = %v, want %v", status, got, want)
		}
	}
}
