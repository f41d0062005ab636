package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemata-dev/schemata/internal/registry"
)

// Channel is the PostgreSQL notification channel changes are published on.
const Channel = "schemata_changes"

// maxPayload keeps payloads under PostgreSQL's 8000-byte limit; a change
// too large to describe (an enormous subject name) is sent as a reset.
const maxPayload = 7900

// notification is the JSON payload of one change.
type notification struct {
	// NS is the schema of the registry that wrote the change; watchers
	// ignore other registries sharing the database.
	NS       string `json:"ns"`
	Subject  string `json:"subject,omitempty"`
	SchemaID int    `json:"schema_id,omitempty"`
	Kind     string `json:"kind"`
}

func encodeChange(ns string, c registry.Change) (string, error) {
	b, err := json.Marshal(notification{NS: ns, Subject: c.Subject, SchemaID: c.SchemaID, Kind: string(c.Kind)})
	if err != nil {
		return "", fmt.Errorf("postgres: encode change: %w", err)
	}
	if len(b) > maxPayload {
		b, err = json.Marshal(notification{NS: ns, Kind: string(registry.ChangeReset)})
		if err != nil {
			return "", fmt.Errorf("postgres: encode change: %w", err)
		}
	}
	return string(b), nil
}

// Reconnection backoff of Watch.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// Watch listens on Channel over a dedicated connection and calls fn with
// every change committed by any process using this registry, until ctx
// ends or the Store is closed; then it returns nil. It blocks: run it in
// its own goroutine. fn runs on Watch's goroutine, one change at a time.
//
// Each time listening starts, first and after a lost connection is
// re-established (with exponential backoff), fn receives a
// registry.ChangeReset: changes committed while nobody listened are not
// replayed, so caches must drop what they hold.
func (s *Store) Watch(ctx context.Context, fn func(registry.Change)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.closed, cancel)
	defer stop()

	backoff := minBackoff
	for {
		err := s.listen(ctx, fn, func() { backoff = minBackoff })
		if ctx.Err() != nil {
			return nil
		}
		s.log.WarnContext(ctx, "postgres: change listener lost its connection; reconnecting",
			"err", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listen runs one LISTEN session until its connection fails or ctx ends.
// connected is called once the session listens.
func (s *Store) listen(ctx context.Context, fn func(registry.Change), connected func()) error {
	cfg := s.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = WatchApplicationName(s.ns)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	connected()
	fn(registry.Change{Kind: registry.ChangeReset})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		var msg notification
		if err := json.Unmarshal([]byte(n.Payload), &msg); err != nil {
			s.log.WarnContext(ctx, "postgres: ignoring malformed change notification", "payload", n.Payload, "err", err)
			continue
		}
		if msg.NS != s.ns {
			continue
		}
		fn(registry.Change{Subject: msg.Subject, SchemaID: msg.SchemaID, Kind: registry.ChangeKind(msg.Kind)})
	}
}

// WatchApplicationName is the application_name of the connection Watch
// listens on for the registry in schema ns (visible in pg_stat_activity).
func WatchApplicationName(ns string) string { return "schemata-watch " + ns }
