package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/schemata-dev/schemata/internal/registry"
)

// subjectsPage is the data of the subject list.
type subjectsPage struct {
	Query    string
	Page     int
	Subjects []registry.SubjectSummary
	// PrevURL and NextURL are empty on the first and the last page.
	PrevURL, NextURL string
}

// subjects serves GET /ui/subjects: the subjects whose names start with
// the q query parameter, one page (page, from 1) at a time. It never
// counts the whole registry: a page fetches one row more than it shows
// to know whether another follows.
func (h *handler) subjects(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := h.opts.Authorizer(ctx, Read, ""); err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := 1
	if s := r.URL.Query().Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			return badRequest("The page number %q is not valid.", s)
		}
		page = n
	}
	size := h.opts.PageSize
	sums, err := h.svc.SubjectSummaries(ctx, registry.SubjectSummaryParams{Prefix: q, Offset: (page - 1) * size, Limit: size + 1})
	if err != nil {
		return err
	}
	p := &subjectsPage{Query: q, Page: page}
	if len(sums) > size {
		sums = sums[:size]
		p.NextURL = h.subjectsURL(q, page+1)
	}
	if page > 1 {
		p.PrevURL = h.subjectsURL(q, page-1)
	}
	// The service lists only what the caller may read; this check keeps
	// a name from showing should the UI run over a service that does not.
	// Nothing says how many were left out: that would tell.
	for _, s := range sums {
		if h.can(ctx, Read, s.Subject) {
			p.Subjects = append(p.Subjects, s)
		}
	}
	h.render(w, r, http.StatusOK, "subjects", p)
	return nil
}

func (h *handler) subjectsURL(q string, page int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	u := h.opts.BasePath + "/subjects"
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}
