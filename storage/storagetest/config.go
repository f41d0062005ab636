package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

func testConfig(t *testing.T, s registry.Store) {
	ctx := t.Context()
	_, err := s.ConfigGet(ctx, "orders")
	wantErr(t, "ConfigGet before any ConfigSet", err, registry.ErrNotFound)
	wantErr(t, "ConfigDelete before any ConfigSet", s.ConfigDelete(ctx, "orders"), registry.ErrNotFound)

	full := registry.Config{
		Compatibility:        ptr(compat.FullTransitive),
		AdditiveOnly:         ptr(true),
		Normalize:            ptr(false),
		MinDeprecationPeriod: ptr(90 * 24 * time.Hour),
		ConsumerBreakage:     ptr("warn"),
		ValidateFields:       ptr(true),
		Alias:                ptr("orders-v2"),
		CompatibilityGroup:   ptr("major"),
		DefaultMetadata:      json.RawMessage(`{"properties":{"owner":"team-a"}}`),
		OverrideMetadata:     json.RawMessage(`{"sensitive":["ssn"]}`),
		DefaultRuleSet:       json.RawMessage(`{"domainRules":[{"name":"r","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"true"}]}`),
		OverrideRuleSet:      json.RawMessage(`{"encodingRules":[{"name":"e","kind":"TRANSFORM","mode":"WRITEREAD","type":"ENCRYPT"}]}`),
	}
	global := registry.Config{Compatibility: ptr(compat.Backward)}
	mustOK(t, "ConfigSet", s.ConfigSet(ctx, "orders", full))
	mustOK(t, "ConfigSet global", s.ConfigSet(ctx, registry.GlobalSubject, global))

	for _, tc := range []struct {
		subject string
		want    registry.Config
	}{{"orders", full}, {registry.GlobalSubject, global}} {
		got, err := s.ConfigGet(ctx, tc.subject)
		mustOK(t, "ConfigGet", err)
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("ConfigGet(%q) = %s, want %s", tc.subject, showConfig(*got), showConfig(tc.want))
		}
	}

	// ConfigSet replaces: fields left nil become unset.
	partial := registry.Config{AdditiveOnly: ptr(false)}
	mustOK(t, "ConfigSet", s.ConfigSet(ctx, "orders", partial))
	got, err := s.ConfigGet(ctx, "orders")
	mustOK(t, "ConfigGet", err)
	if !reflect.DeepEqual(*got, partial) {
		t.Errorf("ConfigGet after replacing = %s, want %s", showConfig(*got), showConfig(partial))
	}

	err = s.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		return tx.ConfigDelete(ctx, "orders")
	})
	mustOK(t, "ConfigDelete in a transaction", err)
	_, err = s.ConfigGet(ctx, "orders")
	wantErr(t, "ConfigGet after ConfigDelete", err, registry.ErrNotFound)
	if _, err := s.ConfigGet(ctx, registry.GlobalSubject); err != nil {
		t.Errorf("deleting a subject's config touched the global one: %v", err)
	}
	mustOK(t, "ConfigDelete global", s.ConfigDelete(ctx, registry.GlobalSubject))
	wantErr(t, "second ConfigDelete", s.ConfigDelete(ctx, registry.GlobalSubject), registry.ErrNotFound)
}

func testMode(t *testing.T, s registry.Store) {
	ctx := t.Context()
	_, err := s.ModeGet(ctx, registry.GlobalSubject)
	wantErr(t, "ModeGet before any ModeSet", err, registry.ErrNotFound)
	wantErr(t, "ModeDelete before any ModeSet", s.ModeDelete(ctx, "s"), registry.ErrNotFound)

	for _, m := range []registry.Mode{registry.Import, registry.ReadOnly, registry.ReadOnlyOverride, registry.ReadWrite} {
		mustOK(t, "ModeSet", s.ModeSet(ctx, "s", m))
		got, err := s.ModeGet(ctx, "s")
		mustOK(t, "ModeGet", err)
		if got != m {
			t.Errorf("ModeGet after ModeSet(%s) = %s", m, got)
		}
	}
	mustOK(t, "ModeSet global", s.ModeSet(ctx, registry.GlobalSubject, registry.ReadOnly))
	mustOK(t, "ModeDelete", s.ModeDelete(ctx, "s"))
	_, err = s.ModeGet(ctx, "s")
	wantErr(t, "ModeGet after ModeDelete", err, registry.ErrNotFound)
	got, err := s.ModeGet(ctx, registry.GlobalSubject)
	mustOK(t, "ModeGet global", err)
	if got != registry.ReadOnly {
		t.Errorf("global mode = %s, want READONLY", got)
	}
	wantErr(t, "second ModeDelete", s.ModeDelete(ctx, "s"), registry.ErrNotFound)
}

func showConfig(c registry.Config) string {
	show := func(p any) string {
		v := reflect.ValueOf(p)
		if v.IsNil() {
			return "<unset>"
		}
		return fmt.Sprint(v.Elem().Interface())
	}
	return fmt.Sprintf("{compatibility:%s additiveOnly:%s normalize:%s minDeprecation:%s consumerBreakage:%s "+
		"validateFields:%s alias:%s compatibilityGroup:%s contracts:%s %s %s %s}",
		show(c.Compatibility), show(c.AdditiveOnly), show(c.Normalize), show(c.MinDeprecationPeriod), show(c.ConsumerBreakage),
		show(c.ValidateFields), show(c.Alias), show(c.CompatibilityGroup),
		c.DefaultMetadata, c.OverrideMetadata, c.DefaultRuleSet, c.OverrideRuleSet)
}
