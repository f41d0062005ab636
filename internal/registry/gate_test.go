package registry

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/srapi"
)

func TestGate(t *testing.T) {
	t.Parallel()
	g := newGate(1, 20*time.Millisecond)
	held := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- g.do(context.Background(), func() error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held

	err := g.do(context.Background(), func() error { t.Error("ran without a free slot"); return nil })
	if !errors.Is(err, ErrOverloaded) {
		t.Fatalf("do() with every slot busy: error = %v, want srapi.CodeOverloaded", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g.wait = time.Hour
	err = g.do(ctx, func() error { t.Error("ran without a free slot"); return nil })
	if !errors.Is(err, &Error{Code: srapi.CodeOperationTimeout}) {
		t.Fatalf("do() with a cancelled context: error = %v, want srapi.CodeOperationTimeout", err)
	}

	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ran := false
	if err := g.do(context.Background(), func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("do() with a free slot: ran %v, error %v", ran, err)
	}
}
