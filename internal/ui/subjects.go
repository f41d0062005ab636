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
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	size := h.opts.PageSize
	sums, err := h.svc.SubjectSummaries(ctx, registry.SubjectSummaryParams{Prefix: q, Offset: (page - 1) * size, Limit: size + 1})
	if err != nil {
		return err
	}
	p := &subjectsPage{Query: q, Page: page}
	more := len(sums) > size
	if more {
		sums = sums[:size]
	}
	p.PrevURL, p.NextURL = h.pageLinks("/subjects", "q", q, page, more)
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

// pageNumber reads the page query parameter (from 1; 1 when absent).
func pageNumber(r *http.Request) (int, error) {
	s := r.URL.Query().Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, badRequest("The page number %q is not valid.", s)
	}
	return n, nil
}

// pageLinks returns the links to the pages before and after page of the
// listing at path filtered by key=value: empty on the first page, and
// after the last (more is false).
func (h *handler) pageLinks(path, key, value string, page int, more bool) (prev, next string) {
	link := func(page int) string {
		v := url.Values{}
		if value != "" {
			v.Set(key, value)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		u := h.opts.BasePath + path
		if len(v) > 0 {
			u += "?" + v.Encode()
		}
		return u
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if more {
		next = link(page + 1)
	}
	return prev, next
}
