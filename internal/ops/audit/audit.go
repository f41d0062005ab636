// Package audit keeps the audit trail: one JSON line for every write
// request (registrations, deletes, config and mode changes, token and user
// management, and any other non-read route), whether it succeeded, failed
// or was refused, with who made it, what it did, to which subject,
// version and id, and when.
//
// The trail goes to standard output or to a file, separate from the
// operational log so that it can be shipped and retained on its own
// terms. Request and response bodies are never recorded, so schemas,
// passwords and token secrets cannot reach it.
//
// audit depends on echo, auth (to name the principal) and requestid; it
// must not import the registry domain, the API or storage.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Record is one audited write.
type Record struct {
	Time      time.Time `json:"time"`
	RequestID string    `json:"request_id,omitempty"`
	// Principal names who made the request ("anonymous" when no one
	// authenticated); Auth says how they proved it.
	Principal string `json:"principal"`
	Auth      string `json:"auth,omitempty"`
	// Action names the operation, such as schema.register or
	// config.set.
	Action string `json:"action"`
	Method string `json:"method"`
	Route  string `json:"route"`
	// Subject is the subject written; empty for global config and mode.
	Subject string `json:"subject,omitempty"`
	// Version is the subject version registered or deleted.
	Version int `json:"version,omitempty"`
	// Subjects are the subjects a write concerned when it names several:
	// those a consumer reads, before and after the write.
	Subjects []string `json:"subjects,omitempty"`
	// Versions are the versions a subject delete removed.
	Versions []int `json:"versions,omitempty"`
	// ID is the schema id registered.
	ID int `json:"id,omitempty"`
	// Target names any other object written: a token id, a user, a
	// consumer or a deprecation record's id.
	Target string `json:"target,omitempty"`
	// Permanent marks a hard delete.
	Permanent bool `json:"permanent,omitempty"`
	// Path is the schema path a deprecation write concerns; OldSunset and
	// NewSunset its sunset dates before and after (YYYY-MM-DD, "none"),
	// set when the sunset changed; Forced marks a sunset accepted only
	// with force=true (in the past, or earlier than the old one).
	Path      string `json:"path,omitempty"`
	OldSunset string `json:"old_sunset,omitempty"`
	NewSunset string `json:"new_sunset,omitempty"`
	Forced    bool   `json:"forced,omitempty"`
	// Status is the HTTP status answered; Outcome is success, denied
	// (401, 403, 429) or failed.
	Status     int    `json:"status"`
	Outcome    string `json:"outcome"`
	RemoteAddr string `json:"remote_addr,omitempty"`
}

// Outcomes.
const (
	OutcomeSuccess = "success"
	OutcomeDenied  = "denied"
	OutcomeFailed  = "failed"
)

// Logger writes records as JSON lines. It is safe for concurrent use.
type Logger struct {
	mu     sync.Mutex
	w      io.Writer
	closer io.Closer
}

// New returns a Logger writing to w.
func New(w io.Writer) *Logger { return &Logger{w: w} }

// Open returns a Logger for dest: "stdout" (or empty) and "stderr" name
// the process's streams; anything else is a file, created if needed with
// mode 0600 and appended to.
func Open(dest string) (*Logger, error) {
	switch dest {
	case "", "stdout", "-":
		return New(os.Stdout), nil
	case "stderr":
		return New(os.Stderr), nil
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: open %s: %w", dest, err)
	}
	return &Logger{w: f, closer: f}, nil
}

// Write appends r as one line. Lines from concurrent writers never
// interleave.
func (l *Logger) Write(r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("audit: encode: %w", err)
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.w.Write(b); err != nil {
		return fmt.Errorf("audit: write: %w", err)
	}
	return nil
}

// Close closes the file Open opened; it does nothing for the standard
// streams.
func (l *Logger) Close() error {
	if l.closer == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.closer.Close()
	l.closer = nil
	if errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}

type ctxKey struct{}

// newContext returns ctx carrying the draft record of a write in progress.
func newContext(ctx context.Context, r *Record) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// Annotate lets the code that performs a write add what only it knows (the
// version and id a registration got, the id of a created token) to the
// request's audit record. It does nothing when ctx carries no record. fn
// runs on the request's goroutine, before the record is written.
func Annotate(ctx context.Context, fn func(r *Record)) {
	if r, ok := ctx.Value(ctxKey{}).(*Record); ok && r != nil {
		fn(r)
	}
}
