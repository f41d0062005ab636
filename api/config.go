package api

import (
	"reflect"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// day is the unit of minDeprecationDays.
const day = 24 * time.Hour

func levelString(c registry.Config) string {
	if c.Compatibility == nil {
		return ""
	}
	return string(*c.Compatibility)
}

// wireConfig renders a config as GET and DELETE /config answer it.
func wireConfig(c registry.Config) srapi.Config {
	out := srapi.Config{
		CompatibilityLevel: levelString(c),
		AdditiveOnly:       c.AdditiveOnly,
		Normalize:          c.Normalize,
		ConsumerBreakage:   c.ConsumerBreakage,
		ConfigContracts:    wireContracts(c),
	}
	if c.MinDeprecationPeriod != nil {
		days := int(*c.MinDeprecationPeriod / day)
		out.MinDeprecationDays = &days
	}
	return out
}

// domainConfig converts an update into the domain's config; fields left
// out stay nil and keep their stored value.
func domainConfig(u *srapi.ConfigUpdate, unset []registry.ConfigField) (registry.Config, error) {
	c := registry.Config{Unset: unset}
	level := u.Compatibility
	if level == "" {
		level = u.CompatibilityLevel
	}
	if level != "" {
		l, err := compat.ParseLevel(level)
		if err != nil {
			return c, invalidLevel()
		}
		c.Compatibility = &l
	}
	c.AdditiveOnly = u.AdditiveOnly
	c.Normalize = u.Normalize
	c.ConsumerBreakage = u.ConsumerBreakage
	if u.MinDeprecationDays != nil {
		if *u.MinDeprecationDays < 0 {
			return c, registry.Errorf(srapi.CodeInvalidCompatibilityLevel, "minDeprecationDays must not be negative")
		}
		d := time.Duration(*u.MinDeprecationDays) * day
		c.MinDeprecationPeriod = &d
	}
	if err := domainContracts(&u.ConfigContracts, &c); err != nil {
		return c, err
	}
	if c.Compatibility == nil && c.AdditiveOnly == nil && c.Normalize == nil &&
		c.ConsumerBreakage == nil && c.MinDeprecationPeriod == nil && !hasContractFields(u.ConfigContracts) && len(unset) == 0 {
		return c, invalidLevel()
	}
	return c, nil
}

// hasContractFields reports whether an update sets a data-contract field.
func hasContractFields(u srapi.ConfigContracts) bool {
	return u.Alias != nil || u.ValidateFields != nil || u.CompatibilityGroup != nil ||
		u.DefaultMetadata != nil || u.OverrideMetadata != nil || u.DefaultRuleSet != nil || u.OverrideRuleSet != nil
}

func invalidLevel() error {
	return registry.Errorf(srapi.CodeInvalidCompatibilityLevel,
		"Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive")
}

// getConfig serves GET /config (the global config in force) and
// GET /config/{subject}. Query parameter: defaultToGlobal (fill unset
// fields from the global config; without it a subject with no config of
// its own is 40408).
func (a *API) getConfig(c echo.Context, subject string) error {
	cfg, err := a.svc.Config(c.Request().Context(), subject, queryBool(c, "defaultToGlobal"))
	if err != nil {
		return err
	}
	return a.ok(c, wireConfig(cfg))
}

// putConfig serves PUT /config and PUT /config/{subject} with body
// {"compatibility", "additiveOnly", "normalize", "minDeprecationDays",
// "consumerBreakage", "validateFields", "alias", "compatibilityGroup",
// "defaultMetadata", "overrideMetadata", "defaultRuleSet",
// "overrideRuleSet"}; fields left out keep their value, fields sent as
// null are cleared, an unknown field is 42203. It answers the stored
// config keyed as Confluent echoes it ("compatibility").
func (a *API) putConfig(c echo.Context, subject string) error {
	var body configBody
	raw, err := a.decodeStrict(c, &body, srapi.CodeInvalidCompatibilityLevel)
	if err != nil {
		return err
	}
	if err := body.unsupported(); err != nil {
		return err
	}
	req := body.ConfigUpdate
	unset := nullFields(raw)
	var stored registry.Config
	if reflect.ValueOf(req).IsZero() && len(unset) == 0 {
		// An update naming nothing changes nothing: Confluent answers
		// the config in force.
		cur, err := a.svc.Config(c.Request().Context(), subject, true)
		if err != nil {
			return err
		}
		stored = cur
	} else {
		cfg, err := domainConfig(&req, unset)
		if err != nil {
			return err
		}
		if stored, err = a.svc.SetConfig(c.Request().Context(), subject, cfg); err != nil {
			return err
		}
	}
	// Confluent echoes the level keyed "compatibility".
	out := wireConfig(stored)
	return a.ok(c, srapi.ConfigUpdate{
		Compatibility: out.CompatibilityLevel, AdditiveOnly: out.AdditiveOnly, Normalize: out.Normalize,
		MinDeprecationDays: out.MinDeprecationDays, ConsumerBreakage: out.ConsumerBreakage,
		ConfigContracts: out.ConfigContracts,
	})
}

// deleteConfig serves DELETE /config (the global config reverts to the
// server defaults) and DELETE /config/{subject} (the subject reverts to
// the global config). It answers the config in force before.
func (a *API) deleteConfig(c echo.Context, subject string) error {
	prev, err := a.svc.DeleteConfig(c.Request().Context(), subject)
	if err != nil {
		return err
	}
	return a.ok(c, wireConfig(prev))
}
