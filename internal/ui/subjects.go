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
	Subjects []registry.SubjectSummary
	listPage
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
	sums, lp, err := readPage(h, r, "/subjects", "q", q, func(offset, limit int) ([]registry.SubjectSummary, error) {
		return h.svc.SubjectSummaries(ctx, registry.SubjectSummaryParams{Prefix: q, Offset: offset, Limit: limit})
	})
	if err != nil {
		return err
	}
	p := &subjectsPage{Query: q, listPage: lp}
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

// listPage is where a page of a listing stands: its number (from 1) and
// the links to the pages around it.
type listPage struct {
	Page int
	// PrevURL and NextURL are empty on the first and the last page.
	PrevURL, NextURL string
}

// readPage reads the page of the listing at path filtered by key=value
// that r asks for. fetch reads rows from offset, at most limit of them;
// it is asked for one row more than a page shows, to know whether
// another page follows without counting the whole listing.
func readPage[T any](h *handler, r *http.Request, path, key, value string, fetch func(offset, limit int) ([]T, error)) ([]T, listPage, error) {
	page, err := pageNumber(r)
	if err != nil {
		return nil, listPage{}, err
	}
	size := h.opts.PageSize
	rows, err := fetch((page-1)*size, size+1)
	if err != nil {
		return nil, listPage{}, err
	}
	more := len(rows) > size
	if more {
		rows = rows[:size]
	}
	lp := listPage{Page: page}
	lp.PrevURL, lp.NextURL = h.pageLinks(path, key, value, page, more)
	return rows, lp, nil
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
