package clocktest

import (
	"sync"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	c := New(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now = %v, want %v", got, start)
	}
	c.Advance(90 * time.Minute)
	if got, want := c.Now(), start.Add(90*time.Minute); !got.Equal(want) {
		t.Errorf("after Advance, Now = %v, want %v", got, want)
	}
	c.Set(start.Add(-time.Hour))
	if got, want := c.Now(), start.Add(-time.Hour); !got.Equal(want) {
		t.Errorf("after Set, Now = %v, want %v", got, want)
	}
}

// TestClockIsSafeForConcurrentUse is for the race detector: readers and
// a writer share one clock.
func TestClockIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	c := New(time.Unix(0, 0))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				c.Now()
			}
		})
	}
	for range 100 {
		c.Advance(time.Second)
	}
	wg.Wait()
	if got, want := c.Now(), time.Unix(100, 0); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
}
