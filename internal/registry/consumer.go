package registry

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/jsonschema"
	"github.com/schemata-dev/schemata/srapi"
)

// Consumer is a downstream pipeline registered as reading subjects. The
// registry checks every change to a subject against the consumers that
// read it, and reports who still reads what is being retired.
type Consumer struct {
	// Name is unique: letters, digits and . _ - @ : (see ValidateConsumer).
	Name string
	// Owner is the team or contact responsible for the consumer.
	Owner string
	// Labels are free-form key/value pairs, e.g. env=prod.
	Labels map[string]string
	// Reads lists what the consumer reads, one entry per subject, ordered
	// by subject.
	Reads     []ConsumerRead
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ConsumerRead is what a consumer reads from one subject: either a reader
// schema of its own (ReaderSchema, with Format and References; for
// Protobuf, Message names the decoded message) or the schema paths it uses
// (Fields), plus how far back it must be able to re-read.
type ConsumerRead struct {
	Subject string
	// Format is the reader schema's format; empty for a field-path read.
	Format       schema.Format
	ReaderSchema string
	References   []schema.Reference
	// Message is the full name of the Protobuf message decoded; for field
	// paths, the message they are relative to. Empty: the first message of
	// the reader schema, or full-name paths.
	Message string
	// Fields are schema paths in the subject format's notation; an Avro
	// path may leave out the root record's name.
	Fields []string
	// Backfill is how far back the consumer must be able to re-read the
	// subject's history (0: no backfill requirement).
	Backfill time.Duration
}

// Sentinels of the consumer features, for errors.Is.
var (
	ErrConsumerNotFound    = &Error{Code: srapi.CodeConsumerNotFound}
	ErrDeprecationNotFound = &Error{Code: srapi.CodeDeprecationNotFound}
	ErrConsumerExists      = &Error{Code: srapi.CodeConsumerExists}
	ErrInvalidConsumer     = &Error{Code: srapi.CodeInvalidConsumer}
)

// consumerNameRE is the shape of a consumer name: URL-path safe, so that
// /v1/consumers/{name} needs no escaping.
var consumerNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@:-]{0,199}$`)

// maxOwnerLength bounds owner, label keys and label values.
const maxOwnerLength = 256

// consumerState holds the Service's consumer features: the store, the
// parsed reader schemas, the index of deprecated subjects and versions
// behind the lookup headers, and the runtime usage recorder.
type consumerState struct {
	store ConsumerStore
	// readers caches parsed reader schemas by their fingerprint.
	readers *otter.Cache[string, schema.Schema]
	// bySubject caches what a registration's check needs of the consumer
	// features, per subject (subjectConsumers). Every write of a consumer
	// or record notifies in its transaction, so each process drops what
	// it made stale when the write commits.
	bySubject coherent[*subjectConsumers]

	// deprecated is the current index of deprecated subjects, versions and
	// schema ids; nil means it must be (re)loaded. gen counts
	// invalidations so that a load racing with a change is discarded.
	deprecated atomic.Pointer[deprecationIndex]
	gen        atomic.Uint64
	loadMu     sync.Mutex

	usage *UsageRecorder
}

func newConsumerState(store Store, opts Options) *consumerState {
	return &consumerState{
		store: store,
		readers: newWeighed(CacheShare(opts.CacheBytes, CacheReaderSchemas), func(fp string, s schema.Schema) int {
			return len(fp) + parsedSize(s)
		}),
		bySubject: newCoherent[*subjectConsumers](CacheShare(opts.CacheBytes, CacheSubjectConsumers)),
		usage: NewUsageRecorder(store, UsageOptions{
			Now: opts.Now, Logger: opts.Logger, MaxBytes: int64(CacheShare(opts.CacheBytes, UsageBuffer)),
		}),
	}
}

// consumerStore returns the store of the consumer features. It cannot
// fail today; the error keeps call sites ready for stores that split it
// out.
func (s *Service) consumerStore() (ConsumerStore, error) {
	return s.consumers.store, nil
}

// applyConsumerChange invalidates what a committed change made stale.
func (s *Service) applyConsumerChange(c Change) {
	st := s.consumers
	switch c.Kind {
	case ChangeReset:
		st.invalidateDeprecations()
		st.bySubject.invalidateAll()
	case ChangeConsumers:
		st.bySubject.invalidateAll()
	case ChangeDeprecations:
		st.invalidateDeprecations()
		st.bySubject.invalidate(c.Subject)
	case ChangeVersions:
		// A new version of a deprecated subject is deprecated too; a
		// permanent delete may free a schema id.
		if idx := st.deprecated.Load(); idx != nil && (idx.subjects[c.Subject] != nil || len(idx.versions[c.Subject]) > 0) {
			st.invalidateDeprecations()
		}
		// A permanent delete may break a reader schema's reference.
		if c.SchemaID != 0 {
			st.bySubject.invalidateAll()
		}
	}
}

func (st *consumerState) invalidateDeprecations() {
	st.gen.Add(1)
	st.deprecated.Store(nil)
}

// ValidateConsumer checks the shape of c: a valid name, an owner, one read
// per valid subject, each with either a reader schema or field paths, and
// no negative backfill window. It does not parse reader schemas (the
// Service does, with their references).
func ValidateConsumer(c *Consumer) error {
	if !consumerNameRE.MatchString(c.Name) {
		return Errorf(srapi.CodeInvalidConsumer, "Invalid consumer name %q: use 1 to 200 letters, digits and . _ - @ :, starting with a letter or digit", c.Name)
	}
	if strings.TrimSpace(c.Owner) == "" || len(c.Owner) > maxOwnerLength {
		return Errorf(srapi.CodeInvalidConsumer, "Consumer %s needs an owner (a team or contact) of at most %d bytes", c.Name, maxOwnerLength)
	}
	for k, v := range c.Labels {
		if k == "" || len(k) > maxOwnerLength || len(v) > maxOwnerLength {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s: label keys must be 1 to %d bytes and values at most %d", c.Name, maxOwnerLength, maxOwnerLength)
		}
	}
	if !consumerEncodable(c) {
		return Errorf(srapi.CodeInvalidConsumer, "Consumer %s holds a NUL byte or invalid UTF-8 in its owner, labels or reads", c.Name)
	}
	seen := map[string]bool{}
	for _, r := range c.Reads {
		if err := ValidateSubject(r.Subject); err != nil {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s reads an invalid subject %q", c.Name, r.Subject)
		}
		if seen[r.Subject] {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s lists subject %s twice; give one entry per subject", c.Name, r.Subject)
		}
		seen[r.Subject] = true
		hasReader, hasFields := r.ReaderSchema != "", len(r.Fields) > 0
		if hasReader == hasFields {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s reading %s must give either a reader schema or a list of fields, not both or neither", c.Name, r.Subject)
		}
		if slices.Contains(r.Fields, "") {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s reading %s lists an empty field path", c.Name, r.Subject)
		}
		if r.Backfill < 0 {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s reading %s has a negative backfill window", c.Name, r.Subject)
		}
	}
	return nil
}

// consumerEncodable reports whether every text of c is one every store
// can hold (no NUL byte, valid UTF-8).
func consumerEncodable(c *Consumer) bool {
	texts := []string{c.Owner}
	for k, v := range c.Labels {
		texts = append(texts, k, v)
	}
	for _, r := range c.Reads {
		texts = append(texts, r.ReaderSchema, r.Message, string(r.Format))
		texts = append(texts, r.Fields...)
		for _, ref := range r.References {
			texts = append(texts, ref.Name, ref.Subject)
		}
	}
	for _, t := range texts {
		if !srapi.Encodable(t) {
			return false
		}
	}
	return true
}

// normalizeConsumer puts c in the form it is stored and compared in:
// reads sorted by subject, empty collections as nil, duplicate fields
// dropped, Avro as the default reader format.
func normalizeConsumer(c *Consumer) {
	c.Owner = strings.TrimSpace(c.Owner)
	if len(c.Labels) == 0 {
		c.Labels = nil
	}
	for i := range c.Reads {
		r := &c.Reads[i]
		if r.ReaderSchema != "" && r.Format == "" {
			r.Format = schema.Avro
		}
		if r.ReaderSchema == "" {
			r.Format = ""
		}
		if len(r.References) == 0 {
			r.References = nil
		}
		var fields []string
		for _, f := range r.Fields {
			if f = strings.TrimSpace(f); !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
		r.Fields = fields
	}
	sort.Slice(c.Reads, func(i, j int) bool { return c.Reads[i].Subject < c.Reads[j].Subject })
}

// sameConsumer reports whether a and b describe the same consumer,
// ignoring their timestamps.
func sameConsumer(a, b *Consumer) bool {
	if a.Name != b.Name || a.Owner != b.Owner || !maps.Equal(a.Labels, b.Labels) || len(a.Reads) != len(b.Reads) {
		return false
	}
	for i := range a.Reads {
		x, y := a.Reads[i], b.Reads[i]
		if x.Subject != y.Subject || x.Format != y.Format || x.ReaderSchema != y.ReaderSchema ||
			x.Message != y.Message || x.Backfill != y.Backfill ||
			!slices.Equal(x.References, y.References) || !slices.Equal(x.Fields, y.Fields) {
			return false
		}
	}
	return true
}

// readerSchema parses a read's reader schema with its references, once
// per distinct schema. An invalid reader schema is srapi.CodeInvalidSchema.
func (s *Service) readerSchema(ctx context.Context, r ConsumerRead) (schema.Schema, error) {
	if r.ReaderSchema == "" {
		return nil, nil
	}
	key := ContextOf(r.Subject) + ":" + fingerprint(r.Format, r.ReaderSchema, r.References, nil, nil)
	if p, ok := s.consumers.readers.GetIfPresent(key); ok {
		return p, nil
	}
	deps, err := s.resolveReferences(ctx, s.store, ContextOf(r.Subject), r.References, map[string]bool{})
	if err != nil {
		return nil, err
	}
	p, err := s.parseText(ctx, r.Format, r.ReaderSchema, deps)
	if err != nil {
		return nil, err
	}
	s.consumers.readers.Set(key, p)
	return p, nil
}

// prepareConsumer validates, normalizes and parses c's reader schemas.
func (s *Service) prepareConsumer(ctx context.Context, c *Consumer) error {
	if err := ValidateConsumer(c); err != nil {
		return err
	}
	normalizeConsumer(c)
	for _, r := range c.Reads {
		if err := s.graphReadable(ctx, ContextOf(r.Subject), r.References, ""); err != nil {
			return err
		}
		p, err := s.readerSchema(ctx, r)
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Code == srapi.CodeInvalidSchema {
				return &Error{Code: srapi.CodeInvalidSchema, Message: fmt.Sprintf("Consumer %s reading %s: %s", c.Name, r.Subject, e.Message), Err: err}
			}
			return err
		}
		if p != nil && r.Message != "" && !compat.HasPath(p, r.Message) {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s reading %s decodes message %s, which its reader schema does not define", c.Name, r.Subject, r.Message)
		}
		if err := s.validateJSONFields(ctx, c.Name, r); err != nil {
			return err
		}
	}
	return nil
}

// validateJSONFields checks the paths of a field-path read of a JSON
// Schema subject against the subject's latest live version: each must be
// a field path or a JSON Pointer that leads to a subschema (through "$ref"
// and combinator branches). Reads of subjects of other formats, or of
// subjects without a live version yet, are judged at check time
// (CONSUMER_FIELD_UNKNOWN), as before.
func (s *Service) validateJSONFields(ctx context.Context, consumer string, r ConsumerRead) error {
	if len(r.Fields) == 0 {
		return nil
	}
	latest, err := s.version(ctx, s.store, r.Subject, LatestVersion, false)
	if errors.Is(err, ErrSubjectNotFound) || errors.Is(err, ErrVersionNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	p, err := s.parsedSchema(ctx, s.store, latest.Schema)
	if err != nil {
		return err
	}
	js, ok := p.(*jsonschema.Schema)
	if !ok {
		return nil
	}
	for _, f := range r.Fields {
		if !jsonschema.IsPointer(f) {
			if _, err := jsonschema.ParseFieldPath(f); err != nil {
				return Errorf(srapi.CodeInvalidConsumer, "Consumer %s reading %s: %v", consumer, r.Subject, err)
			}
		}
		if _, ok := js.ResolvePath(f); !ok {
			return Errorf(srapi.CodeInvalidConsumer, "Consumer %s reading %s: field %s names nothing in version %d (write a property path such as customer.email or items[].sku, or a JSON Pointer to a subschema)", consumer, r.Subject, f, latest.Version)
		}
	}
	return nil
}

// PutConsumerResult says what PutConsumer did.
type PutConsumerResult struct {
	Consumer *Consumer
	// Created is set when no consumer of that name existed.
	Created bool
	// Changed is set when something was written; putting a consumer
	// identical to the stored one changes nothing.
	Changed bool
	// Previous is the consumer replaced, nil when none was.
	Previous *Consumer
}

// PutConsumer creates c or replaces the consumer of that name. It is
// idempotent: the same input leaves the stored consumer (and its
// UpdatedAt) untouched. Invalid input is srapi.CodeInvalidConsumer, an invalid
// reader schema srapi.CodeInvalidSchema.
func (s *Service) PutConsumer(ctx context.Context, c Consumer) (PutConsumerResult, error) {
	return s.putConsumer(ctx, c, false)
}

// CreateConsumer creates c; srapi.CodeConsumerExists when the name is taken by
// a different consumer (creating an identical one again succeeds, so
// retries are safe).
func (s *Service) CreateConsumer(ctx context.Context, c Consumer) (PutConsumerResult, error) {
	return s.putConsumer(ctx, c, true)
}

func (s *Service) putConsumer(ctx context.Context, c Consumer, createOnly bool) (PutConsumerResult, error) {
	if err := ValidateConsumer(&c); err != nil {
		return PutConsumerResult{}, err
	}
	// A consumer's reads block breaking changes to what it reads, so
	// declaring one is a write to each of those subjects.
	if err := requireOn(ctx, PermWrite, c.Subjects()...); err != nil {
		return PutConsumerResult{}, err
	}
	if err := s.prepareConsumer(ctx, &c); err != nil {
		return PutConsumerResult{}, err
	}
	var res PutConsumerResult
	// The grant check on the record replaced and the write run in one
	// transaction, under a lock on the consumer's name: a concurrent
	// replace cannot swap in a record reading other subjects between the
	// check and the write.
	err := s.consumerTx(ctx, consumerLock(c.Name), Change{Kind: ChangeConsumers}, func(ctx context.Context, cs ConsumerStore) (bool, error) {
		cur, err := cs.ConsumerGet(ctx, c.Name)
		switch {
		case errors.Is(err, ErrNotFound):
			cur = nil
		case err != nil:
			return false, err
		}
		if cur != nil {
			// Replacing a consumer unblocks what it read.
			if err := requireOn(ctx, PermWrite, cur.Subjects()...); err != nil {
				return false, err
			}
		}
		if cur != nil && sameConsumer(cur, &c) {
			res = PutConsumerResult{Consumer: cur}
			return false, nil
		}
		if cur != nil && createOnly {
			return false, Errorf(srapi.CodeConsumerExists, "Consumer %s already exists; use PUT to replace it", c.Name)
		}
		now := s.opts.Now().UTC()
		c.CreatedAt, c.UpdatedAt = now, now
		if cur != nil {
			c.CreatedAt = cur.CreatedAt
		}
		if err := cs.ConsumerPut(ctx, c); err != nil {
			return false, err
		}
		res = PutConsumerResult{Consumer: &c, Created: cur == nil, Changed: true, Previous: cur}
		return true, nil
	})
	if err != nil {
		return PutConsumerResult{}, storeError(err)
	}
	if res.Changed {
		s.log.InfoContext(ctx, "consumer stored", "consumer", c.Name, "owner", c.Owner, "created", res.Created)
	}
	return res, nil
}

// consumerTx runs fn in one transaction, holding the lock named lock
// unless it is "", with the consumer store of that transaction, so that
// what fn checks is what it writes. When fn reports a change, the same
// transaction queues c: every process sharing the store hears of it
// exactly when it commits (never of one rolled back), and this one applies
// it as soon as it has. A store whose transactions carry no consumer store
// (none of the project's) gets its own, outside the transaction.
func (s *Service) consumerTx(ctx context.Context, lock string, c Change, fn func(ctx context.Context, cs ConsumerStore) (changed bool, err error)) error {
	var changed bool
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		changed = false
		if lock != "" {
			if err := tx.SubjectLock(ctx, lock); err != nil {
				return err
			}
		}
		cs, ok := tx.(ConsumerStore)
		if !ok {
			cs = s.consumers.store
		}
		var err error
		if changed, err = fn(ctx, cs); err != nil || !changed {
			return err
		}
		return tx.Notify(ctx, c)
	})
	if err == nil && changed {
		s.applyConsumerChange(c)
	}
	return err
}

// consumerLock and deprecationLock name the locks of one consumer and one
// deprecation record: the NUL keeps them apart from every subject's lock,
// since a subject cannot hold one.
func consumerLock(name string) string { return "\x00consumer\x00" + name }
func deprecationLock(id int) string   { return "\x00deprecation\x00" + strconv.Itoa(id) }

// Subjects lists the subjects c reads.
func (c *Consumer) Subjects() []string {
	out := make([]string, len(c.Reads))
	for i, r := range c.Reads {
		out[i] = r.Subject
	}
	return out
}

// Consumer returns the consumer with the given name. A caller who may
// read only some subjects sees only its reads of those, and a consumer
// that reads none of them (but reads something) as absent.
func (s *Service) Consumer(ctx context.Context, name string) (*Consumer, error) {
	cs, err := s.consumerStore()
	if err != nil {
		return nil, err
	}
	c, err := cs.ConsumerGet(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return nil, consumerNotFound(name)
	}
	if err != nil {
		return nil, storeError(err)
	}
	if !visibleConsumer(ctx, c) {
		return nil, consumerNotFound(name)
	}
	return c, nil
}

// visibleConsumer trims c's reads to the subjects the caller may read,
// and reports whether c remains visible: a consumer that reads only
// subjects hidden from the caller is hidden too.
func visibleConsumer(ctx context.Context, c *Consumer) bool {
	if restricted(ctx, PermRead) == nil || len(c.Reads) == 0 {
		return true
	}
	// A copy: callers may keep the original reads to check them.
	c.Reads = readable(ctx, slices.Clone(c.Reads), func(r *ConsumerRead) string { return r.Subject })
	return len(c.Reads) > 0
}

func consumerNotFound(name string) error {
	return Errorf(srapi.CodeConsumerNotFound, "Consumer '%s' not found.", name)
}

// Consumers lists consumers, ordered by name: the page p.Offset, p.Limit
// of those the caller may see, read from the store a page (or, for a
// caller who may read only some subjects, a chunk) at a time.
func (s *Service) Consumers(ctx context.Context, p ConsumerListParams) ([]Consumer, error) {
	cs, err := s.consumerStore()
	if err != nil {
		return nil, err
	}
	if p.Subject != "" && !allowed(ctx, PermRead, p.Subject) {
		// Who reads a hidden subject would tell that it exists.
		return []Consumer{}, nil
	}
	list := func(offset, limit int) ([]Consumer, error) {
		q := p
		q.Offset, q.Limit = offset, limit
		out, err := cs.ConsumerList(ctx, q)
		if err != nil {
			return nil, storeError(err)
		}
		return out, nil
	}
	if restricted(ctx, PermRead) == nil {
		return list(p.Offset, p.Limit)
	}
	// The page is one of the consumers the caller may see.
	return pageKept(p.Offset, p.Limit, func(c *Consumer) bool { return visibleConsumer(ctx, c) }, list)
}

// DeleteConsumer removes a consumer and returns what it was;
// srapi.CodeConsumerNotFound when there is none of that name. Deleting
// unblocks what the consumer read, so it needs write access to each of
// those subjects.
func (s *Service) DeleteConsumer(ctx context.Context, name string) (*Consumer, error) {
	var cur *Consumer
	// Checked and deleted in one transaction, as in putConsumer.
	err := s.consumerTx(ctx, consumerLock(name), Change{Kind: ChangeConsumers}, func(ctx context.Context, cs ConsumerStore) (bool, error) {
		var err error
		cur, err = cs.ConsumerGet(ctx, name)
		if errors.Is(err, ErrNotFound) {
			return false, consumerNotFound(name)
		} else if err != nil {
			return false, err
		}
		if seen := *cur; !visibleConsumer(ctx, &seen) {
			return false, consumerNotFound(name)
		}
		if err := requireOn(ctx, PermWrite, cur.Subjects()...); err != nil {
			return false, err
		}
		if err := cs.ConsumerDelete(ctx, name); errors.Is(err, ErrNotFound) {
			return false, consumerNotFound(name)
		} else if err != nil {
			return false, err
		}
		return true, nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	s.log.InfoContext(ctx, "consumer deleted", "consumer", name)
	return cur, nil
}
