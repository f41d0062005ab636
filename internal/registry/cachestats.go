package registry

import "github.com/maypok86/otter/v2"

// CacheStat is one of the in-process caches' cumulative counts and its
// current weighed size.
type CacheStat struct {
	// Name identifies the cache (the Cache... constants).
	Name      string
	Hits      uint64
	Misses    uint64
	Evictions uint64
	// Bytes is the estimated size of what the cache holds now, and
	// Capacity its share of the budget.
	Bytes    uint64
	Capacity uint64
}

// CacheStatOf reads the statistics of a weighed cache.
func CacheStatOf[K comparable, V any](name string, c *otter.Cache[K, V]) CacheStat {
	st := c.Stats()
	return CacheStat{
		Name: name, Hits: st.Hits, Misses: st.Misses, Evictions: st.Evictions,
		Bytes: c.WeightedSize(), Capacity: c.GetMaximum(),
	}
}

// CacheStats reports the hits, misses and evictions of the Service's
// caches since it was created, and their sizes now, for metrics. The
// usage buffer's evictions are the lookups it dropped while full.
func (s *Service) CacheStats() []CacheStat {
	usage := s.consumers.usage
	return []CacheStat{
		CacheStatOf(CacheSchemasByID, s.byID),
		CacheStatOf(CacheFingerprints, s.byFingerprint),
		CacheStatOf(CacheParsedSchemas, s.parsedByID),
		CacheStatOf(CacheParsedInputs, s.inputs),
		CacheStatOf(CacheRegistered, s.registered),
		CacheStatOf(CacheSubjectHashes, s.subjectHashes),
		CacheStatOf(CacheReaderSchemas, s.consumers.readers),
		CacheStatOf(CacheSubjectConsumers, s.consumers.bySubject.m),
		CacheStatOf(CacheConfigs, s.configs.m),
		CacheStatOf(CacheModes, s.modes.m),
		{
			Name: UsageBuffer, Evictions: uint64(usage.Dropped()),
			Bytes: uint64(usage.bytes.Load()), Capacity: uint64(usage.opts.MaxBytes),
		},
	}
}
