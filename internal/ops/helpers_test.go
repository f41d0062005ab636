package ops_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/server"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent logging.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// user is a test user of the auth configuration file.
type user struct {
	name, password string
	grants         []string
}

// writeAuthConfig writes an auth configuration file with users (hashed at
// bcrypt's minimum cost, to keep tests fast) and extra YAML appended.
func writeAuthConfig(t *testing.T, users []user, extra string) string {
	t.Helper()
	var b strings.Builder
	// The cheapest bcrypt cost for passwords set through the API, too.
	b.WriteString("passwordCost: 4\nusers:\n")
	for _, u := range users {
		h, err := bcrypt.GenerateFromPassword([]byte(u.password), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("  - name: " + u.name + "\n    passwordHash: '" + string(h) + "'\n    grants: [" + strings.Join(u.grants, ", ") + "]\n")
	}
	b.WriteString(extra)
	path := filepath.Join(t.TempDir(), "auth.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startServer starts a registry on the embedded store on a free loopback
// port, logging at debug level into logs when it is not nil.
func startServer(t *testing.T, cfg server.Config, logs io.Writer, opts ...server.Option) *server.Server {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Ops.AuditLog == "" {
		cfg.Ops.AuditLog = ops.AuditOff
	}
	if logs == nil {
		logs = io.Discard
	}
	cfg.LogLevel = "debug"
	log, err := server.NewLogger(cfg, logs)
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(context.Background(), cfg, append([]server.Option{server.WithLogger(log)}, opts...)...)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s
}

// routes lists the routes the server's router registered.
func routes(t *testing.T, s *server.Server) [][2]string {
	t.Helper()
	a, ok := s.Handler().(*api.API)
	if !ok {
		t.Fatalf("server handler is %T, want *api.API", s.Handler())
	}
	var out [][2]string
	for _, r := range a.Echo().Routes() {
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
			out = append(out, [2]string{r.Method, r.Path})
		}
	}
	return out
}

// credential authenticates a request.
type credential func(*http.Request)

func basic(user, password string) credential {
	return func(r *http.Request) { r.SetBasicAuth(user, password) }
}

func bearer(token string) credential {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func anonymous(*http.Request) {}

// response is an answered request.
type response struct {
	status int
	body   []byte
	header http.Header
}

// errorCode returns the error_code of a Confluent-style error body.
func (r response) errorCode() int {
	var e struct {
		ErrorCode int `json:"error_code"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.ErrorCode
}

// do sends a request with a JSON body (nil for none).
func do(t *testing.T, hc *http.Client, method, url string, cred credential, body any) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	}
	cred(req)
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, body: b, header: res.Header}
}

const avroV1 = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}`

// avroV2Incompatible adds a field without a default: BACKWARD-incompatible.
const avroV2Incompatible = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"total","type":"long"}]}`
