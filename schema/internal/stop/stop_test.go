package stop

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

func TestRecover(t *testing.T) {
	t.Parallel()
	if err := Recover(schema.Avro, Stopped{context.Canceled}); err != context.Canceled {
		t.Errorf("Recover(a stop) = %v, want the context's error", err)
	}
	err := Recover(schema.JSON, "boom")
	var pe *schema.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Recover(another panic) = %v, want a *schema.ParseError", err)
	}
	if pe.Format != schema.JSON || pe.Message != "internal error while parsing: boom" {
		t.Errorf("ParseError = %+v, want format JSON and the panic value in the message", pe)
	}
	if pe.Err == nil || !strings.HasPrefix(pe.Err.Error(), "panic: boom\n") || !strings.Contains(pe.Err.Error(), "TestRecover") {
		t.Errorf("ParseError.Err = %v, want the panic and its stack", pe.Err)
	}
}
