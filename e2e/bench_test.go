package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// The benchmarks below run the registry in process (server.New, on a
// loopback port) so that "go test -bench -cpuprofile" profiles it under
// the same requests cmd/loadgen sends to the binary. The client shares
// the process: read a profile with a focus on the server side, e.g.
//
//	go tool pprof -top -focus 'net/http.\(\*conn\).serve' cpu.out
//
// The throughput that counts is the one docs/benchmarks.md reports from
// separate processes (scripts/bench.sh).

// benchConnections is the number of concurrent client connections of
// the read and re-registration benchmarks, as in docs/benchmarks.md.
const benchConnections = 64

// benchStores are the stores the benchmarks run the registry on, under
// the names docs/benchmarks.md reports them by. The server opens each
// from its configuration, with its production pool settings.
var benchStores = []struct {
	name    string
	backend servertest.Backend
}{
	{"embedded", servertest.SQLite},
	{"postgres", servertest.PostgreSQL},
}

// startBenchServer starts an in-process registry of backend on a loopback
// port with the global compatibility NONE and returns its base URL.
func startBenchServer(b *testing.B, backend servertest.Backend) string {
	b.Helper()
	cfg := backend.Config(b)
	// The audit trail is written as in production, but not to the
	// benchmark's output; the logs are dropped.
	cfg.Ops.AuditLog = filepath.Join(b.TempDir(), "audit.log")
	srv := servertest.Start(b, servertest.WithConfig(cfg), servertest.WithoutLogs())
	if err := setGlobalCompatibility(b.Context(), newClient(1), srv.URL(), "NONE"); err != nil {
		b.Fatal(err)
	}
	return srv.URL()
}

// runClients sends b.N requests from conns concurrent connections, each
// built by req(i) for the i-th request, and fails the benchmark on any
// answer that is not 200. It reports requests/s.
func runClients(b *testing.B, conns int, req func(i int64) (*http.Request, error)) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
	}}
	defer client.CloseIdleConnections()
	var seq atomic.Int64
	b.ResetTimer()
	start := time.Now()
	done := make(chan struct{})
	for range conns {
		go func() {
			defer func() { done <- struct{}{} }()
			var buf bytes.Buffer
			for i := seq.Add(1); i <= int64(b.N); i = seq.Add(1) {
				r, err := req(i)
				if err != nil {
					b.Error(err)
					return
				}
				resp, err := client.Do(r)
				if err != nil {
					b.Error(err)
					return
				}
				buf.Reset()
				_, err = buf.ReadFrom(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Errorf("%s %s: %d %s %v", r.Method, r.URL.Path, resp.StatusCode, buf.Bytes(), err)
					return
				}
			}
		}()
	}
	for range conns {
		<-done
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkGetSchemaByID measures GET /schemas/ids/{id} at 64
// connections on each store, and a bare net/http handler serving the same
// bytes.
func BenchmarkGetSchemaByID(b *testing.B) {
	const text = `{"type":"record","name":"Bench","fields":[{"name":"id","type":"long"}]}`
	for _, st := range benchStores {
		b.Run(st.name, func(b *testing.B) {
			base := startBenchServer(b, st.backend)
			r, err := register(b.Context(), newClient(1), base, "bench-value", text)
			if err != nil {
				b.Fatal(err)
			}
			url := base + "/schemas/ids/" + strconv.Itoa(r.ID)
			runClients(b, benchConnections, func(int64) (*http.Request, error) {
				return http.NewRequest(http.MethodGet, url, nil)
			})
		})
	}
	b.Run("bare", func(b *testing.B) {
		base := startBenchServer(b, benchStores[0].backend)
		r, err := register(b.Context(), newClient(1), base, "bench-value", text)
		if err != nil {
			b.Fatal(err)
		}
		resp, err := http.Get(base + "/schemas/ids/" + strconv.Itoa(r.ID))
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		header := resp.Header.Clone()
		header.Del("Date")
		bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			for k, v := range header {
				h[k] = v
			}
			w.Write(body)
		}))
		b.Cleanup(bare.Close)
		runClients(b, benchConnections, func(int64) (*http.Request, error) {
			return http.NewRequest(http.MethodGet, bare.URL+"/schemas/ids/1", nil)
		})
	})
}

// BenchmarkRegisterSame measures idempotent re-registrations of 64
// schemas already registered over 8 subjects, at 64 connections.
func BenchmarkRegisterSame(b *testing.B) {
	const schemas, subjects = 64, 8
	for _, st := range benchStores {
		b.Run(st.name, func(b *testing.B) {
			base := startBenchServer(b, st.backend)
			bodies := make([][]byte, schemas)
			urls := make([]string, schemas)
			for i := range schemas {
				subject := "bench-" + strconv.Itoa(i%subjects) + "-value"
				if _, err := register(b.Context(), newClient(1), base, subject, schemaText(i)); err != nil {
					b.Fatal(err)
				}
				bodies[i] = fmt.Appendf(nil, `{"schema":%q}`, schemaText(i))
				urls[i] = base + "/subjects/" + subject + "/versions"
			}
			runClients(b, benchConnections, func(i int64) (*http.Request, error) {
				r, err := http.NewRequest(http.MethodPost, urls[i%schemas], bytes.NewReader(bodies[i%schemas]))
				if err == nil {
					r.Header.Set("Content-Type", contentType)
				}
				return r, err
			})
		})
	}
}

// BenchmarkRegisterNew measures new versions/s: 8 writers registering
// fresh schemas over 8 subjects.
func BenchmarkRegisterNew(b *testing.B) {
	const writers, subjects = 8, 8
	for _, st := range benchStores {
		b.Run(st.name, func(b *testing.B) {
			base := startBenchServer(b, st.backend)
			runClients(b, writers, func(i int64) (*http.Request, error) {
				url := base + "/subjects/bench-" + strconv.FormatInt(i%subjects, 10) + "-value/versions"
				r, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(fmt.Appendf(nil, `{"schema":%q}`, schemaText(int(i)))))
				if err == nil {
					r.Header.Set("Content-Type", contentType)
				}
				return r, err
			})
		})
	}
}
