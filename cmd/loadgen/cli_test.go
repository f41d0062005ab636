package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/srapi"
)

// runJSON runs loadgen with -json appended and decodes its report.
func runJSON(t *testing.T, args ...string) (int, report, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), append(args, "-json"), &stdout, &stderr)
	var rep report
	if code == exitOK || code == exitRequestErrors {
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("decode report %q: %v", stdout.String(), err)
		}
	}
	return code, rep, stderr.String()
}

// short are flags that keep a test run brief.
var short = []string{"-c", "4", "-d", "300ms", "-warmup", "0"}

func TestGetSendsPathsRoundRobin(t *testing.T) {
	t.Parallel()
	fake, url := newFakeRegistry(t)
	code, rep, stderr := runJSON(t, append([]string{"get", "-url", url, "-path", "/schemas/ids/1", "-path", "/schemas/ids/2"}, short...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	one, two := fake.count("GET /schemas/ids/1"), fake.count("GET /schemas/ids/2")
	if rep.Requests == 0 || rep.Errors != 0 || int64(one+two) != rep.Requests {
		t.Errorf("report %+v; server saw %d + %d requests", rep, one, two)
	}
	if d := one - two; d < -1 || d > 1 {
		t.Errorf("paths hit %d and %d times, want round robin", one, two)
	}
	if rep.Latency.P50 <= 0 || rep.Latency.P50 > rep.Latency.P99 || rep.Latency.P99 > rep.Latency.Max {
		t.Errorf("latencies %+v are not ordered", rep.Latency)
	}
}

func TestRequestFailuresAreCountedByKind(t *testing.T) {
	t.Parallel()
	fake, url := newFakeRegistry(t)
	fake.failPath = "/schemas/ids/9"
	code, rep, _ := runJSON(t, append([]string{"get", "-url", url, "-path", "/schemas/ids/9,/schemas/ids/1"}, short...)...)
	if code != exitRequestErrors {
		t.Errorf("exit %d, want %d", code, exitRequestErrors)
	}
	if n := int64(fake.count("GET /schemas/ids/9")); rep.ErrorsByKind["status 500"] != n || rep.Errors != n || n == 0 {
		t.Errorf("errors %v, want %d of status 500", rep.ErrorsByKind, n)
	}
}

func TestRegisterNewRegistersAFreshSchemaPerRequest(t *testing.T) {
	t.Parallel()
	fake, url := newFakeRegistry(t)
	code, rep, stderr := runJSON(t, "register-new", "-url", url, "-subjects", "3", "-n", "50", "-c", "4", "-warmup", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rep.Requests != 50 || len(fake.ids) != 50 {
		t.Errorf("%d requests registered %d schemas, want 50 and 50", rep.Requests, len(fake.ids))
	}
	if len(fake.levels) != 3 {
		t.Errorf("compatibility set on %v, want 3 subjects", fake.levels)
	}
	for s, level := range fake.levels {
		if level != "NONE" || !strings.HasPrefix(s, "loadgen-") {
			t.Errorf("subject %s set to %q, want a loadgen- subject at NONE", s, level)
		}
	}
}

func TestRegisterSameReRegistersTheSetupSchemas(t *testing.T) {
	t.Parallel()
	fake, url := newFakeRegistry(t)
	code, rep, stderr := runJSON(t, "register-same", "-url", url, "-schemas", "5", "-subjects", "2", "-n", "40", "-c", "4", "-warmup", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	posts := 0
	for k, n := range fake.hits {
		if strings.HasPrefix(k, "POST ") {
			posts += n
		}
	}
	if rep.Requests != 40 || rep.Errors != 0 || len(fake.ids) != 5 || posts != 45 {
		t.Errorf("report %+v; server saw %d schemas in %d POSTs, want 40 requests, 5 schemas, 45 POSTs", rep, len(fake.ids), posts)
	}
}

func TestRegisterSameDetectsAWrongID(t *testing.T) {
	t.Parallel()
	g := &registerSameLoad{targets: []string{"http://x"}, registered: []registration{{subject: "s", body: []byte("{}"), id: 7}}}
	o := g.next(0)
	if err := o.check([]byte(`{"id":7}`)); err != nil {
		t.Errorf("id 7: %v", err)
	}
	if err := o.check([]byte(`{"id":8}`)); err == nil {
		t.Error("id 8 accepted, want an error")
	}
	if err := o.check([]byte(`<html>`)); err == nil {
		t.Error("non-JSON accepted, want an error")
	}
}

func TestBadCommandLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"NoMode", nil, exitUsage},
		{"UnknownMode", []string{"post"}, exitUsage},
		{"NoConnections", []string{"get", "-c", "0"}, exitUsage},
		{"NegativeDuration", []string{"get", "-d", "-1s"}, exitUsage},
		{"StrayArgument", []string{"get", "extra"}, exitUsage},
		{"UnknownFlag", []string{"get", "-subjects", "3"}, exitUsage},
		{"NoSchemas", []string{"register-same", "-schemas", "0"}, exitUsage},
		{"BareWithoutSource", []string{"bare"}, exitUsage},
		{"HelpOfAMode", []string{"get", "-h"}, exitOK},
		{"Help", []string{"help"}, exitOK},
		{"UnreachableSetup", []string{"register-new", "-url", "http://127.0.0.1:1", "-d", "1s"}, exitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if got := run(t.Context(), tt.args, &stdout, &stderr); got != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", got, tt.want, stderr.String())
			}
		})
	}
}

func TestBareServesTheFetchedAnswer(t *testing.T) {
	t.Parallel()
	_, url := newFakeRegistry(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"bare", "-from", url + "/schemas/ids/1", "-listen", "127.0.0.1:0", "-for", "30s"}, w, io.Discard)
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "bare listening on ")
	if !ok {
		t.Fatalf("first line %q, want the bound address", line)
	}
	resp, err := http.Get(addr + "/any/path")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"schema":"\"string\""}` || resp.Header.Get("Etag") != `"fixed"` || resp.Header.Get("Content-Type") != srapi.ContentType {
		t.Errorf("bare answered %q with headers %v", body, resp.Header)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after cancel, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("bare did not stop after its context ended")
	}
}
