package health_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/ops/health"
)

func TestProbes(t *testing.T) {
	t.Parallel()
	var dbDown atomic.Bool
	var logs bytes.Buffer
	h := health.New(0, slog.New(slog.NewJSONHandler(&logs, nil)),
		health.Check{Name: "store", Fn: func(context.Context) error {
			if dbDown.Load() {
				return errors.New("dial tcp 10.0.0.9:5432: connection refused (user=registry)")
			}
			return nil
		}},
		health.Check{Name: "migrations", Fn: func(context.Context) error { return nil }},
	)
	e := echo.New()
	h.Routes(e)
	get := func(path string) (int, health.Status) {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		var st health.Status
		if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
			t.Fatalf("%s body %q: %v", path, rec.Body, err)
		}
		if strings.Contains(rec.Body.String(), "10.0.0.9") {
			t.Errorf("%s body reveals the failure detail: %s", path, rec.Body)
		}
		return rec.Code, st
	}

	steps := []struct {
		name      string
		act       func()
		readyCode int
		failed    string
	}{
		{name: "ReadyWhenChecksPass", act: func() {}, readyCode: http.StatusOK},
		{name: "UnreadyWhenStoreDown", act: func() { dbDown.Store(true) }, readyCode: http.StatusServiceUnavailable, failed: "store"},
		{name: "ReadyAgainWhenStoreBack", act: func() { dbDown.Store(false) }, readyCode: http.StatusOK},
		{name: "UnreadyWhileDraining", act: h.Drain, readyCode: http.StatusServiceUnavailable, failed: "shutdown"},
	}
	for _, s := range steps {
		s.act()
		code, st := get("/readyz")
		if code != s.readyCode {
			t.Errorf("%s: /readyz = %d %+v, want %d", s.name, code, st, s.readyCode)
		}
		if s.failed != "" && st.Checks[s.failed] != "failed" {
			t.Errorf("%s: checks %v, want %s failed", s.name, st.Checks, s.failed)
		}
		if code, _ := get("/livez"); code != http.StatusOK {
			t.Errorf("%s: /livez = %d, want 200 regardless of dependencies", s.name, code)
		}
	}
	if !strings.Contains(logs.String(), "readiness check failed") {
		t.Errorf("the failure was not logged: %s", logs.String())
	}
}
