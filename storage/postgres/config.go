package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// ConfigGet returns the config stored for subject ("" for global);
// registry.ErrNotFound when none is.
func (e *executor) ConfigGet(ctx context.Context, subject string) (*registry.Config, error) {
	var (
		level          *string
		minDeprecation *int64
		c              registry.Config
	)
	err := e.db.QueryRow(ctx, `
		SELECT compatibility, additive_only, normalize, min_deprecation_seconds, consumer_breakage
		FROM configs WHERE subject = $1`, subject,
	).Scan(&level, &c.AdditiveOnly, &c.Normalize, &minDeprecation, &c.ConsumerBreakage)
	if err != nil {
		return nil, fmt.Errorf("postgres: config of %q: %w", subject, translate(err))
	}
	if level != nil {
		c.Compatibility = ptr(compat.Level(*level))
	}
	if minDeprecation != nil {
		c.MinDeprecationPeriod = ptr(time.Duration(*minDeprecation) * time.Second)
	}
	return &c, nil
}

// ConfigSet replaces the config stored for subject ("" for global); nil
// fields are stored unset. MinDeprecationPeriod is kept in whole seconds.
func (e *executor) ConfigSet(ctx context.Context, subject string, c registry.Config) error {
	var minDeprecation *int64
	if c.MinDeprecationPeriod != nil {
		minDeprecation = ptr(int64(*c.MinDeprecationPeriod / time.Second))
	}
	_, err := e.db.Exec(ctx, `
		INSERT INTO configs (subject, compatibility, additive_only, normalize, min_deprecation_seconds, consumer_breakage)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (subject) DO UPDATE SET
			compatibility = excluded.compatibility,
			additive_only = excluded.additive_only,
			normalize = excluded.normalize,
			min_deprecation_seconds = excluded.min_deprecation_seconds,
			consumer_breakage = excluded.consumer_breakage,
			updated_at = now()`,
		subject, (*string)(c.Compatibility), c.AdditiveOnly, c.Normalize, minDeprecation, c.ConsumerBreakage)
	if err != nil {
		return fmt.Errorf("postgres: set config of %q: %w", subject, translate(err))
	}
	return nil
}

// ConfigDelete removes the config stored for subject; registry.ErrNotFound
// when none is.
func (e *executor) ConfigDelete(ctx context.Context, subject string) error {
	tag, err := e.db.Exec(ctx, `DELETE FROM configs WHERE subject = $1`, subject)
	if err := affectedOne(tag, err); err != nil {
		return fmt.Errorf("postgres: delete config of %q: %w", subject, err)
	}
	return nil
}

// ModeGet returns the mode stored for subject ("" for global);
// registry.ErrNotFound when none is.
func (e *executor) ModeGet(ctx context.Context, subject string) (registry.Mode, error) {
	var m string
	if err := e.db.QueryRow(ctx, `SELECT mode FROM modes WHERE subject = $1`, subject).Scan(&m); err != nil {
		return "", fmt.Errorf("postgres: mode of %q: %w", subject, translate(err))
	}
	return registry.Mode(m), nil
}

// ModeSet stores the mode for subject ("" for global).
func (e *executor) ModeSet(ctx context.Context, subject string, m registry.Mode) error {
	_, err := e.db.Exec(ctx, `
		INSERT INTO modes (subject, mode) VALUES ($1, $2)
		ON CONFLICT (subject) DO UPDATE SET mode = excluded.mode, updated_at = now()`,
		subject, string(m))
	if err != nil {
		return fmt.Errorf("postgres: set mode of %q: %w", subject, translate(err))
	}
	return nil
}

// ModeDelete removes the mode stored for subject; registry.ErrNotFound when
// none is.
func (e *executor) ModeDelete(ctx context.Context, subject string) error {
	tag, err := e.db.Exec(ctx, `DELETE FROM modes WHERE subject = $1`, subject)
	if err := affectedOne(tag, err); err != nil {
		return fmt.Errorf("postgres: delete mode of %q: %w", subject, err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
