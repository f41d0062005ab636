package ui

import (
	"net/http"
	"strings"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// consumersPage is the data of the consumer list.
type consumersPage struct {
	Owner     string
	Consumers []registry.Consumer
	listPage
}

// consumers serves GET /ui/consumers: the registered consumers, filtered
// by the owner query parameter, one page (page, from 1) at a time, read
// from the store a page at a time (one row more than shown, to know
// whether another page follows).
func (h *handler) consumers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := h.opts.Authorizer(ctx, Read, ""); err != nil {
		return err
	}
	owner := strings.TrimSpace(r.URL.Query().Get("owner"))
	cs, lp, err := readPage(h, r, "/consumers", "owner", owner, func(offset, limit int) ([]registry.Consumer, error) {
		return h.svc.Consumers(ctx, registry.ConsumerListParams{Owner: owner, Offset: offset, Limit: limit})
	})
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "consumers", &consumersPage{Owner: owner, Consumers: cs, listPage: lp})
	return nil
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
