package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

// subjectConsumers is what a check of one subject needs to know about the
// consumer features: who reads the subject and what was deprecated in it
// by record.
type subjectConsumers struct {
	readers []compat.ConsumerReader
	// fieldRecords are the subject's deprecation records of fields.
	fieldRecords []DeprecationRecord
}

// subjectConsumers returns the consumers reading subject, with their
// reader schemas parsed, and the subject's deprecation records, through
// the per-subject cache: registrations check against them on every new
// version, and they change rarely. A write of a consumer or record
// notifies in its own transaction (consumerTx), so a check may miss
// one committed by another process only in the moment before that
// notification arrives, as if the write had come a moment later.
func (s *Service) subjectConsumers(ctx context.Context, ex Executor, subject string) (*subjectConsumers, error) {
	return s.consumers.bySubject.get(subject, func() (*subjectConsumers, error) {
		return s.loadSubjectConsumers(ctx, ex, subject)
	})
}

// loadSubjectConsumers reads what subjectConsumers caches. A reader schema
// that no longer parses (its reference was deleted, say) is logged and
// left out rather than blocking every registration.
//
// Inside a transaction ex is its executor; the store's implementation of
// ConsumerStore on it is used when there is one, so that the load sees
// the transaction's snapshot.
func (s *Service) loadSubjectConsumers(ctx context.Context, ex Executor, subject string) (*subjectConsumers, error) {
	out := &subjectConsumers{}
	cs := s.consumers.store
	if txcs, ok := ex.(ConsumerStore); ok {
		cs = txcs
	}
	consumers, err := cs.ConsumerList(ctx, ConsumerListParams{Subject: subject})
	if err != nil {
		return nil, storeError(err)
	}
	for i := range consumers {
		r, err := s.consumerReader(ctx, &consumers[i], subject)
		if err != nil {
			s.log.WarnContext(ctx, "consumer reader schema skipped", "consumer", consumers[i].Name, "subject", subject, "err", err)
			continue
		}
		if r != nil {
			out.readers = append(out.readers, *r)
		}
	}
	recs, err := cs.DeprecationList(ctx, DeprecationListParams{Subject: subject})
	if err != nil {
		return nil, storeError(err)
	}
	for _, r := range recs {
		if r.Path != "" {
			out.fieldRecords = append(out.fieldRecords, r)
		}
	}
	return out, nil
}

// consumerReader returns what c reads from subject, or nil when it does
// not read it.
func (s *Service) consumerReader(ctx context.Context, c *Consumer, subject string) (*compat.ConsumerReader, error) {
	for _, r := range c.Reads {
		if r.Subject != subject {
			continue
		}
		reader, err := s.readerSchema(ctx, r)
		if err != nil {
			return nil, err
		}
		return &compat.ConsumerReader{
			Consumer: c.Name, Owner: c.Owner, Reader: reader, Message: r.Message, Fields: r.Fields,
		}, nil
	}
	return nil, nil
}

// configure wires the consumer features into the additive-only policy:
// recorded deprecations count like schema markers, and, unless consumer
// breakage only warns, an element a registered consumer still reads
// cannot be removed. latest is the subject's latest live schema (nil when
// none): it is the schema in which consumers' field paths resolve.
func (sc *subjectConsumers) configure(p *compat.Policy, latest schema.Schema, breakage string) {
	for i := range sc.fieldRecords {
		p.Deprecations = append(p.Deprecations, sc.fieldRecords[i].recorded("field"))
	}
	if breakage == ConsumerBreakageWarn || len(sc.readers) == 0 {
		return
	}
	// Each reader's fields are resolved once, on the first question, not
	// once per element the new version removes.
	var reads []func(string) bool
	p.StillRead = func(path string) []string {
		if reads == nil {
			for _, r := range sc.readers {
				reads = append(reads, r.ReadsIn(latest))
			}
		}
		var names []string
		for i, r := range sc.readers {
			if reads[i](path) {
				names = append(names, consumerLabel(r.Consumer, r.Owner))
			}
		}
		return names
	}
}

// consumerLabel names a consumer and its owner in messages.
func consumerLabel(name, owner string) string {
	if owner == "" {
		return name
	}
	return fmt.Sprintf("%s (owner %s)", name, owner)
}

// findings checks newSchema against every consumer; with breakage "warn"
// the findings are warnings. It stops with ctx's error once ctx is done.
func (sc *subjectConsumers) findings(ctx context.Context, newSchema, latest schema.Schema, breakage string) ([]compat.Finding, error) {
	var out []compat.Finding
	for _, r := range sc.readers {
		if err := ctx.Err(); err != nil {
			return nil, storeError(err)
		}
		fs, err := compat.CheckConsumerContext(ctx, compat.ConsumerRequest{
			Consumer: r, Writer: newSchema, WriterName: "the new schema", Reference: latest,
		})
		if err != nil {
			return nil, storeError(err)
		}
		if breakage == ConsumerBreakageWarn {
			for i := range fs {
				fs[i].Severity = compat.Warning
			}
		}
		out = append(out, fs...)
	}
	return out, nil
}

