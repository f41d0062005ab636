package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/golden"
)

// sampleResult is a run of 1,000 answered requests of 1..1000 µs, plus
// failures.
func sampleResult() result {
	r := result{elapsed: 2 * time.Second, errors: map[string]int64{"status 500": 3, errTransport: 2, errBody: 1}}
	for i := 1; i <= 1000; i++ {
		r.latencies = append(r.latencies, time.Duration(i)*time.Microsecond)
	}
	return r
}

func TestReportRendering(t *testing.T) {
	t.Parallel()
	rep := newReport("get", []string{"http://127.0.0.1:8081", "http://127.0.0.1:8082"}, 64, sampleResult())
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"report.txt", func(b *bytes.Buffer) error { return rep.writeText(b) }},
		{"report.json", func(b *bytes.Buffer) error { return rep.writeJSON(b) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tt.write(&buf); err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, filepath.Join("testdata", tt.name), buf.Bytes())
		})
	}
}

func TestReportCountsFailuresAsRequests(t *testing.T) {
	t.Parallel()
	rep := newReport("get", nil, 1, sampleResult())
	// 1,000 answered (3 of them 500s, 1 with a bad body) + 2 transport failures.
	if rep.Requests != 1002 || rep.Errors != 6 || rep.RequestsPerSecond != 501 {
		t.Errorf("requests %d, errors %d, requests/s %v; want 1002, 6, 501", rep.Requests, rep.Errors, rep.RequestsPerSecond)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	t.Parallel()
	r := sampleResult()
	tests := []struct {
		p    float64
		want time.Duration
	}{
		{0.01, 1 * time.Microsecond},
		{50, 500 * time.Microsecond},
		{90, 900 * time.Microsecond},
		{99, 990 * time.Microsecond},
		{99.95, 1000 * time.Microsecond},
		{100, 1000 * time.Microsecond},
	}
	for _, tt := range tests {
		if got := r.percentile(tt.p); got != tt.want {
			t.Errorf("p%v = %s, want %s", tt.p, got, tt.want)
		}
	}
	if got := (result{}).percentile(99); got != 0 {
		t.Errorf("p99 of no samples = %s, want 0", got)
	}
}

func TestMergeSortsAndSums(t *testing.T) {
	t.Parallel()
	workers := []*worker{
		{latencies: []time.Duration{5, 1}, errors: map[string]int64{"status 503": 1}},
		{latencies: []time.Duration{3}, errors: map[string]int64{"status 503": 2, errTransport: 1}},
	}
	r := merge(workers, time.Second)
	if want := []time.Duration{1, 3, 5}; !slices.Equal(r.latencies, want) {
		t.Errorf("latencies %v, want %v", r.latencies, want)
	}
	if r.errors["status 503"] != 3 || r.requests() != 4 || r.errorCount() != 4 {
		t.Errorf("errors %v, requests %d; want 3 status 503 and 4 requests", r.errors, r.requests())
	}
}
