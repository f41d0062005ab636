package registry

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

func TestCacheSharesAreTheWholeBudget(t *testing.T) {
	t.Parallel()
	var sum uint64
	for _, pct := range cacheShares {
		sum += pct
	}
	if sum != 100 {
		t.Errorf("cache shares add up to %d%%, want 100%%", sum)
	}
	const total = 64 << 20
	var bytes uint64
	for name := range cacheShares {
		bytes += CacheShare(total, name)
	}
	if bytes > total {
		t.Errorf("shares of %d bytes add up to %d", total, bytes)
	}
	if got := CacheShare(0, CacheSchemasByID); got != CacheShare(DefaultCacheBytes, CacheSchemasByID) {
		t.Errorf("CacheShare(0) = %d, want the default budget's share", got)
	}
}

// avroText is an Avro record of about 120 + 60×fields bytes.
func avroText(i, fields int) string {
	var f []string
	for j := range fields {
		f = append(f, fmt.Sprintf(`{"name":"field_%d_%d","type":"string"}`, i, j))
	}
	return fmt.Sprintf(`{"type":"record","name":"Rec%d","namespace":"com.example","fields":[%s]}`, i, strings.Join(f, ","))
}

// TestCachesStayWithinTheirShare fills every cache of a Service with far
// more than its share of a small budget and checks that what each holds,
// weighed entry by entry, stays within the share.
func TestCachesStayWithinTheirShare(t *testing.T) {
	t.Parallel()
	const budget = 4 << 20
	s := New(nil, Options{CacheBytes: budget})
	ctx := context.Background()
	const n = 3000
	for i := range n {
		text := avroText(i, 1+i%8)
		sch := &Schema{ID: i + 1, Format: schema.Avro, Text: text, Fingerprint: fmt.Sprintf("%064d", i)}
		s.byID.Set(sch.Key(), sch)
		s.byFingerprint.Set(sch.Fingerprint, sch)
		p, err := s.parseText(ctx, schema.Avro, text, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.parsedByID.Set(sch.Key(), p)
		s.consumers.readers.Set(sch.Fingerprint, p)
		in := SchemaInput{Format: schema.Avro, Text: text}
		s.inputs.Set(inputKey(in), &parsed{schema: p, text: text, fingerprint: sch.Fingerprint})
		v := &SubjectVersion{Subject: fmt.Sprintf("subject-%d", i), Version: 1, SchemaID: sch.ID, Schema: sch}
		hashes := VersionHashes{Input: fmt.Sprintf("%064x", i), Identity: fmt.Sprintf("%064x", i+1), Normalized: fmt.Sprintf("%064x", i+2)}
		s.rememberHashes(v.Subject, s.subjectGeneration(v.Subject), 0, 0, []HashedVersion{{SubjectVersion: *v, Hashes: hashes}, {SubjectVersion: *v, Hashes: hashes}})
		// Answers are small: several per schema fill their share.
		for k := range 4 {
			alias := fmt.Sprintf("%s-%d", v.Subject, k)
			s.remember(requestKey(RegisterParams{Subject: alias, Schema: in}), s.subjectGeneration(alias), 0, 0, &SubjectVersion{Subject: alias, Version: 1, SchemaID: sch.ID})
		}
		_, _ = s.configs.get(v.Subject, func() (*Config, error) { return &Config{}, nil })
		_, _ = s.modes.get(v.Subject, func() (Mode, error) { return ReadWrite, nil })
		_, _ = s.consumers.bySubject.get(v.Subject, func() (*subjectConsumers, error) { return &subjectConsumers{}, nil })
	}
	sum := func(name string, weights func(yield func(int) bool)) {
		t.Helper()
		var held, entries uint64
		for w := range weights {
			held += uint64(weight(entryOverhead + w))
			entries++
		}
		share := CacheShare(budget, name)
		if held > share {
			t.Errorf("%s holds %d bytes in %d entries, over its share of %d", name, held, entries, share)
		}
		if entries == 0 || entries == n {
			t.Errorf("%s holds %d of %d entries: want some evicted, some kept", name, entries, n)
		}
	}
	s.byID.CleanUp()
	sum(CacheSchemasByID, func(yield func(int) bool) {
		for _, v := range s.byID.All() {
			if !yield(schemaSize(v)) {
				return
			}
		}
	})
	s.byFingerprint.CleanUp()
	sum(CacheFingerprints, func(yield func(int) bool) {
		for k, v := range s.byFingerprint.All() {
			if !yield(len(k) + schemaSize(v)) {
				return
			}
		}
	})
	s.parsedByID.CleanUp()
	sum(CacheParsedSchemas, func(yield func(int) bool) {
		for _, v := range s.parsedByID.All() {
			if !yield(parsedSize(v)) {
				return
			}
		}
	})
	s.consumers.readers.CleanUp()
	sum(CacheReaderSchemas, func(yield func(int) bool) {
		for k, v := range s.consumers.readers.All() {
			if !yield(len(k) + parsedSize(v)) {
				return
			}
		}
	})
	s.inputs.CleanUp()
	sum(CacheParsedInputs, func(yield func(int) bool) {
		for _, v := range s.inputs.All() {
			if !yield(parsedSize(v.schema) + len(v.text) + len(v.fingerprint)) {
				return
			}
		}
	})
	s.registered.CleanUp()
	sum(CacheRegistered, func(yield func(int) bool) {
		for _, v := range s.registered.All() {
			if !yield(registeredSize(v)) {
				return
			}
		}
	})
	s.subjectHashes.CleanUp()
	sum(CacheSubjectHashes, func(yield func(int) bool) {
		for k, v := range s.subjectHashes.All() {
			if !yield(subjectHashesSize(k, v)) {
				return
			}
		}
	})
	for name, c := range map[string]coherent[*Config]{CacheConfigs: s.configs} {
		c.m.CleanUp()
		sum(name, func(yield func(int) bool) {
			for k := range c.m.Keys() {
				if !yield(len(k) + coherentEntrySize) {
					return
				}
			}
		})
	}
	s.consumers.bySubject.m.CleanUp()
	sum(CacheSubjectConsumers, func(yield func(int) bool) {
		for k := range s.consumers.bySubject.m.Keys() {
			if !yield(len(k) + coherentEntrySize) {
				return
			}
		}
	})
	for _, st := range s.CacheStats() {
		if st.Bytes > st.Capacity {
			t.Errorf("%s reports %d bytes over its capacity %d", st.Name, st.Bytes, st.Capacity)
		}
		if st.Name != UsageBuffer && st.Name != CacheModes && st.Evictions == 0 {
			t.Errorf("%s reports no evictions", st.Name)
		}
	}
}

// TestParsedSizeCoversTheHeap checks the parsed-schema estimate against
// the heap the parses really take, so that the budget is not exceeded by
// underestimated entries.
func TestParsedSizeCoversTheHeap(t *testing.T) {
	// Not parallel: it measures the heap.
	s := New(nil, Options{})
	for _, fields := range []int{1, 8, 40} {
		const n = 500
		keep := make([]schema.Schema, 0, n)
		estimate := 0
		before := liveHeap()
		for i := range n {
			p, err := s.parseText(context.Background(), schema.Avro, avroText(i, fields), nil)
			if err != nil {
				t.Fatal(err)
			}
			keep = append(keep, p)
			estimate += parsedSize(p)
		}
		live := liveHeap() - before
		if float64(estimate) < 0.9*float64(live) {
			t.Errorf("%d fields: parsedSize estimates %d bytes for %d parses, the heap grew %d", fields, estimate, n, live)
		}
		runtime.KeepAlive(keep)
	}
}

func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

type nopUsageStore struct{}

func (nopUsageStore) UsageAdd(context.Context, []UsageDelta) error { return nil }

func TestUsageBufferIsBoundedInBytes(t *testing.T) {
	t.Parallel()
	const maxBytes = 64 << 10
	r := NewUsageRecorder(nopUsageStore{}, UsageOptions{MaxBytes: maxBytes})
	name := strings.Repeat("n", MaxIdentityLength)
	for i := range 10_000 {
		r.Record(Identity{Source: FromClientID, Name: fmt.Sprintf("%s%d", name[:200], i)}, SchemaKey{ID: i})
	}
	if got := r.bytes.Load(); got > maxBytes || got <= maxBytes/2 {
		t.Errorf("usage buffer holds %d bytes, want at most %d and more than half", got, maxBytes)
	}
	if r.Dropped() == 0 {
		t.Errorf("no lookup dropped after 10,000 pairs of ~300 bytes into %d bytes", maxBytes)
	}
	held := r.size.Load()
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r.bytes.Load() != 0 || r.size.Load() != 0 {
		t.Errorf("after a flush of %d pairs the buffer holds %d bytes in %d pairs, want none", held, r.bytes.Load(), r.size.Load())
	}
}
