package instrument

import (
	"context"
	"slices"
	"strconv"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/ops/audit"
	"github.com/schemata-dev/schemata/internal/registry"
)

// Consumers is an api.ConsumerService that names, in the request's audit
// record, the subjects and the record each consumer and deprecation write
// concerns. Methods it does not override are the wrapped service's.
type Consumers struct {
	api.ConsumerService
}

var _ api.ConsumerService = (*Consumers)(nil)

// WrapConsumers returns next with its writes audited.
func WrapConsumers(next api.ConsumerService) *Consumers {
	return &Consumers{ConsumerService: next}
}

// PutConsumer forwards and records the consumer and the subjects it read
// and reads.
func (s *Consumers) PutConsumer(ctx context.Context, c registry.Consumer) (registry.PutConsumerResult, error) {
	res, err := s.ConsumerService.PutConsumer(ctx, c)
	auditConsumer(ctx, &c, res)
	return res, err
}

// CreateConsumer forwards and records the consumer and the subjects it
// reads.
func (s *Consumers) CreateConsumer(ctx context.Context, c registry.Consumer) (registry.PutConsumerResult, error) {
	res, err := s.ConsumerService.CreateConsumer(ctx, c)
	auditConsumer(ctx, &c, res)
	return res, err
}

// auditConsumer names the consumer a write concerned and every subject it
// read before and reads after; a refused write names what it asked for.
func auditConsumer(ctx context.Context, in *registry.Consumer, res registry.PutConsumerResult) {
	subjects := in.Subjects()
	if res.Consumer != nil {
		subjects = res.Consumer.Subjects()
	}
	if res.Previous != nil {
		subjects = append(subjects, res.Previous.Subjects()...)
	}
	annotateSubjects(ctx, in.Name, subjects)
}

// DeleteConsumer forwards and records the consumer and the subjects it
// read.
func (s *Consumers) DeleteConsumer(ctx context.Context, name string) (*registry.Consumer, error) {
	c, err := s.ConsumerService.DeleteConsumer(ctx, name)
	var subjects []string
	if c != nil {
		subjects = c.Subjects()
	}
	annotateSubjects(ctx, name, subjects)
	return c, err
}

func annotateSubjects(ctx context.Context, target string, subjects []string) {
	slices.Sort(subjects)
	subjects = slices.Compact(subjects)
	audit.Annotate(ctx, func(r *audit.Record) {
		r.Target, r.Subjects = target, subjects
		if len(subjects) == 1 {
			r.Subject = subjects[0]
		}
	})
}

// Deprecate forwards and records the subject, the record's id, the element
// and any change of its sunset.
func (s *Consumers) Deprecate(ctx context.Context, d registry.DeprecationRecord, o registry.DeprecateOptions) (registry.DeprecateResult, error) {
	res, err := s.ConsumerService.Deprecate(ctx, d, o)
	rec := &d
	if res.Record != nil {
		rec = res.Record
	}
	annotateDeprecation(ctx, rec)
	annotateSunset(ctx, res, err)
	return res, err
}

// UpdateDeprecation forwards and records the subject, the record's id, the
// element and any change of its sunset.
func (s *Consumers) UpdateDeprecation(ctx context.Context, d registry.DeprecationRecord, o registry.DeprecateOptions) (registry.DeprecateResult, error) {
	res, err := s.ConsumerService.UpdateDeprecation(ctx, d, o)
	if res.Record != nil {
		annotateDeprecation(ctx, res.Record)
	}
	annotateSunset(ctx, res, err)
	return res, err
}

// annotateSunset records the element a successful deprecation write
// concerned, whether it was forced, and any change of its sunset.
func annotateSunset(ctx context.Context, res registry.DeprecateResult, err error) {
	if err != nil || res.Record == nil {
		return
	}
	rec := res.Record
	audit.Annotate(ctx, func(r *audit.Record) {
		r.Path, r.Forced = rec.Path, res.Forced
		if !rec.Sunset.Equal(res.PreviousSunset) {
			r.OldSunset, r.NewSunset = auditDate(res.PreviousSunset), auditDate(rec.Sunset)
		}
	})
}

// DeleteDeprecation forwards and records the subject and the record's id.
func (s *Consumers) DeleteDeprecation(ctx context.Context, id int) (*registry.DeprecationRecord, error) {
	d, err := s.ConsumerService.DeleteDeprecation(ctx, id)
	if d != nil {
		annotateDeprecation(ctx, d)
	}
	return d, err
}

func annotateDeprecation(ctx context.Context, d *registry.DeprecationRecord) {
	audit.Annotate(ctx, func(r *audit.Record) {
		r.Subject, r.Version = d.Subject, d.Version
		if d.ID != 0 {
			r.Target = strconv.Itoa(d.ID)
		}
	})
}
