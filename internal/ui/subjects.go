package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/schemata-dev/schemata/internal/registry"
)

// subjects serves GET /ui/subjects: the subjects whose names start with
// the q query parameter, one page at a time.
func (h *handler) subjects(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	return serveList(h, w, r, "subjects", "q", func(prefix string, offset, limit int) ([]registry.SubjectSummary, error) {
		return h.svc.SubjectSummaries(ctx, registry.SubjectSummaryParams{Prefix: prefix, Offset: offset, Limit: limit})
	}, func(s registry.SubjectSummary) bool {
		// The service lists only what the caller may read; this check
		// keeps a name from showing should the UI run over a service
		// that does not. Nothing says how many were left out: that would
		// tell.
		return h.can(ctx, Read, s.Subject)
	})
}

// listPage is the data of a listing: one page of its rows.
type listPage[T any] struct {
	// Filter is the listing's filter as the query gave it.
	Filter string
	Rows   []T
	// Page is the page's number, from 1.
	Page int
	// PrevURL and NextURL are empty on the first and the last page.
	PrevURL, NextURL string
}

// serveList serves GET /ui/{name}: the rows fetch lists under the filter
// in query parameter key, one page (page, from 1) at a time, rendered
// with template name. It never counts the whole listing: fetch is asked
// for one row more than a page shows, to know whether another follows.
// keep, when not nil, drops the rows it refuses from the page shown.
func serveList[T any](h *handler, w http.ResponseWriter, r *http.Request, name, key string, fetch func(filter string, offset, limit int) ([]T, error), keep func(T) bool) error {
	if err := h.opts.Authorizer(r.Context(), Read, ""); err != nil {
		return err
	}
	filter := strings.TrimSpace(r.URL.Query().Get(key))
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	size := h.opts.PageSize
	rows, err := fetch(filter, (page-1)*size, size+1)
	if err != nil {
		return err
	}
	more := len(rows) > size
	if more {
		rows = rows[:size]
	}
	if keep != nil {
		rows = slices.DeleteFunc(rows, func(row T) bool { return !keep(row) })
	}
	p := &listPage[T]{Filter: filter, Rows: rows, Page: page}
	p.PrevURL, p.NextURL = h.pageLinks("/"+name, key, filter, page, more)
	h.render(w, r, http.StatusOK, name, p)
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
