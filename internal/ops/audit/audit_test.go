package audit_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/ops/audit"
)

func TestMiddlewareRecordsWritesOnly(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := audit.New(&buf)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	e := echo.New()
	e.Pre(audit.Middleware(l, audit.MiddlewareOptions{Now: func() time.Time { return now }}))
	// Stand-in for the auth middleware.
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := &auth.Principal{Name: "alice", Method: auth.MethodBasic}
			c.SetRequest(c.Request().WithContext(auth.WithPrincipal(c.Request().Context(), p)))
			return next(c)
		}
	})
	e.POST("/subjects/:subject/versions", func(c echo.Context) error {
		audit.Annotate(c.Request().Context(), func(r *audit.Record) { r.Version, r.ID = 3, 42 })
		return c.JSON(http.StatusOK, map[string]int{"id": 42})
	})
	e.POST("/subjects/:subject", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	e.GET("/subjects/:subject/versions", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	e.DELETE("/subjects/:subject/versions/:version", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusNotFound, "no such version")
	})
	e.PUT("/v1/things/:name", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })

	for _, r := range []struct{ method, target string }{
		{http.MethodPost, "/subjects/a%2Fb/versions"},
		{http.MethodPost, "/subjects/a"},         // lookup: read-only
		{http.MethodGet, "/subjects/a/versions"}, // read
		{http.MethodDelete, "/subjects/a/versions/7?permanent=true"},
		{http.MethodPut, "/v1/things/widget"},
	} {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(r.method, r.target, nil))
	}

	var got []audit.Record
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var r audit.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, r)
	}
	want := []audit.Record{
		{Time: now, Principal: "alice", Auth: "basic", Action: "schema.register", Method: "POST", Route: "/subjects/:subject/versions",
			Subject: "a/b", Version: 3, ID: 42, Status: 200, Outcome: audit.OutcomeSuccess, RemoteAddr: "192.0.2.1:1234"},
		{Time: now, Principal: "alice", Auth: "basic", Action: "version.delete", Method: "DELETE", Route: "/subjects/:subject/versions/:version",
			Subject: "a", Version: 7, Permanent: true, Status: 404, Outcome: audit.OutcomeFailed, RemoteAddr: "192.0.2.1:1234"},
		{Time: now, Principal: "alice", Auth: "basic", Action: "put /v1/things/:name", Method: "PUT", Route: "/v1/things/:name",
			Target: "widget", Status: 204, Outcome: audit.OutcomeSuccess, RemoteAddr: "192.0.2.1:1234"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.Time.Equal(w.Time) {
			t.Errorf("record %d time %s, want %s", i, g.Time, w.Time)
		}
		g.Time, w.Time = time.Time{}, time.Time{}
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		if !bytes.Equal(gj, wj) {
			t.Errorf("record %d =\n%s\nwant\n%s", i, gj, wj)
		}
	}
}

func TestOpenAppendsToAPrivateFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.log")
	for i := range 2 {
		l, err := audit.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Write(&audit.Record{Action: "a", Status: 200 + i}); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), "\n"); n != 2 {
		t.Errorf("%d lines after two opens, want 2 (appended):\n%s", n, b)
	}
}

func TestConcurrentWritesDoNotInterleave(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := audit.New(&buf)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { _ = l.Write(&audit.Record{Action: strings.Repeat("x", 100+i)}) })
	}
	wg.Wait()
	sc := bufio.NewScanner(&buf)
	n := 0
	for sc.Scan() {
		var r audit.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d is not a record: %v", n, err)
		}
		n++
	}
	if n != 50 {
		t.Errorf("%d lines, want 50", n)
	}
}
