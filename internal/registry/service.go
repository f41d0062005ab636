package registry

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// LatestVersion selects a subject's latest version ("latest" or -1 in the
// Confluent API).
const LatestVersion = -1

// Options configure a Service.
type Options struct {
	// Defaults is the global config used where none is stored. The shipped
	// default is BACKWARD plus the additive-only policy (see
	// DefaultConfig).
	Defaults Config
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
	// Logger receives structured logs; slog.Default when nil.
	Logger *slog.Logger
	// CacheBytes is the memory budget shared by the in-process caches and
	// the usage buffer, split by fixed shares (see CacheShare); default
	// DefaultCacheBytes.
	CacheBytes int64
	// Limits bounds the work one schema may cause; zero fields take
	// schema.DefaultLimits.
	Limits schema.Limits
	// MaxConcurrentParses bounds the parses and compatibility checks
	// running at once (default GOMAXPROCS): they are CPU-bound, so more
	// would only share the same cores more slowly.
	MaxConcurrentParses int
	// ParseWait is how long an operation waits for a free slot before it
	// fails with srapi.CodeOverloaded (default DefaultParseWait).
	ParseWait time.Duration
}

// DefaultConfig is the shipped global default: BACKWARD plus the
// additive-only policy, 30 days of minimum deprecation and rejection of
// consumer breakage.
func DefaultConfig() Config {
	return Config{
		Compatibility:        ptr(compat.Backward),
		AdditiveOnly:         ptr(true),
		Normalize:            ptr(false),
		MinDeprecationPeriod: ptr(30 * 24 * time.Hour),
		ConsumerBreakage:     ptr(ConsumerBreakageReject),
	}
}

// ConfluentDefaultConfig is Confluent's plain default: BACKWARD without
// the additive-only policy, for teams migrating existing subjects.
func ConfluentDefaultConfig() Config {
	c := DefaultConfig()
	c.AdditiveOnly = ptr(false)
	return c
}

// Consumer breakage handling.
const (
	ConsumerBreakageReject = "reject"
	ConsumerBreakageWarn   = "warn"
)

func ptr[T any](v T) *T { return &v }

// Service implements the registry's operations over a Store.
//
// Schemas are cached by id: an id always names the same content, so the
// cache needs invalidating only when a permanent delete makes an id
// unreachable, which Watch reports from every process sharing the store.
type Service struct {
	store Store
	opts  Options
	log   *slog.Logger

	// byID caches registered schemas by (context, id) (the runtime
	// lookup path).
	byID *otter.Cache[SchemaKey, *Schema]
	// parsedByID caches parsed schemas by id for compatibility checks.
	parsedByID *otter.Cache[SchemaKey, schema.Schema]
	// inputs caches parsed client inputs by a hash of everything that
	// determines the parse, so a re-registration (what every producer does
	// at start-up) skips parsing. Flushed on permanent deletes, the only
	// event that can change what a reference resolves to.
	inputs *otter.Cache[[32]byte, *parsed]
	// byFingerprint caches schemas by identity key. Schema rows are
	// deleted only when IMPORT frees an unused id or text, which resets
	// every cache (ChangeReset).
	byFingerprint *otter.Cache[string, *Schema]
	// registered answers idempotent re-registrations from memory, keyed by
	// a hash of the whole request; generations (subject →
	// *subjectGen) and epoch say when an entry is stale: epoch moves
	// with every change that may alter answers across subjects (config,
	// mode, permanent deletes, resets).
	registered *otter.Cache[[32]byte, registeredEntry]
	// registeredStats counts hits of current entries only: a stale entry
	// is a miss (see registeredAnswer).
	registeredStats *stats.Counter
	// subjectHashes keeps, per subject, its live versions' stored hashes,
	// so that first re-registrations of its versions need no query
	// (hashes.go).
	subjectHashes *otter.Cache[string, *subjectHashes]
	generations   sync.Map
	epoch         atomic.Uint64
	// schemaEpoch moves whenever an id may have come to name other
	// content or none (see SchemaEpoch).
	schemaEpoch atomic.Uint64
	// configs and modes cache what is stored per subject ("" global).
	configs coherent[*Config]
	modes   coherent[Mode]
	// consumers holds the consumer features (consumer.go).
	consumers *consumerState
	// gate bounds concurrent parses and checks (bounds.go).
	gate *gate
}

