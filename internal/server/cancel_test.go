package server_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// cancelFields makes a check long enough to leave in the middle of: every
// field changes type, under FULL and the additive-only policy.
const cancelFields = 90_000

// startCheck registers the wide v1 on the registry at base and returns a
// function sending the check of the changed v2 under ctx.
func startCheck(t *testing.T, base string) func(ctx context.Context) error {
	t.Helper()
	for _, step := range []struct{ method, path, body string }{
		{http.MethodPut, "/config/wide", `{"compatibility":"NONE","additiveOnly":false}`},
		{http.MethodPost, "/subjects/wide/versions", schemaJSON(t, wideRecord(cancelFields, "long", 0))},
		{http.MethodPut, "/config/wide", `{"compatibility":"FULL","additiveOnly":true}`},
	} {
		if status, body := send(t, step.method, base+step.path, srapi.ContentType, step.body); status != http.StatusOK {
			t.Fatalf("%s %s: %d %.300s", step.method, step.path, status, body)
		}
	}
	body := schemaJSON(t, wideRecord(cancelFields, "string", 0))
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/compatibility/subjects/wide/versions?verbose=true", strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", srapi.ContentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}
}

// walking waits until the checker has visited more than from + n elements.
func walking(t *testing.T, from, n int64) {
	t.Helper()
	for i := 0; compat.Walked()-from <= n; i++ {
		if i > 60_000 {
			t.Fatal("the check never started walking")
		}
		time.Sleep(time.Millisecond)
	}
}

// settled waits until the checker stops counting and returns its count.
func settled(t *testing.T) int64 {
	t.Helper()
	last := compat.Walked()
	for range 600 {
		time.Sleep(50 * time.Millisecond)
		now := compat.Walked()
		if now == last {
			return now
		}
		last = now
	}
	t.Fatal("the checker kept working for 30 s")
	return 0
}

// TestLeftChecksStopWorking: a huge check whose client disconnects stops
// consuming CPU, and so does one in flight at shutdown: measured by the
// checker's element counter, not by a clock. Not parallel: the counter
// is the process's.
func TestLeftChecksStopWorking(t *testing.T) {
	cfg := server.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), ShutdownTimeout: 200 * time.Millisecond,
		Limits: schema.Limits{MaxTextBytes: 6 << 20}}
	s, err := server.New(context.Background(), cfg, server.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	shut := false
	t.Cleanup(func() {
		if !shut {
			_ = s.Shutdown(context.Background())
		}
	})
	check := startCheck(t, s.URL())

	before := compat.Walked()
	if err := check(context.Background()); err != nil {
		t.Fatal(err)
	}
	full := settled(t) - before
	t.Logf("a complete check walks %d elements", full)

	t.Run("ClientLeaves", func(t *testing.T) {
		before := compat.Walked()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- check(ctx) }()
		walking(t, before, full/20)
		at := compat.Walked()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("client: %v, want it cancelled", err)
		}
		if after := settled(t) - at; after > full/10 {
			t.Errorf("after its client left, the check walked %d more elements (a complete one walks %d); want it stopped at once", after, full)
		}
	})
	t.Run("Shutdown", func(t *testing.T) {
		before := compat.Walked()
		done := make(chan error, 1)
		go func() { done <- check(context.Background()) }()
		walking(t, before, full/20)
		ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		shut = true
		_ = s.Shutdown(ctx) // the drain times out: the check is in flight
		at := compat.Walked()
		<-done
		if after := settled(t) - at; after > full/10 {
			t.Errorf("after shutdown, the check walked %d more elements (a complete one walks %d); want it stopped at once", after, full)
		}
	})
}
