package registry

import (
	"context"
	"hash/maphash"
	"log/slog"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// UsageStore is where a UsageRecorder flushes; ConsumerStore includes it.
type UsageStore interface {
	UsageAdd(ctx context.Context, batch []UsageDelta) error
}

// UsageOptions configure a UsageRecorder.
type UsageOptions struct {
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// FlushInterval is how often Run flushes (default 10s).
	FlushInterval time.Duration
	// MaxKeys bounds the distinct (identity, schema) pairs held between
	// flushes (default 100,000), and MaxBytes their estimated memory
	// (default DefaultUsageBytes); lookups by further pairs are not
	// recorded until the next flush, and are counted in Dropped. Each
	// flush writes at most MaxKeys rows.
	MaxKeys  int
	MaxBytes int64
	Logger   *slog.Logger
}

// DefaultUsageBytes bounds the usage buffer when UsageOptions leave
// MaxBytes unset: the default cache budget's share of it.
const DefaultUsageBytes = DefaultCacheBytes / 100 * 2

// usagePairSize estimates what one recorded pair holds besides its
// identity's and context's names: the map slot, the key, the counter and
// its pointer.
const usagePairSize = 128

// MaxIdentityLength bounds a recorded identity's name; longer ones are
// cut.
const MaxIdentityLength = 256

// AnonymousIdentity is recorded for requests that carry no identity.
const AnonymousIdentity = "anonymous"

// usageShards is the number of independently locked shards. A power of
// two, large enough that goroutines recording different pairs rarely
// share a lock.
const usageShards = 64

// UsageRecorder aggregates runtime schema usage (which client identity
// fetched which schema id of which context, how often, when last) in
// memory and flushes it to the store in batches, so the lookup path never
// waits for a database write. Record is safe for concurrent use and does not allocate for a
// pair it has already seen since the last flush.
type UsageRecorder struct {
	store   UsageStore
	opts    UsageOptions
	seed    maphash.Seed
	size    atomic.Int64
	bytes   atomic.Int64
	dropped atomic.Int64
	flushMu sync.Mutex
	shards  [usageShards]usageShard
}

type usageShard struct {
	mu sync.RWMutex
	m  map[usageKey]*usageCounter
	// pad keeps neighbouring shards' locks off one cache line.
	_ [40]byte
}

type usageKey struct {
	schema SchemaKey
	who    Identity
}

func (r *UsageRecorder) shard(k usageKey) *usageShard {
	h := maphash.String(r.seed, k.who.Name) ^ uint64(k.schema.ID)*0x9E3779B97F4A7C15 ^ uint64(k.who.Source)
	if k.schema.Context != DefaultContext {
		// Rotated so that a context named like the identity does not
		// cancel it out.
		h ^= bits.RotateLeft64(maphash.String(r.seed, k.schema.Context), 31)
	}
	return &r.shards[h%usageShards]
}

// usageCounter is updated with atomics under the shard's read lock.
type usageCounter struct {
	n     atomic.Int64
	first int64 // unix nanoseconds, set once at insertion
	last  atomic.Int64
}

// NewUsageRecorder returns a recorder flushing to store.
func NewUsageRecorder(store UsageStore, opts UsageOptions) *UsageRecorder {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = 10 * time.Second
	}
	if opts.MaxKeys <= 0 {
		opts.MaxKeys = 100_000
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultUsageBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	r := &UsageRecorder{store: store, opts: opts, seed: maphash.MakeSeed()}
	for i := range r.shards {
		r.shards[i].m = map[usageKey]*usageCounter{}
	}
	return r
}

// Record counts one lookup by who of the schema with the given (context,
// id); an empty context is the default one.
func (r *UsageRecorder) Record(who Identity, schema SchemaKey) {
	if who.Name == "" {
		who = Identity{}
	}
	if len(who.Name) > MaxIdentityLength {
		who.Name = who.Name[:MaxIdentityLength]
	}
	if schema.Context == "" {
		schema.Context = DefaultContext
	}
	key := usageKey{schema: schema, who: who}
	sh := r.shard(key)
	now := r.opts.Now().UnixNano()

	sh.mu.RLock()
	if c := sh.m[key]; c != nil {
		c.n.Add(1)
		raise(&c.last, now)
		sh.mu.RUnlock()
		return
	}
	sh.mu.RUnlock()

	sh.mu.Lock()
	defer sh.mu.Unlock()
	if c := sh.m[key]; c != nil {
		c.n.Add(1)
		raise(&c.last, now)
		return
	}
	if r.size.Load() >= int64(r.opts.MaxKeys) || r.bytes.Load()+pairSize(key) > r.opts.MaxBytes {
		r.dropped.Add(1)
		return
	}
	c := &usageCounter{first: now}
	c.n.Store(1)
	c.last.Store(now)
	// The names may be slices of a request's header or query: copies
	// keep only what pairSize counts alive until the flush.
	key.who.Name = strings.Clone(key.who.Name)
	if key.schema.Context != DefaultContext {
		key.schema.Context = strings.Clone(key.schema.Context)
	}
	sh.m[key] = c
	r.size.Add(1)
	r.bytes.Add(pairSize(key))
}

// pairSize estimates the memory one recorded pair holds.
func pairSize(k usageKey) int64 {
	return int64(usagePairSize + len(k.who.Name) + len(k.schema.Context))
}

// raise sets v to t if t is later.
func raise(v *atomic.Int64, t int64) {
	for {
		cur := v.Load()
		if t <= cur || v.CompareAndSwap(cur, t) {
			return
		}
	}
}

// Dropped returns how many lookups were not recorded because MaxKeys
// pairs or MaxBytes were already held.
func (r *UsageRecorder) Dropped() int64 { return r.dropped.Load() }

// Flush writes what was recorded since the last flush to the store in
// one batch. On failure the counts are kept for the next flush.
func (r *UsageRecorder) Flush(ctx context.Context) error {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	var batch []UsageDelta
	for i := range r.shards {
		sh := &r.shards[i]
		// Swap the map under the write lock: once it is released no
		// Record can still touch the old map or its counters.
		sh.mu.Lock()
		old := sh.m
		if len(old) == 0 {
			sh.mu.Unlock()
			continue
		}
		sh.m = make(map[usageKey]*usageCounter, len(old))
		sh.mu.Unlock()
		r.size.Add(-int64(len(old)))
		for k, c := range old {
			r.bytes.Add(-pairSize(k))
			batch = append(batch, UsageDelta{
				Context: k.schema.Context, SchemaID: k.schema.ID, Identity: k.who.String(), Count: c.n.Load(),
				FirstSeen: time.Unix(0, c.first).UTC(), LastSeen: time.Unix(0, c.last.Load()).UTC(),
			})
		}
	}
	if len(batch) == 0 {
		return nil
	}
	if err := r.store.UsageAdd(ctx, batch); err != nil {
		r.restore(batch)
		return storeError(err)
	}
	return nil
}

// restore puts a batch that could not be written back into memory.
func (r *UsageRecorder) restore(batch []UsageDelta) {
	for _, d := range batch {
		key := usageKey{schema: SchemaKey{Context: d.Context, ID: d.SchemaID}, who: ParseIdentity(d.Identity)}
		sh := r.shard(key)
		sh.mu.Lock()
		c := sh.m[key]
		if c == nil {
			c = &usageCounter{first: d.FirstSeen.UnixNano()}
			sh.m[key] = c
			r.size.Add(1)
			r.bytes.Add(pairSize(key))
		} else if f := d.FirstSeen.UnixNano(); f < c.first {
			c.first = f
		}
		c.n.Add(d.Count)
		raise(&c.last, d.LastSeen.UnixNano())
		sh.mu.Unlock()
	}
}

// Run flushes every FlushInterval until ctx ends, then flushes once more
// (with a short deadline of its own) so that a graceful shutdown loses
// nothing. It always returns nil; flush failures are logged.
func (r *UsageRecorder) Run(ctx context.Context) error {
	t := time.NewTicker(r.opts.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := r.Flush(ctx); err != nil && ctx.Err() == nil {
				r.opts.Logger.WarnContext(ctx, "flushing schema usage failed; will retry", "err", err)
			}
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := r.Flush(final); err != nil {
				r.opts.Logger.WarnContext(final, "final flush of schema usage failed", "err", err)
			}
			return nil
		}
	}
}

