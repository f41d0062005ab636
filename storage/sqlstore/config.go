package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// ConfigGet returns the config stored for subject ("" for global);
// registry.ErrNotFound when none is.
func (e *Executor) ConfigGet(ctx context.Context, subject string) (*registry.Config, error) {
	var (
		level          *string
		minDeprecation *int64
		c              registry.Config
		contracts      [4][]byte
	)
	err := e.conn.Reader().QueryRow(ctx, `
		SELECT compatibility, additive_only, normalize, min_deprecation_seconds, consumer_breakage,
			validate_fields, alias, compatibility_group,
			default_metadata, override_metadata, default_ruleset, override_ruleset
		FROM configs WHERE subject = $1`, subject,
	).Scan(&level, &c.AdditiveOnly, &c.Normalize, &minDeprecation, &c.ConsumerBreakage,
		&c.ValidateFields, &c.Alias, &c.CompatibilityGroup,
		&contracts[0], &contracts[1], &contracts[2], &contracts[3])
	if err != nil {
		return nil, e.errorf("config of %q: %w", subject, e.translate(err))
	}
	if level != nil {
		c.Compatibility = ptr(compat.Level(*level))
	}
	if minDeprecation != nil {
		c.MinDeprecationPeriod = ptr(time.Duration(*minDeprecation) * time.Second)
	}
	for i, dst := range []*json.RawMessage{&c.DefaultMetadata, &c.OverrideMetadata, &c.DefaultRuleSet, &c.OverrideRuleSet} {
		if contracts[i] != nil {
			*dst = json.RawMessage(contracts[i])
		}
	}
	return &c, nil
}

// ConfigSet replaces the config stored for subject ("" for global); nil
// fields are stored unset. MinDeprecationPeriod is kept in whole seconds.
func (e *Executor) ConfigSet(ctx context.Context, subject string, c registry.Config) error {
	var minDeprecation *int64
	if c.MinDeprecationPeriod != nil {
		minDeprecation = ptr(int64(*c.MinDeprecationPeriod / time.Second))
	}
	_, err := e.conn.Writer().Exec(ctx, `
		INSERT INTO configs (subject, compatibility, additive_only, normalize, min_deprecation_seconds, consumer_breakage, updated_at,
			validate_fields, alias, compatibility_group,
			default_metadata, override_metadata, default_ruleset, override_ruleset)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (subject) DO UPDATE SET
			compatibility = excluded.compatibility,
			additive_only = excluded.additive_only,
			normalize = excluded.normalize,
			min_deprecation_seconds = excluded.min_deprecation_seconds,
			consumer_breakage = excluded.consumer_breakage,
			updated_at = excluded.updated_at,
			validate_fields = excluded.validate_fields,
			alias = excluded.alias,
			compatibility_group = excluded.compatibility_group,
			default_metadata = excluded.default_metadata,
			override_metadata = excluded.override_metadata,
			default_ruleset = excluded.default_ruleset,
			override_ruleset = excluded.override_ruleset`,
		subject, (*string)(c.Compatibility), c.AdditiveOnly, c.Normalize, minDeprecation, c.ConsumerBreakage, e.now(),
		c.ValidateFields, c.Alias, c.CompatibilityGroup,
		nullJSON(c.DefaultMetadata), nullJSON(c.OverrideMetadata), nullJSON(c.DefaultRuleSet), nullJSON(c.OverrideRuleSet))
	if err != nil {
		return e.errorf("set config of %q: %w", subject, e.translate(err))
	}
	return nil
}

// ConfigDelete removes the config stored for subject; registry.ErrNotFound
// when none is.
func (e *Executor) ConfigDelete(ctx context.Context, subject string) error {
	return e.deleteOfSubject(ctx, "configs", "config", subject)
}

// ModeGet returns the mode stored for subject ("" for global);
// registry.ErrNotFound when none is.
func (e *Executor) ModeGet(ctx context.Context, subject string) (registry.Mode, error) {
	var m string
	if err := e.conn.Reader().QueryRow(ctx, `SELECT mode FROM modes WHERE subject = $1`, subject).Scan(&m); err != nil {
		return "", e.errorf("mode of %q: %w", subject, e.translate(err))
	}
	return registry.Mode(m), nil
}

// ModeSet stores the mode for subject ("" for global).
func (e *Executor) ModeSet(ctx context.Context, subject string, m registry.Mode) error {
	_, err := e.conn.Writer().Exec(ctx, `
		INSERT INTO modes (subject, mode, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (subject) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`,
		subject, string(m), e.now())
	if err != nil {
		return e.errorf("set mode of %q: %w", subject, e.translate(err))
	}
	return nil
}

// ModeDelete removes the mode stored for subject; registry.ErrNotFound when
// none is.
func (e *Executor) ModeDelete(ctx context.Context, subject string) error {
	return e.deleteOfSubject(ctx, "modes", "mode", subject)
}

// deleteOfSubject removes subject's row from table, a table keyed by
// subject alone (configs, modes); registry.ErrNotFound when there is none.
// what names the row in the error.
func (e *Executor) deleteOfSubject(ctx context.Context, table, what, subject string) error {
	if err := e.affectedOne(e.conn.Writer().Exec(ctx, `DELETE FROM `+table+` WHERE subject = $1`, subject)); err != nil {
		return e.errorf("delete %s of %q: %w", what, subject, err)
	}
	return nil
}

// now is the current time as a statement argument.
func (e *Executor) now() any { return e.d.Time(time.Now().UTC()) }
