package registry

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/srapi"
)

// mergeConfig returns base with every field set in over replacing it.
func mergeConfig(base, over Config) Config {
	overlay(&base.Compatibility, over.Compatibility)
	overlay(&base.AdditiveOnly, over.AdditiveOnly)
	overlay(&base.Normalize, over.Normalize)
	overlay(&base.MinDeprecationPeriod, over.MinDeprecationPeriod)
	overlay(&base.ConsumerBreakage, over.ConsumerBreakage)
	overlay(&base.ValidateFields, over.ValidateFields)
	overlay(&base.Alias, over.Alias)
	overlay(&base.CompatibilityGroup, over.CompatibilityGroup)
	for _, f := range []struct{ dst, src *json.RawMessage }{
		{&base.DefaultMetadata, &over.DefaultMetadata},
		{&base.OverrideMetadata, &over.OverrideMetadata},
		{&base.DefaultRuleSet, &over.DefaultRuleSet},
		{&base.OverrideRuleSet, &over.OverrideRuleSet},
	} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
	for _, f := range over.Unset {
		base.unset(f)
	}
	base.Unset = nil
	return base
}

// overlay sets *dst to src when src is set.
func overlay[T any](dst **T, src *T) {
	if src != nil {
		*dst = src
	}
}

// unset clears field f.
func (c *Config) unset(f ConfigField) {
	switch f {
	case FieldCompatibility:
		c.Compatibility = nil
	case FieldAdditiveOnly:
		c.AdditiveOnly = nil
	case FieldNormalize:
		c.Normalize = nil
	case FieldMinDeprecation:
		c.MinDeprecationPeriod = nil
	case FieldConsumerBreakage:
		c.ConsumerBreakage = nil
	case FieldValidateFields:
		c.ValidateFields = nil
	case FieldAlias:
		c.Alias = nil
	case FieldCompatibilityGroup:
		c.CompatibilityGroup = nil
	case FieldDefaultMetadata:
		c.DefaultMetadata = nil
	case FieldOverrideMetadata:
		c.OverrideMetadata = nil
	case FieldDefaultRuleSet:
		c.DefaultRuleSet = nil
	case FieldOverrideRuleSet:
		c.OverrideRuleSet = nil
	}
}

// isEmpty reports whether no field of c is set.
func (c *Config) isEmpty() bool {
	return c == nil || c.Compatibility == nil && c.AdditiveOnly == nil && c.Normalize == nil &&
		c.MinDeprecationPeriod == nil && c.ConsumerBreakage == nil && c.ValidateFields == nil &&
		c.Alias == nil && c.CompatibilityGroup == nil && !c.hasContracts()
}

// storedConfig returns the config stored for subject, or nil.
func storedConfig(ctx context.Context, ex Executor, subject string) (*Config, error) {
	c, err := ex.ConfigGet(ctx, subject)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, storeError(err)
	}
	return c, nil
}

// cachedConfig is storedConfig through the config cache, which store
// changes (from any process) invalidate. Registrations read it too: a
// config change committed on another instance in the last milliseconds
// orders after a registration that has not seen it yet, as it would had
// it arrived a moment later.
func (s *Service) cachedConfig(ctx context.Context, ex Executor, subject string) (*Config, error) {
	return s.configs.get(subject, func() (*Config, error) { return storedConfig(ctx, ex, subject) })
}

// cachedMode is storedMode through the mode cache.
func (s *Service) cachedMode(ctx context.Context, ex Executor, subject string) (Mode, error) {
	return s.modes.get(subject, func() (Mode, error) { return storedMode(ctx, ex, subject) })
}

// effectiveConfig resolves subject's config: subject fields over global
// fields over the service defaults. Every field of the result is set.
func (s *Service) effectiveConfig(ctx context.Context, ex Executor, subject string) (Config, error) {
	c := s.opts.Defaults
	global, err := s.cachedConfig(ctx, ex, GlobalSubject)
	if err != nil {
		return Config{}, err
	}
	if global != nil {
		c = mergeConfig(c, *global)
	}
	if subject == GlobalSubject {
		return c, nil
	}
	// A named context's config sits between the global one and its
	// subjects'.
	levels := []string{subject}
	if level := contextLevel(subject); level != GlobalSubject && level != subject {
		levels = []string{level, subject}
	}
	for _, level := range levels {
		sub, err := s.cachedConfig(ctx, ex, level)
		if err != nil {
			return Config{}, err
		}
		if sub != nil {
			c = mergeConfig(c, *sub)
		}
	}
	return c, nil
}

// contextLevel is the subject holding the context-level config and mode
// of subject's context: ":.ctx:" for a named context, GlobalSubject for
// the default one, whose context level is the global level.
func contextLevel(subject string) string {
	return ContextPrefix(ContextOf(subject))
}