// BackfillParams are the inputs of CheckBackfill.
type BackfillParams struct {
	// Name names a registered consumer.
	Name string
	// Candidate, when set, is checked instead of the registered consumer:
	// the definition a consumer's CI is about to deploy. It need not be
	// registered yet.
	Candidate *Consumer
}

// BackfillReport is the outcome of a backfill check.
type BackfillReport struct {
	Consumer string
	Owner    string
	Subjects []BackfillSubject
}

// Compatible reports whether no finding has error severity.
func (r *BackfillReport) Compatible() bool {
	for _, s := range r.Subjects {
		if !(compat.Result{Findings: s.Findings}).Compatible() {
			return false
		}
	}
	return true
}

// BackfillSubject is the backfill check of one subject a consumer reads.
type BackfillSubject struct {
	Subject string
	// Window is the consumer's backfill window; Since = now - Window.
	Window time.Duration
	Since  time.Time
	// Versions are the writer versions checked, oldest first.
	Versions []BackfillVersion
	Findings []compat.Finding
	// Truncated counts the findings left out of Findings to keep the
	// report within compat.MaxFindings; errors are kept first, so
	// Compatible stays exact.
	Truncated int
}

// BackfillVersion is one writer version a backfill check read.
type BackfillVersion struct {
	Version      int
	SchemaID     int
	Deleted      bool
	RegisteredAt time.Time
}

// CheckBackfill verifies that a consumer can re-read its history: for each
// subject it reads, its reader schema (or field list) is checked against
// every writer version registered within its backfill window, soft-deleted
// versions included, and always against the latest live version.
func (s *Service) CheckBackfill(ctx context.Context, p BackfillParams) (*BackfillReport, error) {
	var c *Consumer
	if p.Candidate != nil {
		cand := *p.Candidate
		if cand.Name == "" {
			cand.Name = p.Name
		}
		if err := requireOn(ctx, PermRead, cand.Subjects()...); err != nil {
			return nil, err
		}
		if err := s.prepareConsumer(ctx, &cand); err != nil {
			return nil, err
		}
		c = &cand
	} else {
		reg, err := s.Consumer(ctx, p.Name)
		if err != nil {
			return nil, err
		}
		c = reg
	}
	now := s.opts.Now()
	rep := &BackfillReport{Consumer: c.Name, Owner: c.Owner}
	// One budget for the whole report: a consumer reading many subjects
	// with long histories must not make an unbounded answer.
	budget := compat.MaxFindings
	for _, read := range c.Reads {
		sub, err := s.backfillSubject(ctx, c, read, now, max(budget, 1))
		if err != nil {
			return nil, err
		}
		budget -= len(sub.Findings)
		rep.Subjects = append(rep.Subjects, *sub)
	}
	return rep, nil
}

// backfillSubject checks read against the writer versions in its window,
// keeping at most limit findings (errors first) and counting the rest.
func (s *Service) backfillSubject(ctx context.Context, c *Consumer, read ConsumerRead, now time.Time, limit int) (*BackfillSubject, error) {
	out := &BackfillSubject{Subject: read.Subject, Window: read.Backfill, Since: now.Add(-read.Backfill).UTC()}
	reader, err := s.consumerReader(ctx, c, read.Subject)
	if err != nil {
		return nil, err
	}
	all, err := s.store.VersionList(ctx, read.Subject, true)
	if err != nil {
		return nil, storeError(err)
	}
	var latest *SubjectVersion
	for i := range all {
		if !all[i].Deleted {
			latest = &all[i]
		}
	}
	var ref schema.Schema
	if latest != nil {
		if ref, err = s.parsedSchema(ctx, s.store, latest.Schema); err != nil {
			return nil, err
		}
	}
	for i := range all {
		v := &all[i]
		if v != latest && v.CreatedAt.Before(out.Since) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, storeError(err)
		}
		w, err := s.parsedSchema(ctx, s.store, v.Schema)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("version %d", v.Version)
		if v.Deleted {
			name += " (soft-deleted)"
		}
		out.Versions = append(out.Versions, BackfillVersion{Version: v.Version, SchemaID: v.SchemaID, Deleted: v.Deleted, RegisteredAt: v.CreatedAt})
		fs, err := compat.CheckConsumerContext(ctx, compat.ConsumerRequest{
			Consumer: *reader, Writer: w, WriterName: name, Version: v.Version, Reference: ref,
		})
		if err != nil {
			return nil, storeError(err)
		}
		res := compat.Result{Findings: append(out.Findings, fs...), Truncated: out.Truncated}
		// Per version, so that what is held stays bounded too.
		res.Truncate(limit)
		out.Findings, out.Truncated = res.Findings, res.Truncated
	}
	return out, nil
}
