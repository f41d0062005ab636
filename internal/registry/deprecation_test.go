package registry_test

import (
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// TestDeprecateSunsetNeedsForce: a sunset that is not in the future, or
// that is earlier than the element's current one (its record's or its
// schema marker's), is refused unless forced, and the result says what
// the sunset was and that the write was forced.
func TestDeprecateSunsetNeedsForce(t *testing.T) {
	t.Parallel()
	svc, _ := consumerService(t) // clock at 2026-01-10 09:00
	ctx := t.Context()
	marked := `{"name":"legacy","type":"int","default":0,"deprecated":{"sunset":"2026-09-01"}}`
	register(t, svc, "orders", avroRecord(fieldID, fieldNote, marked))
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	noForce, force := registry.DeprecateOptions{}, registry.DeprecateOptions{Force: true}

	tests := []struct {
		name       string
		path       string
		sunset     string
		opts       registry.DeprecateOptions
		wantErr    bool
		wantPrev   string
		wantForced bool
	}{
		{"future sunset, new record", "note", "2026-06-01", noForce, false, "", false},
		{"later sunset", "note", "2026-07-01", noForce, false, "2026-06-01", false},
		{"earlier sunset refused", "note", "2026-03-01", noForce, true, "", false},
		{"earlier sunset forced", "note", "2026-03-01", force, false, "2026-07-01", true},
		{"past sunset refused", "note", "2025-12-01", noForce, true, "", false},
		{"today is not in the future", "note", "2026-01-10", noForce, true, "", false},
		{"past sunset forced", "note", "2025-12-01", force, false, "2026-03-01", true},
		{"earlier than the marker refused", "legacy", "2026-08-01", noForce, true, "", false},
		{"later than the marker", "legacy", "2026-10-01", noForce, false, "2026-09-01", false},
	}
	for _, tt := range tests { // in order: each step builds on the last
		res, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "orders", Path: tt.path, Sunset: day(tt.sunset)}, tt.opts)
		if tt.wantErr {
			wantCode(t, err, srapi.CodeInvalidDeprecation)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		prev := ""
		if !res.PreviousSunset.IsZero() {
			prev = res.PreviousSunset.Format(time.DateOnly)
		}
		if prev != tt.wantPrev || res.Forced != tt.wantForced || !res.Record.Sunset.Equal(day(tt.sunset)) {
			t.Errorf("%s: previous %q forced %v sunset %v; want previous %q forced %v sunset %s",
				tt.name, prev, res.Forced, res.Record.Sunset, tt.wantPrev, tt.wantForced, tt.sunset)
		}
	}

	// UpdateDeprecation applies the same rule.
	recs, err := svc.DeprecationRecords(ctx, registry.DeprecationListParams{Subject: "orders"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("records = %v, %v", recs, err)
	}
	_, err = svc.UpdateDeprecation(ctx, registry.DeprecationRecord{ID: recs[0].ID, Sunset: day("2025-01-01")}, noForce)
	wantCode(t, err, srapi.CodeInvalidDeprecation)
}

// TestDeprecateReplacementIsChecked: a replacement must exist in the
// latest version of the subject, or of the subject it names.
func TestDeprecateReplacementIsChecked(t *testing.T) {
	t.Parallel()
	svc, _ := consumerService(t)
	ctx := t.Context()
	register(t, svc, "orders", avroRecord(fieldID, fieldNote, `{"name":"comment","type":"string","default":""}`))
	register(t, svc, "orders-v2", avroRecord(fieldID, fieldPrice))
	tests := []struct {
		replacement string
		want        string // stored form; "" expects a refusal
	}{
		{"comment", "Order.comment"},
		{"Order.comment", "Order.comment"},
		{"missing", ""},
		{"orders-v2:price", "orders-v2:Order.price"},
		{"orders-v2:", "orders-v2:"},
		{"orders-v2:note", ""},
		{"nothing:note", ""},
	}
	for _, tt := range tests {
		res, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "orders", Path: "note", Replacement: tt.replacement}, registry.DeprecateOptions{})
		if tt.want == "" {
			wantCode(t, err, srapi.CodeInvalidDeprecation)
			continue
		}
		if err != nil || res.Record.Replacement != tt.want {
			t.Errorf("replacement %q: stored %+v, %v; want %q", tt.replacement, res.Record, err, tt.want)
		}
	}
}
