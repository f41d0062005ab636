package requestid_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/ops/requestid"
)

func TestMiddlewareAndLogs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"KeepsAProxysID", "abc-123", true},
		{"ReplacesAMissingID", "", false},
		{"ReplacesAnInjectionAttempt", "x\" level=ERROR", false},
		{"ReplacesAnOverlongID", strings.Repeat("a", 200), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			log := slog.New(requestid.LogHandler(slog.NewJSONHandler(&logs, nil)))
			e := echo.New()
			e.Pre(requestid.Middleware)
			e.GET("/x", func(c echo.Context) error {
				log.InfoContext(c.Request().Context(), "handled")
				return c.String(http.StatusOK, requestid.FromContext(c.Request().Context()))
			})
			req := httptest.NewRequest(http.MethodGet, "/x", nil)
			if tt.incoming != "" {
				req.Header.Set(requestid.Header, tt.incoming)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)

			id := rec.Header().Get(requestid.Header)
			if id == "" || rec.Body.String() != id {
				t.Fatalf("header %q, context %q: want the same non-empty id", id, rec.Body)
			}
			if (id == tt.incoming) != tt.keep {
				t.Errorf("id = %q from incoming %q, keep = %v", id, tt.incoming, tt.keep)
			}
			var rec1 map[string]any
			if err := json.Unmarshal(logs.Bytes(), &rec1); err != nil {
				t.Fatalf("log %q: %v", logs.String(), err)
			}
			if rec1[requestid.Attr] != id {
				t.Errorf("log record %v lacks %s=%s", rec1, requestid.Attr, id)
			}
		})
	}
}