// RecordUsage counts one lookup by a client (see ClientIdentity) of the
// schema with the given (context, id). It only touches memory; RunUsage
// flushes.
func (s *Service) RecordUsage(who Identity, schema SchemaKey) {
	s.consumers.usage.Record(who, schema)
}

// RunUsage flushes recorded usage periodically until ctx ends, then once
// more. Run it in its own goroutine next to Watch.
func (s *Service) RunUsage(ctx context.Context) error {
	return s.consumers.usage.Run(ctx)
}

// FlushUsage writes recorded usage to the store now.
func (s *Service) FlushUsage(ctx context.Context) error {
	return s.consumers.usage.Flush(ctx)
}

// principalKey is the context key of the authenticated principal.
type principalKey struct{}

// ContextWithPrincipal returns ctx carrying the name of the authenticated
// principal making the request. Authentication middleware sets it; usage
// recording and audit logs read it.
func ContextWithPrincipal(ctx context.Context, principal string) context.Context {
	return context.WithValue(ctx, principalKey{}, principal)
}

// PrincipalFromContext returns the authenticated principal, or "".
func PrincipalFromContext(ctx context.Context) string {
	p, _ := ctx.Value(principalKey{}).(string)
	return p
}

// IdentitySource says where a client identity came from.
type IdentitySource uint8

// Identity sources, strongest first.
const (
	FromNothing IdentitySource = iota
	FromPrincipal
	FromClientID
	FromUserAgent
)

// identityPrefixes are the prefixes an Identity's String gives each
// source, so that a header cannot pass for a principal.
var identityPrefixes = [...]string{FromPrincipal: "principal:", FromClientID: "client:", FromUserAgent: "agent:"}

// Identity is the client a lookup is recorded under.
type Identity struct {
	Source IdentitySource
	Name   string
}

// String renders the identity as stored: "principal:alice",
// "client:orders-etl", "agent:Go-http-client/1.1", or AnonymousIdentity.
func (i Identity) String() string {
	if i.Source == FromNothing || int(i.Source) >= len(identityPrefixes) || i.Name == "" {
		return AnonymousIdentity
	}
	return identityPrefixes[i.Source] + i.Name
}

// ParseIdentity is the inverse of Identity.String.
func ParseIdentity(s string) Identity {
	for src, prefix := range identityPrefixes {
		if prefix != "" && len(s) > len(prefix) && s[:len(prefix)] == prefix {
			return Identity{Source: IdentitySource(src), Name: s[len(prefix):]}
		}
	}
	return Identity{}
}

// ClientIdentity picks the identity usage is recorded under: the
// authenticated principal, else the client id the client sent (the
// X-Client-Id header), else its User-Agent. It does not allocate.
func ClientIdentity(ctx context.Context, clientID, userAgent string) Identity {
	switch {
	case PrincipalFromContext(ctx) != "":
		return Identity{Source: FromPrincipal, Name: PrincipalFromContext(ctx)}
	case clientID != "":
		return Identity{Source: FromClientID, Name: clientID}
	case userAgent != "":
		return Identity{Source: FromUserAgent, Name: userAgent}
	}
	return Identity{}
}
