package ui

import (
	"net/http"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// consumers serves GET /ui/consumers: the registered consumers, filtered
// by the owner query parameter, one page at a time.
func (h *handler) consumers(w http.ResponseWriter, r *http.Request) error {
	return serveList(h, w, r, "consumers", "owner", func(owner string, offset, limit int) ([]registry.Consumer, error) {
		return h.svc.Consumers(r.Context(), registry.ConsumerListParams{Owner: owner, Offset: offset, Limit: limit})
	}, nil)
}

// consumerPage is the data of a consumer's page.
type consumerPage struct {
	Consumer *registry.Consumer
	Backfill *registry.BackfillReport
	// Reads pairs each read with its backfill check.
	Reads []consumerRead
	Safe  bool
}

// consumerRead is one subject a consumer reads, and whether it can
// re-read that subject's history within its backfill window today.
type consumerRead struct {
	registry.ConsumerRead
	Check    *registry.BackfillSubject
	Safe     bool
	Errors   int
	Warnings int
}

// consumer serves GET /ui/consumers/{name}: what the consumer reads, its
// backfill window per subject, and whether it is currently safe: whether
// its reader schema (or field list) can read every writer version in
// that window and the latest one.
func (h *handler) consumer(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := h.opts.Authorizer(ctx, Read, ""); err != nil {
		return err
	}
	name := r.PathValue("name")
	c, err := h.svc.Consumer(ctx, name)
	if err != nil {
		return err
	}
	bf, err := h.svc.CheckBackfill(ctx, registry.BackfillParams{Name: name})
	if err != nil {
		return err
	}
	p := &consumerPage{Consumer: c, Backfill: bf, Safe: bf.Compatible()}
	for _, read := range c.Reads {
		cr := consumerRead{ConsumerRead: read, Safe: true}
		for i := range bf.Subjects {
			if bf.Subjects[i].Subject == read.Subject {
				cr.Check = &bf.Subjects[i]
			}
		}
		if cr.Check != nil {
			for _, f := range cr.Check.Findings {
				if f.Severity == compat.Warning {
					cr.Warnings++
				} else {
					cr.Errors++
					cr.Safe = false
				}
			}
		}
		p.Reads = append(p.Reads, cr)
	}
	h.render(w, r, http.StatusOK, "consumer", p)
	return nil
}
