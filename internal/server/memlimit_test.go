package server

import "testing"

func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cfg        Config
		gomemlimit string
		want       int64
		set        bool
	}{
		// The encoded responses are held outside the Go heap: 57% of
		// the budget, rounded up to a multiple of 32 MiB.
		{"derived from the default budget", Config{}, "", 128<<20 + 96<<20 - 96<<20, true},
		{"derived from a budget", Config{CacheBytes: 1 << 30}, "", 1<<30 + 96<<20 - 608<<20, true},
		{"derived from the least budget", Config{CacheBytes: 1 << 20}, "", 1<<20 + 96<<20 - 32<<20, true},
		{"GOMEMLIMIT wins over the derived limit", Config{}, "300MiB", 0, false},
		{"an explicit limit wins over GOMEMLIMIT", Config{MemoryLimit: 200 << 20}, "300MiB", 200 << 20, true},
		{"negative leaves the runtime's", Config{MemoryLimit: -1}, "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, set := memoryLimit(tc.cfg, func(name string) string {
				if name == "GOMEMLIMIT" {
					return tc.gomemlimit
				}
				return ""
			})
			if got != tc.want || set != tc.set {
				t.Errorf("memoryLimit = %d, %v; want %d, %v", got, set, tc.want, tc.set)
			}
		})
	}
}

func TestGCPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		limitSet bool
		gogc     string
		want     int
		set      bool
	}{
		{"under the limit Run sets", true, "", gcPercentUnderLimit, true},
		{"GOGC wins", true, "50", 0, false},
		{"no limit set, the runtime's own", false, "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, set := gcPercent(tc.limitSet, func(name string) string {
				if name == "GOGC" {
					return tc.gogc
				}
				return ""
			})
			if got != tc.want || set != tc.set {
				t.Errorf("gcPercent = %d, %v; want %d, %v", got, set, tc.want, tc.set)
			}
		})
	}
}
