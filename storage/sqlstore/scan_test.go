package sqlstore

import (
	"testing"
	"time"
)

func TestTimeDestScan(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name     string
		src      any
		optional bool
		want     time.Time
		wantErr  bool
	}{
		{"TimestamptzInAnyZoneBecomesUTC", want.In(berlin), false, want, false},
		{"StoredTextParses", FormatTime(want), false, want, false},
		{"StoredBytesParse", []byte(FormatTime(want)), false, want, false},
		{"NullIsZeroWhenOptional", nil, true, time.Time{}, false},
		{"NullIsAnErrorWhenRequired", nil, false, time.Time{}, true},
		{"MalformedTextIsAnError", "yesterday", false, time.Time{}, true},
		{"OtherTypesAreAnError", int64(5), false, time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := time.Unix(1, 0) // overwritten, also by NULL
			var err error
			if tc.optional {
				err = scanOptTime(&got).Scan(tc.src)
			} else {
				err = scanTime(&got).Scan(tc.src)
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("Scan(%v) error = %v, want error: %v", tc.src, err, tc.wantErr)
			}
			if err == nil && (!got.Equal(tc.want) || got.Location() != time.UTC) {
				t.Errorf("Scan(%v) = %v, want %v in UTC", tc.src, got, tc.want)
			}
		})
	}
}

// TestFormatTimeOrdersAsText pins the property the text-storing backend
// relies on: comparing stored strings compares the times.
func TestFormatTimeOrdersAsText(t *testing.T) {
	t.Parallel()
	times := []time.Time{
		time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 12, 0, 0, 1000, time.UTC),
		time.Date(2026, 3, 1, 12, 0, 0, 100000000, time.UTC),
		time.Date(2026, 3, 1, 12, 0, 1, 0, time.UTC),
		time.Date(2026, 3, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600)).Add(time.Hour),
	}
	for i := 1; i < len(times); i++ {
		a, b := FormatTime(times[i-1]), FormatTime(times[i])
		if len(a) != len(b) || a >= b {
			t.Errorf("FormatTime(%v) = %q does not sort before FormatTime(%v) = %q", times[i-1], a, times[i], b)
		}
	}
}
