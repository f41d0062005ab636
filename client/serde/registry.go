package serde

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/srapi"
)

// Schema is a registered schema as a pipeline uses it: its text, parsed
// once for its format, and the deprecations the registry reported when
// it was fetched. A Schema is immutable and shared; do not modify it.
type Schema struct {
	// ID is the registry's global id of the schema.
	ID int
	// Subject and Version are set when the schema was looked up by
	// subject; a lookup by id leaves them empty.
	Subject string
	Version int
	client.Schema
	// Deprecations lists what the registry reported deprecated in the
	// schema when it was fetched; nil for a schema nothing deprecates.
	Deprecations []Deprecation

	parsed   Parsed
	parseErr error
	uses     []prometheus.Counter
	weight   uint32
}

// Parsed returns the schema parsed by its format, or the error that
// parsing returned (an unknown format is ErrUnknownFormat).
func (s *Schema) Parsed() (Parsed, error) { return s.parsed, s.parseErr }

// countUse adds one message to the deprecated-use counters.
func (s *Schema) countUse() {
	for _, c := range s.uses {
		c.Inc()
	}
}

// key identifies an immutable answer: by id (subject "") or by subject
// and explicit version.
type key struct {
	id      int
	version int
	subject string
}

// Registry is a caching, deprecation-aware view of one schema registry,
// for pipelines that look schemas up on their hot path. It is safe for
// concurrent use.
//
// Answers that never change (a schema by id, a subject's numbered
// version) are kept for the life of the process within a memory budget
// (WithCacheBytes, DefaultCacheBytes): each answer weighs an estimate of
// what it holds, its text three times over (the text, and its parsed
// form, which takes about twice the text's size for Avro and Protobuf)
// plus a fixed 512 bytes; when the total passes the budget the entries
// least likely to be used again are evicted. A subject's latest version
// is reused for WithLatestTTL. Concurrent misses for the same answer
// share one request.
//
// When a fetched schema is deprecated the Registry reports it once per
// fetch: to the WithOnDeprecated hook, or by default as one slog warning
// per schema id and element.
type Registry struct {
	remote  *remote
	opts    options
	formats map[string]Format
	deps    *deprecations

	cache  *otter.Cache[key, *Schema]
	latest *otter.Cache[string, *Schema]
	flight singleflight.Group
}

// NewRegistry returns a Registry for the registry at baseURL.
func NewRegistry(baseURL string, opts ...Option) (*Registry, error) {
	o := options{
		userAgent: DefaultUserAgent, cacheBytes: DefaultCacheBytes,
		latestTTL: DefaultLatestTTL, latestSubjects: DefaultLatestSubjects,
	}
	for _, opt := range opts {
		opt(&o)
	}
	rem, err := newRemote(baseURL, &o)
	if err != nil {
		return nil, err
	}
	deps, err := newDeprecations(&o)
	if err != nil {
		return nil, fmt.Errorf("register serde metrics: %w", err)
	}
	r := &Registry{remote: rem, opts: o, deps: deps, formats: map[string]Format{}}
	for _, f := range append([]Format{Avro{}, Protobuf{}}, o.formats...) {
		r.formats[f.Type()] = f
	}
	r.cache, err = otter.New(&otter.Options[key, *Schema]{
		MaximumWeight: o.cacheBytes,
		Weigher:       func(_ key, s *Schema) uint32 { return s.weight },
	})
	if err != nil {
		return nil, fmt.Errorf("schema cache: %w", err)
	}
	r.latest, err = otter.New(&otter.Options[string, *Schema]{
		MaximumSize:      o.latestSubjects,
		ExpiryCalculator: otter.ExpiryWriting[string, *Schema](o.latestTTL),
	})
	if err != nil {
		return nil, fmt.Errorf("latest-version cache: %w", err)
	}
	return r, nil
}

// Client returns the underlying client, for the calls this package does
// not wrap. Its answers are not cached.
func (r *Registry) Client() *client.Client { return r.remote.cl }

// CachedBytes returns the weight of the immutable answers now cached
// (see Registry for how an answer is weighed).
func (r *Registry) CachedBytes() uint64 { return r.cache.WeightedSize() }

// SchemaByID returns the schema with global id (route GET
// /schemas/ids/{id}), from the cache when it was fetched before.
func (r *Registry) SchemaByID(ctx context.Context, id int) (*Schema, error) {
	if s, ok := r.cache.GetIfPresent(key{id: id}); ok {
		return s, nil
	}
	return r.fetchByID(ctx, id)
}

// fetchByID is the miss path of SchemaByID.
func (r *Registry) fetchByID(ctx context.Context, id int) (*Schema, error) {
	return r.shared(ctx, "id\x00"+strconv.Itoa(id), func(ctx context.Context) (*Schema, error) {
		if s, ok := r.cache.GetIfPresent(key{id: id}); ok {
			return s, nil
		}
		cs, sig, err := r.remote.schemaByID(ctx, id)
		if err != nil {
			return nil, err
		}
		s := &Schema{ID: id, Schema: *cs}
		r.complete(ctx, s, nil, sig)
		r.cache.Set(key{id: id}, s)
		return s, nil
	})
}

