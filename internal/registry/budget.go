package registry

import (
	"math"

	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"

	"github.com/schemata-dev/schemata/schema"
)

// DefaultCacheBytes is the memory budget of the in-process caches when
// none is set: sized for a 512 MiB container, leaving the rest to the Go
// runtime's garbage-collection headroom, request buffers and the pools.
const DefaultCacheBytes = 128 << 20

// MinCacheBytes is the smallest budget accepted: below it the shares are
// too small to hold a working set and every lookup goes to the store.
const MinCacheBytes = 1 << 20

// Cache names, as reported by CacheStats and in metrics.
const (
	CacheResponses     = "encoded_responses"
	CacheSchemasByID   = "schemas_by_id"
	CacheFingerprints  = "schemas_by_fingerprint"
	CacheParsedSchemas = "parsed_schemas"
	CacheParsedInputs  = "parsed_inputs"
	CacheRegistered    = "registered"
	// CacheSubjectHashes holds, per subject, its live versions' stored
	// hashes, which answer first re-registrations without a query.
	CacheSubjectHashes = "subject_hashes"
	CacheReaderSchemas = "reader_schemas"
	// CacheSubjectConsumers holds, per subject, the consumers reading it
	// and its deprecation records, for the checks of registrations.
	CacheSubjectConsumers = "subject_consumers"
	CacheConfigs          = "configs"
	CacheModes            = "modes"
	// UsageBuffer is not a cache but the usage recorder's buffer between
	// flushes, which the same budget bounds.
	UsageBuffer = "usage_buffer"
)

// cacheShares splits the budget, in percent. The encoded responses of the
// HTTP layer (held by package api) take the largest share because they
// are the runtime lookups' one copy of each schema: a hit there asks
// nothing of the row caches, which serve registrations and checks. The
// remembered re-registration answers come next, being small (the schema
// is not kept with them) and what every producer sends at start-up; then
// the subjects' hashes that answer a producer fleet's first
// re-registrations (6% holds about 11,000 subjects of 10 versions). The
// encoded responses' memory is their share rounded up to a multiple of
// 32 MiB (api.ResponseCacheBytes): 96 MiB of the default budget.
// docs/operations.md lists these.
var cacheShares = map[string]uint64{
	CacheResponses:     57,
	CacheRegistered:    16,
	CacheSubjectHashes: 6,
	CacheParsedSchemas: 3,
	CacheSchemasByID:   3,
	CacheParsedInputs:  2,
	CacheFingerprints:  2,
	CacheReaderSchemas: 2,
	// Every request naming a subject reads its config (aliases) and
	// mode: 3% holds about 12,000 subjects, most of them without their
	// own, remembered as such.
	CacheConfigs: 3,
	CacheModes:   3,
	// Entries of subjects without consumers or records are small.
	CacheSubjectConsumers: 1,
	UsageBuffer:           2,
}

// CacheShare returns the bytes of a total budget that the named cache may
// hold (0 for an unknown name). Every share together is the whole budget.
func CacheShare(total int64, name string) uint64 {
	if total <= 0 {
		total = DefaultCacheBytes
	}
	return uint64(total) / 100 * cacheShares[name]
}

// Weights are estimates of the bytes an entry keeps alive: the payload
// plus a fixed overhead for the structs, slice headers and the cache's
// own node.
const (
	entryOverhead = 128
	schemaRowSize = 256 // a *Schema without its texts
	// parsedFactor and parsedBase estimate a parsed schema (a tree of
	// names, fields and types) from its text: Avro records of 125 to
	// 2,300 bytes measured 1.6 to 29 KiB of live heap, up to 15 times the
	// text with many short fields, so the estimate errs above that.
	parsedFactor = 16
	parsedBase   = 1024
)

// weight clamps an estimate into otter's weight type.
func weight(n int) uint32 {
	if n > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(n)
}

// schemaSize estimates the bytes held by a schema row.
func schemaSize(s *Schema) int {
	if s == nil {
		return 0
	}
	n := schemaRowSize + len(s.Text) + len(s.Metadata) + len(s.RuleSet) + len(s.Fingerprint)
	for _, r := range s.References {
		n += 48 + len(r.Name) + len(r.Subject)
	}
	return n
}

// parsedSize estimates the bytes held by a parsed schema.
func parsedSize(s schema.Schema) int {
	if s == nil {
		return 0
	}
	return parsedBase + parsedFactor*len(s.Text())
}

// newWeighed returns a cache holding at most budget bytes as weighed by
// weigh, recording hits, misses and evictions.
func newWeighed[K comparable, V any](budget uint64, weigh func(K, V) int) *otter.Cache[K, V] {
	return newRecorded(budget, weigh, stats.NewCounter())
}

// newRecorded is newWeighed recording into rec.
func newRecorded[K comparable, V any](budget uint64, weigh func(K, V) int, rec stats.Recorder) *otter.Cache[K, V] {
	return otter.Must(&otter.Options[K, V]{
		MaximumWeight: max(budget, 1),
		Weigher:       func(k K, v V) uint32 { return weight(entryOverhead + weigh(k, v)) },
		StatsRecorder: rec,
	})
}

// ownCounts records a cache's evictions into a Counter but leaves hits
// and misses to the cache's owner, for a cache whose entries may be found
// yet stale.
type ownCounts struct{ *stats.Counter }

func (ownCounts) RecordHits(int)   {}
func (ownCounts) RecordMisses(int) {}
