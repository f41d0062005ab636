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
	// CacheSize bounds the number of schemas kept in memory by id
	// (default 100,000).
	CacheSize int
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

	// byID caches registered schemas by global id (the runtime lookup path).
	byID *otter.Cache[int, *Schema]
	// parsedByID caches parsed schemas by id for compatibility checks.
	parsedByID *otter.Cache[int, schema.Schema]
	// inputs caches parsed client inputs by a hash of everything that
	// determines the parse, so a re-registration (what every producer does
	// at start-up) skips parsing. Flushed on permanent deletes, the only
	// event that can change what a reference resolves to.
	inputs *otter.Cache[[32]byte, *parsed]
	// byFingerprint caches schemas by identity key. Schema rows are
	// deleted only when IMPORT frees an unused id or text, which resets
	// every cache (ChangeReset).
	byFingerprint *otter.Cache[string, *Schema]
	// registered answers idempotent re-registrations from memory, and
	// generations (subject → *atomic.Uint64) says when an entry is stale.
	registered  *otter.Cache[registeredKey, registeredEntry]
	generations sync.Map
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
	if opts.CacheSize <= 0 {
		opts.CacheSize = 100_000
	}
	opts.Limits = opts.Limits.WithDefaults()
	if opts.MaxConcurrentParses <= 0 {
		opts.MaxConcurrentParses = runtime.GOMAXPROCS(0)
	}
	if opts.ParseWait <= 0 {
		opts.ParseWait = DefaultParseWait
	}
	opts.Defaults = mergeConfig(DefaultConfig(), opts.Defaults)
	return &Service{
		store:         store,
		opts:          opts,
		log:           opts.Logger,
		byID:          otter.Must(&otter.Options[int, *Schema]{MaximumSize: opts.CacheSize, StatsRecorder: stats.NewCounter()}),
		parsedByID:    otter.Must(&otter.Options[int, schema.Schema]{MaximumSize: opts.CacheSize / 10, StatsRecorder: stats.NewCounter()}),
		inputs:        otter.Must(&otter.Options[[32]byte, *parsed]{MaximumSize: opts.CacheSize / 10}),
		byFingerprint: otter.Must(&otter.Options[string, *Schema]{MaximumSize: opts.CacheSize}),
		registered:    otter.Must(&otter.Options[registeredKey, registeredEntry]{MaximumSize: opts.CacheSize}),
		consumers:     newConsumerState(store, opts),
		gate:          newGate(opts.MaxConcurrentParses, opts.ParseWait),
	}
}

// Watch applies changes committed by any process to the caches until ctx
// ends. Run it in its own goroutine.
func (s *Service) Watch(ctx context.Context) error {
	return s.store.Watch(ctx, s.apply)
}

func (s *Service) apply(c Change) {
	switch c.Kind {
	case ChangeVersions:
		s.subjectGeneration(c.Subject).Add(1)
	case ChangeConfig:
		s.configs.invalidate(c.Subject)
	case ChangeMode:
		s.modes.invalidate(c.Subject)
	case ChangeReset:
		s.configs.invalidateAll()
		s.modes.invalidateAll()
		s.generations.Range(func(_, g any) bool {
			g.(*atomic.Uint64).Add(1)
			return true
		})
	}
	switch {
	case c.Kind == ChangeReset:
		s.byID.InvalidateAll()
		s.byFingerprint.InvalidateAll()
		s.parsedByID.InvalidateAll()
		s.inputs.InvalidateAll()
		s.registered.InvalidateAll()
	case c.SchemaID != 0:
		s.byID.Invalidate(c.SchemaID)
		s.parsedByID.Invalidate(c.SchemaID)
		s.inputs.InvalidateAll()
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
	return &Error{Code: srapi.CodeStoreError, Message: "Error in the backend data store", Err: err}
}