// shared runs fetch once for all the callers that miss the same answer at
// the same time. The fetch outlives the caller that started it, so that
// its cancellation does not fail the others (the client's per-attempt
// timeout bounds it); each caller stops waiting when its own ctx ends.
func (r *Registry) shared(ctx context.Context, flight string, fetch func(context.Context) (*Schema, error)) (*Schema, error) {
	ch := r.flight.DoChan(flight, func() (any, error) {
		return fetch(context.WithoutCancel(ctx))
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*Schema), nil
	}
}

// SchemaByVersion returns version of subject (route GET
// /subjects/{subject}/versions/{version}); version may be client.Latest.
// A numbered version is cached for the life of the process, the latest
// for WithLatestTTL.
func (r *Registry) SchemaByVersion(ctx context.Context, subject string, version int) (*Schema, error) {
	if version == client.Latest {
		if s, ok := r.latest.GetIfPresent(subject); ok {
			return s, nil
		}
	} else if s, ok := r.cache.GetIfPresent(key{subject: subject, version: version}); ok {
		return s, nil
	}
	return r.shared(ctx, "v\x00"+subject+"\x00"+strconv.Itoa(version), func(ctx context.Context) (*Schema, error) {
		sv, sig, err := r.remote.version(ctx, subject, version)
		if err != nil {
			return nil, err
		}
		k := key{subject: subject, version: sv.Version}
		if s, ok := r.cache.GetIfPresent(k); ok {
			// The latest is a version already cached: share it.
			if version == client.Latest {
				r.latest.Set(subject, s)
			}
			return s, nil
		}
		s := &Schema{ID: sv.ID, Subject: sv.Subject, Version: sv.Version, Schema: sv.Schema}
		r.complete(ctx, s, []srapi.SubjectVersionRef{{Subject: sv.Subject, Version: sv.Version}}, sig)
		r.cache.Set(k, s)
		if version == client.Latest {
			r.latest.Set(subject, s)
		}
		return s, nil
	})
}

// complete parses a freshly fetched schema, resolves its deprecations and
// reports them, and weighs it.
func (r *Registry) complete(ctx context.Context, s *Schema, known []srapi.SubjectVersionRef, sig signal) {
	s.parsed, s.parseErr = r.parse(ctx, s, 0)
	s.Deprecations = r.resolveDeprecations(ctx, s.ID, known, sig)
	s.uses = r.deps.counters(s.Deprecations)
	r.deps.report(ctx, s.Deprecations)
	s.weight = weigh(s)
}

// weigh estimates the bytes an answer holds; see Registry.
func weigh(s *Schema) uint32 {
	n := 512 + 3*len(s.Schema.Schema)
	for _, ref := range s.References {
		n += 64 + len(ref.Name) + len(ref.Subject)
	}
	for _, d := range s.Deprecations {
		n += 160 + len(d.Subject) + len(d.Element) + len(d.Reason) + len(d.Replacement)
	}
	return uint32(min(n, 1<<31))
}

// maxReferenceDepth bounds how deep references may nest, so a cycle in
// a corrupt registry cannot recurse forever.
const maxReferenceDepth = 32

// ErrUnknownFormat is returned for a schema whose type no Format handles.
var ErrUnknownFormat = errors.New("no format registered for the schema type")

// parse parses s with its format, resolving its references (depth-first,
// dependencies before dependents) through the cache.
func (r *Registry) parse(ctx context.Context, s *Schema, depth int) (Parsed, error) {
	f, ok := r.formats[s.Type()]
	if !ok {
		return nil, fmt.Errorf("schema %d of type %s: %w", s.ID, s.Type(), ErrUnknownFormat)
	}
	var deps []Dependency
	seen := map[string]bool{}
	if err := r.collect(ctx, s, depth, seen, &deps); err != nil {
		return nil, err
	}
	p, err := f.Parse(s.Schema, deps)
	if err != nil {
		return nil, fmt.Errorf("parse schema %d: %w", s.ID, err)
	}
	return p, nil
}

// collect appends the transitive references of s to deps, each once,
// dependencies first.
func (r *Registry) collect(ctx context.Context, s *Schema, depth int, seen map[string]bool, deps *[]Dependency) error {
	if depth > maxReferenceDepth {
		return fmt.Errorf("schema %d: references nest deeper than %d", s.ID, maxReferenceDepth)
	}
	for _, ref := range s.References {
		if seen[ref.Name] {
			continue
		}
		seen[ref.Name] = true
		dep, err := r.SchemaByVersion(ctx, ref.Subject, ref.Version)
		if err != nil {
			return fmt.Errorf("reference %q (%s version %d): %w", ref.Name, ref.Subject, ref.Version, err)
		}
		if err := r.collect(ctx, dep, depth+1, seen, deps); err != nil {
			return err
		}
		*deps = append(*deps, Dependency{Name: ref.Name, Schema: dep.Schema})
	}
	return nil
}