// New returns a Service over store. Call Watch to keep its caches coherent
// with other processes.
func New(store Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.CacheBytes <= 0 {
		opts.CacheBytes = DefaultCacheBytes
	}
	opts.Limits = opts.Limits.WithDefaults()
	if opts.MaxConcurrentParses <= 0 {
		opts.MaxConcurrentParses = runtime.GOMAXPROCS(0)
	}
	if opts.ParseWait <= 0 {
		opts.ParseWait = DefaultParseWait
	}
	opts.Defaults = mergeConfig(DefaultConfig(), opts.Defaults)
	share := func(name string) uint64 { return CacheShare(opts.CacheBytes, name) }
	registeredStats := stats.NewCounter()
	return &Service{
		store: store,
		opts:  opts,
		log:   opts.Logger,
		byID: newWeighed(share(CacheSchemasByID), func(_ SchemaKey, s *Schema) int {
			return schemaSize(s)
		}),
		parsedByID: newWeighed(share(CacheParsedSchemas), func(_ SchemaKey, s schema.Schema) int {
			return parsedSize(s)
		}),
		inputs: newWeighed(share(CacheParsedInputs), func(_ [32]byte, p *parsed) int {
			return parsedSize(p.schema) + len(p.text) + len(p.fingerprint)
		}),
		byFingerprint: newWeighed(share(CacheFingerprints), func(fp string, s *Schema) int {
			return len(fp) + schemaSize(s)
		}),
		registered: newRecorded(share(CacheRegistered), func(_ [32]byte, e registeredEntry) int {
			return registeredSize(e)
		}, ownCounts{registeredStats}),
		registeredStats: registeredStats,
		subjectHashes:   newWeighed(share(CacheSubjectHashes), subjectHashesSize),
		configs:         newCoherent[*Config](share(CacheConfigs)),
		modes:           newCoherent[Mode](share(CacheModes)),
		consumers:       newConsumerState(store, opts),
		gate:            newGate(opts.MaxConcurrentParses, opts.ParseWait),
	}
}

// Watch applies changes committed by any process to the caches until ctx
// ends. Run it in its own goroutine.
//
// Each of also receives every change after the service has applied it,
// on the same goroutine: caches outside the domain (credentials) follow
// the store's notifications this way.
func (s *Service) Watch(ctx context.Context, also ...func(Change)) error {
	return s.store.Watch(ctx, func(c Change) {
		s.apply(c)
		for _, fn := range also {
			fn(c)
		}
	})
}

func (s *Service) apply(c Change) {
	switch c.Kind {
	case ChangeVersions:
		s.subjectGeneration(c.Subject).Add(1)
	case ChangeConfig:
		s.epoch.Add(1)
		s.configs.invalidate(c.Subject)
		// Config decides what a registration stores (data-contract
		// defaults and overrides, normalize): remembered
		// re-registrations of the subjects it governs are stale.
		if c.Subject == GlobalSubject {
			s.generations.Range(func(_, g any) bool {
				g.(*subjectGen).Add(1)
				return true
			})
		} else {
			s.subjectGeneration(c.Subject).Add(1)
		}
	case ChangeMode:
		s.epoch.Add(1)
		s.modes.invalidate(c.Subject)
	case ChangeReset:
		s.epoch.Add(1)
		s.configs.invalidateAll()
		s.modes.invalidateAll()
		s.generations.Range(func(_, g any) bool {
			g.(*subjectGen).Add(1)
			return true
		})
	}
	switch {
	case c.Kind == ChangeReset:
		s.schemaEpoch.Add(1)
		s.byID.InvalidateAll()
		s.byFingerprint.InvalidateAll()
		s.parsedByID.InvalidateAll()
		s.inputs.InvalidateAll()
		s.registered.InvalidateAll()
	case c.SchemaID != 0:
		// Ids are unique per context: the subject names the context.
		key := SchemaKey{Context: ContextOf(c.Subject), ID: c.SchemaID}
		s.schemaEpoch.Add(1)
		s.byID.Invalidate(key)
		s.parsedByID.Invalidate(key)
		s.inputs.InvalidateAll()
		s.registered.InvalidateAll()
		s.epoch.Add(1)
	}
	s.applyConsumerChange(c)
}

// Ready reports whether the store is reachable.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return storeError(err)
	}
	return nil
}

// SchemaInput is schema text as a client submits it.
type SchemaInput struct {
	Format     schema.Format
	Text       string
	References []schema.Reference
	Metadata   json.RawMessage
	RuleSet    json.RawMessage
	// Normalize stores and compares the normalized form.
	Normalize bool
	// Context is the schema context of the subject the input is for
	// ("" is the default context): unqualified references resolve in it,
	// and the schema's identity includes it.
	Context string
}

// storeError wraps an unexpected storage failure as srapi.CodeStoreError,
// keeping the cause for logs.
func storeError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: srapi.CodeOperationTimeout, Message: "Operation timed out", Err: err}
	}
	return &Error{Code: srapi.CodeStoreError, Message: srapi.StoreErrorMessage, Err: err}
}
