package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// pageNames are the templates under templates/, each rendered inside
// layout.html.
var pageNames = []string{"subjects", "subject", "diff", "check", "deprecations", "consumers", "consumer", "error"}

// mustParsePages parses every page with the layout. The templates are
// embedded, so a parse error is a programming error caught by any test.
func mustParsePages(funcs template.FuncMap) map[string]*template.Template {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t := template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// view is what every template receives: the page's own data in Page.
type view struct {
	Base string
	// Nav names the navigation entry to mark as current.
	Nav  string
	Page any
}

// render executes a page into a buffer first, so that a template failure
// becomes a clean error page rather than half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, page any) {
	var buf bytes.Buffer
	nav := name
	if name == "subject" || name == "diff" {
		nav = "subjects"
	}
	if name == "consumer" {
		nav = "consumers"
	}
	if err := h.pages[name].Execute(&buf, view{Base: h.opts.BasePath, Nav: nav, Page: page}); err != nil {
		h.log.ErrorContext(r.Context(), "ui template failed", "page", name, "err", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// funcs are the template helpers: links built under the base path, and
// dates and durations as people read them.
func (h *handler) funcs() template.FuncMap {
	b := h.opts.BasePath
	return template.FuncMap{
		"subjectURL": func(s string) string { return b + "/subjects/" + url.PathEscape(s) },
		"versionURL": func(s string, v int) string {
			return b + "/subjects/" + url.PathEscape(s) + "?version=" + strconv.Itoa(v)
		},
		"diffURL": func(s string, old, new int) string {
			return b + "/subjects/" + url.PathEscape(s) + "/diff?old=" + strconv.Itoa(old) + "&new=" + strconv.Itoa(new)
		},
		"checkURL":    func(s string) string { return b + "/check?subject=" + url.QueryEscape(s) },
		"consumerURL": func(name string) string { return b + "/consumers/" + url.PathEscape(name) },
		"date":        func(t time.Time) string { return formatDate(t) },
		"datetime":    func(t time.Time) string { return formatDateTime(t) },
		"iso":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"ago":         func(t time.Time) string { return ago(h.opts.Now(), t) },
		"days":        formatDays,
		"plural":      plural,
		"abs": func(n int) int {
			if n < 0 {
				return -n
			}
			return n
		},
		"add": func(a, b int) int { return a + b },
	}
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format(time.DateOnly)
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// ago renders how long before now t was, coarsely: "just now",
// "5 minutes ago", "3 days ago"; times ahead of now read "in ...".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	suffix := " ago"
	if d < 0 {
		d, suffix = -d, ""
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		s = plural(int(d/time.Hour), "hour")
	case d < 60*24*time.Hour:
		s = plural(int(d/(24*time.Hour)), "day")
	case d < 730*24*time.Hour:
		s = plural(int(d/(30*24*time.Hour)), "month")
	default:
		s = plural(int(d/(365*24*time.Hour)), "year")
	}
	if suffix == "" {
		return "in " + s
	}
	return s + suffix
}

// formatDays renders a window or period in whole days.
func formatDays(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	days := int(d / (24 * time.Hour))
	if days == 0 {
		return d.String()
	}
	return plural(days, "day")
}

func plural(n int, noun string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
