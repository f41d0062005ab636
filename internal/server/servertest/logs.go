package servertest

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"
)

// LogBuffer collects log output; the server's goroutines may write while
// the test reads.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ListeningAddr returns the address of the JSON "registry listening" log
// line, or "" while there is none.
func (b *LogBuffer) ListeningAddr() string {
	for _, line := range strings.Split(b.String(), "\n") {
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "registry listening" {
			return rec.Addr
		}
	}
	return ""
}

// WaitListening waits up to timeout for a registry logging into b (a
// process started by other means than Start) to report its address, and
// returns it; it fails the test on timeout.
func (b *LogBuffer) WaitListening(t testing.TB, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if addr := b.ListeningAddr(); addr != "" {
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("servertest: the registry did not report listening within %s; logs:\n%s", timeout, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
