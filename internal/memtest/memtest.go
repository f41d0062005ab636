// Package memtest measures the memory a piece of work allocates, for the
// tests that keep hostile input within bounded memory. It reports bytes
// allocated (runtime.MemStats.TotalAlloc), which, unlike the live heap,
// does not depend on when the garbage collector last ran.
package memtest

import "runtime"

// Allocated runs f and returns the bytes allocated while it ran, in this
// process, after a garbage collection that settles earlier work. Tests
// that call it in parallel with others over-count, never under-count.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