// Config returns the config in force for subject ("" for global). With
// defaultToGlobal, unset subject fields inherit the global config;
// without it, a subject with no config is srapi.CodeSubjectCompatNotSet and
// only the subject's own fields are returned.
func (s *Service) Config(ctx context.Context, subject string, defaultToGlobal bool) (Config, error) {
	if subject == GlobalSubject || defaultToGlobal {
		return s.effectiveConfig(ctx, s.store, subject)
	}
	c, err := storedConfig(ctx, s.store, subject)
	if err != nil {
		return Config{}, err
	}
	if c.isEmpty() {
		return Config{}, Errorf(srapi.CodeSubjectCompatNotSet, "Subject '%s' does not have subject-level compatibility configured", subject)
	}
	return *c, nil
}

// SetConfig stores config for subject ("" for global) and returns what is
// now stored. Fields left nil keep their stored value, so a Confluent
// client setting only the level does not reset our policy settings.
func (s *Service) SetConfig(ctx context.Context, subject string, c Config) (Config, error) {
	if c.Compatibility != nil {
		if _, err := compat.ParseLevel(string(*c.Compatibility)); err != nil {
			return Config{}, Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive")
		}
	}
	if c.ConsumerBreakage != nil && *c.ConsumerBreakage != ConsumerBreakageReject && *c.ConsumerBreakage != ConsumerBreakageWarn {
		return Config{}, Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid consumerBreakage %q: valid values are reject and warn", *c.ConsumerBreakage)
	}
	if c.MinDeprecationPeriod != nil && *c.MinDeprecationPeriod < 0 {
		return Config{}, Errorf(srapi.CodeInvalidCompatibilityLevel, "minDeprecationDays must not be negative")
	}
	if err := s.writable(ctx, s.store, subject); err != nil {
		return Config{}, err
	}
	if err := canonicalConfigContracts(&c); err != nil {
		return Config{}, err
	}
	var out Config
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		if c.Alias != nil && *c.Alias != "" {
			if err := checkAlias(ctx, tx, subject, *c.Alias); err != nil {
				return err
			}
		}
		cur, err := storedConfig(ctx, tx, subject)
		if err != nil {
			return err
		}
		if cur != nil {
			c = mergeConfig(*cur, c)
		} else {
			c = mergeConfig(Config{}, c)
		}
		if err := tx.ConfigSet(ctx, subject, c); err != nil {
			return err
		}
		out = c
		return tx.Notify(ctx, Change{Subject: subject, Kind: ChangeConfig})
	})
	s.apply(Change{Subject: subject, Kind: ChangeConfig})
	return out, storeError(err)
}

// canonicalConfigContracts validates the data-contract fields of a config
// update and puts them in canonical form. An empty alias or
// compatibilityGroup clears the field, as Confluent's does.
func canonicalConfigContracts(c *Config) error {
	for _, f := range []struct {
		raw   *json.RawMessage
		field ConfigField
		meta  bool
	}{
		{&c.DefaultMetadata, FieldDefaultMetadata, true},
		{&c.OverrideMetadata, FieldOverrideMetadata, true},
		{&c.DefaultRuleSet, FieldDefaultRuleSet, false},
		{&c.OverrideRuleSet, FieldOverrideRuleSet, false},
	} {
		if *f.raw == nil {
			continue
		}
		var canon json.RawMessage
		if f.meta {
			m, err := decodeMetadata(*f.raw)
			if err != nil {
				return Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid %s: %s", f.field, err.(*Error).Message)
			}
			canon = encodeContract(m, metadataEmpty)
		} else {
			rs, err := decodeRuleSet(*f.raw)
			if err != nil {
				var e *Error
				errors.As(err, &e)
				return Errorf(srapi.CodeInvalidRuleSet, "Invalid %s: %s", f.field, strings.TrimPrefix(e.Message, "Invalid ruleSet: "))
			}
			canon = encodeContract(rs, ruleSetEmpty)
		}
		*f.raw = canon
		if canon == nil {
			c.Unset = append(c.Unset, f.field)
		}
	}
	if c.Alias != nil && *c.Alias == "" {
		c.Alias = nil
		c.Unset = append(c.Unset, FieldAlias)
	}
	if c.CompatibilityGroup != nil && *c.CompatibilityGroup == "" {
		c.CompatibilityGroup = nil
		c.Unset = append(c.Unset, FieldCompatibilityGroup)
	}
	return nil
}

