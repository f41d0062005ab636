package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// ConfigGet returns the config stored for subject ("" for global);
// registry.ErrNotFound when none is.
func (e *executor) ConfigGet(ctx context.Context, subject string) (*registry.Config, error) {
	var (
		level          sql.NullString
		additive, norm sql.NullBool
		minDeprecation sql.NullInt64
		breakage       sql.NullString
	)
	err := e.r.QueryRowContext(ctx, `
		SELECT compatibility, additive_only, normalize, min_deprecation_seconds, consumer_breakage
		FROM configs WHERE subject = ?`, subject,
	).Scan(&level, &additive, &norm, &minDeprecation, &breakage)
	if err != nil {
		return nil, fmt.Errorf("sqlite: config of %q: %w", subject, translate(err))
	}
	var c registry.Config
	if level.Valid {
		c.Compatibility = ptr(compat.Level(level.String))
	}
	if additive.Valid {
		c.AdditiveOnly = ptr(additive.Bool)
	}
	if norm.Valid {
		c.Normalize = ptr(norm.Bool)
	}
	if minDeprecation.Valid {
		c.MinDeprecationPeriod = ptr(time.Duration(minDeprecation.Int64) * time.Second)
	}
	if breakage.Valid {
		c.ConsumerBreakage = ptr(breakage.String)
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
	_, err := e.w.ExecContext(ctx, `
		INSERT INTO configs (subject, compatibility, additive_only, normalize, min_deprecation_seconds, consumer_breakage, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (subject) DO UPDATE SET
			compatibility = excluded.compatibility,
			additive_only = excluded.additive_only,
			normalize = excluded.normalize,
			min_deprecation_seconds = excluded.min_deprecation_seconds,
			consumer_breakage = excluded.consumer_breakage,
			updated_at = excluded.updated_at`,
		subject, (*string)(c.Compatibility), c.AdditiveOnly, c.Normalize, minDeprecation, c.ConsumerBreakage, formatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("sqlite: set config of %q: %w", subject, translate(err))
	}
	return nil
}

// ConfigDelete removes the config stored for subject; registry.ErrNotFound
// when none is.
func (e *executor) ConfigDelete(ctx context.Context, subject string) error {
	res, err := e.w.ExecContext(ctx, `DELETE FROM configs WHERE subject = ?`, subject)
	if err := affectedOne(res, err); err != nil {
		return fmt.Errorf("sqlite: delete config of %q: %w", subject, err)
	}
	return nil
}

// ModeGet returns the mode stored for subject ("" for global);
// registry.ErrNotFound when none is.
func (e *executor) ModeGet(ctx context.Context, subject string) (registry.Mode, error) {
	var m string
	if err := e.r.QueryRowContext(ctx, `SELECT mode FROM modes WHERE subject = ?`, subject).Scan(&m); err != nil {
		return "", fmt.Errorf("sqlite: mode of %q: %w", subject, translate(err))
	}
	return registry.Mode(m), nil
}

// ModeSet stores the mode for subject ("" for global).
func (e *executor) ModeSet(ctx context.Context, subject string, m registry.Mode) error {
	_, err := e.w.ExecContext(ctx, `
		INSERT INTO modes (subject, mode, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (subject) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`,
		subject, string(m), formatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("sqlite: set mode of %q: %w", subject, translate(err))
	}
	return nil
}

// ModeDelete removes the mode stored for subject; registry.ErrNotFound when
// none is.
func (e *executor) ModeDelete(ctx context.Context, subject string) error {
	res, err := e.w.ExecContext(ctx, `DELETE FROM modes WHERE subject = ?`, subject)
	if err := affectedOne(res, err); err != nil {
		return fmt.Errorf("sqlite: delete mode of %q: %w", subject, err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
