package sqlstore

import (
	"errors"
	"fmt"
	"testing"
)

// codeError is a driver error carrying a code.
type codeError struct{ code int }

func (e *codeError) Error() string { return fmt.Sprintf("code %d", e.code) }

func TestClassifyCode(t *testing.T) {
	t.Parallel()
	errNoRows := errors.New("no rows")
	tests := []struct {
		name string
		err  error
		want ErrorClass
	}{
		{"NoRows", fmt.Errorf("query: %w", errNoRows), ErrorNoRows},
		{"FirstUniqueCode", &codeError{1}, ErrorUnique},
		{"SecondUniqueCode", fmt.Errorf("insert: %w", &codeError{2}), ErrorUnique},
		{"ForeignKeyCode", &codeError{3}, ErrorForeignKey},
		{"OtherCode", &codeError{4}, ErrorOther},
		{"NotADriverError", errors.New("other"), ErrorOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ClassifyCode(tt.err, errNoRows, func(e *codeError) int { return e.code }, []int{1, 2}, []int{3})
			if got != tt.want {
				t.Errorf("ClassifyCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}