// DeleteConfig removes subject's config ("" resets the global config to
// the defaults) and returns what was in force before.
func (s *Service) DeleteConfig(ctx context.Context, subject string) (Config, error) {
	if err := s.writable(ctx, s.store, subject); err != nil {
		return Config{}, err
	}
	var prev Config
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		cur, err := storedConfig(ctx, tx, subject)
		if err != nil {
			return err
		}
		if cur == nil {
			if subject != GlobalSubject {
				return Errorf(srapi.CodeSubjectNotFound, "Subject '%s' not found.", subject)
			}
			prev = s.opts.Defaults
			return nil
		}
		prev = *cur
		if subject == GlobalSubject {
			prev = mergeConfig(s.opts.Defaults, *cur)
		}
		if err := tx.ConfigDelete(ctx, subject); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		return tx.Notify(ctx, Change{Subject: subject, Kind: ChangeConfig})
	})
	s.apply(Change{Subject: subject, Kind: ChangeConfig})
	return prev, storeError(err)
}

// ParseMode validates a mode name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ReadWrite, ReadOnly, ReadOnlyOverride, Import:
		return m, nil
	}
	return "", Errorf(srapi.CodeInvalidMode, "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE and IMPORT")
}

func storedMode(ctx context.Context, ex Executor, subject string) (Mode, error) {
	m, err := ex.ModeGet(ctx, subject)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	return m, storeError(err)
}

// effectiveMode is subject's mode, else the global mode, else READWRITE.
// A global READONLY_OVERRIDE wins over every subject's own mode, as in
// Confluent: it freezes the whole registry whatever subjects say.
func (s *Service) effectiveMode(ctx context.Context, ex Executor, subject string) (Mode, error) {
	global, err := s.cachedMode(ctx, ex, GlobalSubject)
	if err != nil {
		return "", err
	}
	if subject != GlobalSubject && global != ReadOnlyOverride {
		m, err := s.cachedMode(ctx, ex, subject)
		if err != nil || m != "" {
			return m, err
		}
		// Then the context's mode, when subject is in a named context.
		if level := contextLevel(subject); level != GlobalSubject && level != subject {
			m, err := s.cachedMode(ctx, ex, level)
			if err != nil || m != "" {
				return m, err
			}
		}
	}
	if global != "" {
		return global, nil
	}
	return ReadWrite, nil
}

// Mode returns the mode in force for subject ("" for global).
func (s *Service) Mode(ctx context.Context, subject string, defaultToGlobal bool) (Mode, error) {
	if subject == GlobalSubject || defaultToGlobal {
		return s.effectiveMode(ctx, s.store, subject)
	}
	m, err := storedMode(ctx, s.store, subject)
	if err != nil {
		return "", err
	}
	if m == "" {
		return "", Errorf(srapi.CodeSubjectModeNotSet, "Subject '%s' does not have subject-level mode configured", subject)
	}
	return m, nil
}

// SetMode sets the mode for subject ("" for global). Switching to IMPORT
// while live versions exist (in the subject, or anywhere for the global
// mode) requires force.
func (s *Service) SetMode(ctx context.Context, subject string, m Mode, force bool) (Mode, error) {
	if _, err := ParseMode(string(m)); err != nil {
		return "", err
	}
	// IMPORT lets registrations choose schema ids, which every subject
	// shares.
	if m == Import {
		if err := requireAll(ctx, PermAdmin, "Admin on every subject (needed for IMPORT mode)"); err != nil {
			return "", err
		}
	}
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		if m == Import && !force {
			var live bool
			if subject == GlobalSubject || IsContextSubject(subject) {
				// Every subject, or every subject of the context.
				subs, err := tx.SubjectList(ctx, SubjectListParams{Prefix: ContextPrefix(ContextOf(subject)), Limit: 1})
				if err != nil {
					return err
				}
				live = len(subs) > 0
			} else {
				_, err := tx.VersionLatest(ctx, subject, false)
				if err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				live = err == nil
			}
			if live {
				return Errorf(srapi.CodeOperationNotPermitted, "Cannot import since found existing subjects; set force=true to switch to IMPORT anyway")
			}
		}
		if err := tx.ModeSet(ctx, subject, m); err != nil {
			return err
		}
		return tx.Notify(ctx, Change{Subject: subject, Kind: ChangeMode})
	})
	s.apply(Change{Subject: subject, Kind: ChangeMode})
	if err != nil {
		return "", storeError(err)
	}
	return m, nil
}

// DeleteMode removes subject's mode and returns what it was.
func (s *Service) DeleteMode(ctx context.Context, subject string) (Mode, error) {
	var prev Mode
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		m, err := storedMode(ctx, tx, subject)
		if err != nil {
			return err
		}
		if m == "" {
			if subject != GlobalSubject {
				return Errorf(srapi.CodeSubjectNotFound, "Subject '%s' not found.", subject)
			}
			prev = ReadWrite
			return nil
		}
		prev = m
		if err := tx.ModeDelete(ctx, subject); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		return tx.Notify(ctx, Change{Subject: subject, Kind: ChangeMode})
	})
	s.apply(Change{Subject: subject, Kind: ChangeMode})
	return prev, storeError(err)
}
