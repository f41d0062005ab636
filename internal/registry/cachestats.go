package registry

// CacheStat is one of the Service's caches' cumulative counts.
type CacheStat struct {
	// Name identifies the cache: "schemas_by_id" (the runtime lookup
	// path) or "parsed_schemas" (compatibility checks).
	Name      string
	Hits      uint64
	Misses    uint64
	Evictions uint64
}

// CacheStats reports the hits, misses and evictions of the Service's
// caches since it was created, for metrics.
func (s *Service) CacheStats() []CacheStat {
	byID, parsed := s.byID.Stats(), s.parsedByID.Stats()
	return []CacheStat{
		{Name: "schemas_by_id", Hits: byID.Hits, Misses: byID.Misses, Evictions: byID.Evictions},
		{Name: "parsed_schemas", Hits: parsed.Hits, Misses: parsed.Misses, Evictions: parsed.Evictions},
	}
}
