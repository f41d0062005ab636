package ratelimit_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/clocktest"
	"github.com/schemata-dev/schemata/internal/ops/ratelimit"
	"github.com/schemata-dev/schemata/srapi"
)

func TestAllowPerKey(t *testing.T) {
	t.Parallel()
	now := clocktest.New(time.Unix(1_700_000_000, 0))
	l := ratelimit.New(ratelimit.Options{Rate: 2, Burst: 3, Now: now.Now})
	tests := []struct {
		name    string
		key     string
		advance time.Duration
		want    bool
	}{
		{"BurstFirst", "alice", 0, true},
		{"BurstSecond", "alice", 0, true},
		{"BurstThird", "alice", 0, true},
		{"BurstSpent", "alice", 0, false},
		{"OtherKeyUnaffected", "bob", 0, true},
		{"RefillsAtRate", "alice", 500 * time.Millisecond, true},
		{"OneTokenOnly", "alice", 0, false},
	}
	// Steps depend on each other: run in order.
	for _, tt := range tests {
		now.Advance(tt.advance)
		got, wait := l.Allow(tt.key)
		if got != tt.want {
			t.Fatalf("%s: Allow(%s) = %v, want %v", tt.name, tt.key, got, tt.want)
		}
		if !got && (wait <= 0 || wait > 500*time.Millisecond) {
			t.Errorf("%s: wait %s, want in (0, 500ms]", tt.name, wait)
		}
	}
}

func TestIdleBucketsAreDropped(t *testing.T) {
	t.Parallel()
	now := clocktest.New(time.Unix(1_700_000_000, 0))
	l := ratelimit.New(ratelimit.Options{Rate: 1, Idle: time.Minute, Now: now.Now})
	for _, k := range []string{"a", "b", "c"} {
		l.Allow(k)
	}
	now.Advance(2 * time.Minute)
	l.Allow("d")
	if got := l.Len(); got != 1 {
		t.Errorf("buckets after idle sweep = %d, want 1", got)
	}
}

func TestMiddlewareAnswers429(t *testing.T) {
	t.Parallel()
	l := ratelimit.New(ratelimit.Options{Rate: 1, Burst: 1})
	var limited []string
	e := echo.New()
	e.Use(ratelimit.Middleware(l, ratelimit.RemoteAddrKey, func(k string) { limited = append(limited, k) }))
	e.GET("/x", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })

	do := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.RemoteAddr = "192.0.2.7:5555"
		req.Header.Set("X-Forwarded-For", "198.51.100.1") // must not change the key
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	if rec := do(); rec.Code != http.StatusOK {
		t.Fatalf("first request: %d", rec.Code)
	}
	rec := do()
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("second request: %d, want 429", rec.Code)
	}
	if rec.Header().Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q, want 1", rec.Header().Get("Retry-After"))
	}
	var body srapi.ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.ErrorCode != srapi.CodeRateLimited || body.Message == "" {
		t.Errorf("body = %s (%v)", rec.Body, err)
	}
	if len(limited) != 1 || limited[0] != "ip:192.0.2.7" {
		t.Errorf("onLimited keys = %v, want [ip:192.0.2.7]", limited)
	}
}
