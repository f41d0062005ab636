package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/internal/ui"
)

// pageCase is one request to a page and what its answer must show.
type pageCase struct {
	name       string
	path       string
	wantStatus int
	want       []string
	// wantNot must not appear in the body.
	wantNot []string
}

// pageCases covers every page on a seeded registry.
var pageCases = []pageCase{
	{
		name: "HomeRedirectsToSubjects", path: "/ui/", wantStatus: http.StatusOK,
		want: []string{"<h1>Subjects</h1>"},
	},
	{
		name: "SubjectsListsFormatVersionLevelPolicyAndCounts", path: "/ui/subjects", wantStatus: http.StatusOK,
		want: []string{
			`href="/ui/subjects/bulk-000"`, "AVRO", "v1", "BACKWARD", "additive-only",
			`rel="next" href="/ui/subjects?page=2"`,
		},
		wantNot: []string{`rel="prev"`, "orders-value"},
	},
	{
		name: "SubjectsSecondPageLinksBack", path: "/ui/subjects?page=2", wantStatus: http.StatusOK,
		want: []string{
			`rel="prev" href="/ui/subjects"`, "Page 2",
			`href="/ui/subjects/orders-value"`, "v3", `<span class="tag tag-warn">1</span>`,
			`href="/ui/subjects/payments.v1.Payment-value"`, "PROTOBUF",
		},
		wantNot: []string{`rel="next"`, "bulk-049"},
	},
	{
		name: "SubjectsSearchByPrefix", path: "/ui/subjects?q=pay", wantStatus: http.StatusOK,
		want:    []string{"payments.v1.Payment-value", `value="pay"`},
		wantNot: []string{"orders-value", "bulk-001"},
	},
	{
		name: "SubjectsSearchWithoutMatch", path: "/ui/subjects?q=zzz", wantStatus: http.StatusOK,
		want: []string{"No subject starts with “zzz”."},
	},
	{
		name: "SubjectsRejectsABadPageNumber", path: "/ui/subjects?page=x", wantStatus: http.StatusBadRequest,
		want: []string{"The page number &#34;x&#34; is not valid."},
	},
	{
		name: "SubjectShowsTimelineConfigSchemaConsumersAndDeprecations", path: "/ui/subjects/orders-value", wantStatus: http.StatusOK,
		want: []string{
			"<h1 class=\"subject-name\">orders-value</h1>",
			"v1", "v2", "v3", "2026-01-05 09:00 UTC", "2026-01-25 09:00 UTC",
			"<strong>BACKWARD</strong>", "additive-only", "30 days",
			"Schema v3", `class="nt"`, // chroma's class for JSON keys
			`href="/ui/consumers/billing-etl"`, "60 days",
			"<code>Order.currency</code>", "ISO code moves to currency_code", "overdue",
			`href="/ui/subjects/orders-value/diff?old=2&amp;new=3"`,
		},
	},
	{
		name: "SubjectShowsAnEarlierVersion", path: "/ui/subjects/orders-value?version=1", wantStatus: http.StatusOK,
		want: []string{"Schema v1"},
	},
	{
		name: "SubjectProtobufIsHighlighted", path: "/ui/subjects/payments.v1.Payment-value", wantStatus: http.StatusOK,
		want: []string{"PROTOBUF", `<span class="kd">message</span>`, "free text leaks personal data", "ledger"},
	},
	{
		name: "SubjectUnknownIs404", path: "/ui/subjects/nope", wantStatus: http.StatusNotFound,
		want: []string{"Subject &#39;nope&#39; not found."},
	},
	{
		name: "SubjectUnknownVersionIs404", path: "/ui/subjects/orders-value?version=9", wantStatus: http.StatusNotFound,
		want: []string{"Version 9 not found."},
	},
	{
		name: "DiffDefaultsToTheLastTwoVersions", path: "/ui/subjects/orders-value/diff", wantStatus: http.StatusOK,
		want: []string{
			"v3 is compatible</strong> with v2", "BACKWARD", "additive-only",
			`class="row-added`, "currency_code", "<span class=\"sev\">added</span>",
		},
	},
	{
		name: "DiffPlacesFindingsOnTheirLines", path: "/ui/subjects/payments.v1.Payment-value/diff?old=2&new=1", wantStatus: http.StatusOK,
		want: []string{
			"v1 is incompatible</strong> with v2", `row-removed row-error`, "<span class=\"sev\">error</span>",
			"payments.v1.Payment.memo", "old line 7",
		},
	},
	{
		name: "DiffRejectsABadVersion", path: "/ui/subjects/orders-value/diff?old=zero", wantStatus: http.StatusBadRequest,
		want: []string{"is not a version number"},
	},
	{
		name: "DiffUnknownVersionIs404", path: "/ui/subjects/orders-value/diff?old=1&new=7", wantStatus: http.StatusNotFound,
		want: []string{"Version 7 not found."},
	},
	{
		name: "CheckFormPreselectsTheSubject", path: "/ui/check?subject=orders-value", wantStatus: http.StatusOK,
		want: []string{`<form class="check" method="post" action="/ui/check" enctype="multipart/form-data">`, `value="orders-value"`, `<label for="schema">Schema</label>`},
	},
	{
		name: "DeprecationsGroupedByOwner", path: "/ui/deprecations", wantStatus: http.StatusOK,
		want: []string{
			"team-billing", "team-ledger", "<code>Order.currency</code>", "overdue", "days past",
			"<code>payments.v1.Payment.memo</code>", "days left", "client:billing-prod",
			`<tr class="overdue">`, "overdue</strong> (past their date, still read),", "removable (past their date, unread)",
		},
	},
	{
		name: "DeprecationsOverdueOnly", path: "/ui/deprecations?overdue=1", wantStatus: http.StatusOK,
		want:    []string{"Order.currency"},
		wantNot: []string{"payments.v1.Payment.memo"},
	},
	{
		name: "DeprecationsByOwner", path: "/ui/deprecations?owner=team-ledger", wantStatus: http.StatusOK,
		want:    []string{"payments.v1.Payment.memo"},
		wantNot: []string{"Order.currency"},
	},
	{
		name: "ConsumersListed", path: "/ui/consumers", wantStatus: http.StatusOK,
		want: []string{`href="/ui/consumers/billing-etl"`, "team-billing", `href="/ui/consumers/ledger"`},
	},
	{
		name: "ConsumerShowsReadsBackfillAndSafety", path: "/ui/consumers/billing-etl", wantStatus: http.StatusOK,
		want: []string{"<h1>billing-etl</h1>", "<code>amount</code>", "<code>currency</code>", "60 days", "Safe:", "env=prod", "v1, v2, v3"},
	},
	{
		name: "ConsumerUnknownIs404", path: "/ui/consumers/nobody", wantStatus: http.StatusNotFound,
		want: []string{"Consumer &#39;nobody&#39; not found."},
	},
	{
		name: "UnknownPageIs404", path: "/ui/nowhere", wantStatus: http.StatusNotFound,
		want: []string{"There is no such page."},
	},
	{
		name: "StylesAreServed", path: "/ui/static/ui.css", wantStatus: http.StatusOK,
		want: []string{"prefers-color-scheme", ":focus-visible"},
	},
	{
		name: "HighlightingStylesAreServed", path: "/ui/static/chroma.css", wantStatus: http.StatusOK,
		want: []string{".chroma .nt", "@media (prefers-color-scheme: dark)"},
	},
}

func TestPages(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, backend servertest.Backend) {
		f := newFixture(t, backend, ui.Options{PageSize: 50})
		f.runPageCases(t, pageCases)
	})
}

// runPageCases requests each case's page on f, in parallel subtests, and
// checks its status and body.
func (f *fixture) runPageCases(t *testing.T, cases []pageCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, body := f.get(t, tc.path)
			if status != tc.wantStatus {
				t.Errorf("GET %s = %d, want %d\n%s", tc.path, status, tc.wantStatus, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: body lacks %q", tc.path, w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("GET %s: body has %q", tc.path, w)
				}
			}
		})
	}
}

func TestPagesSendSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	resp, err := f.srv.Client().Get(f.url("/ui/subjects"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for header, want := range map[string]string{
		"Content-Type":           "text/html; charset=utf-8",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := resp.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
}

// TestPagesMakeNoExternalRequests checks that no page refers to an asset
// on another host.
func TestPagesMakeNoExternalRequests(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	for _, path := range []string{"/ui/subjects", "/ui/subjects/orders-value", "/ui/subjects/orders-value/diff", "/ui/check", "/ui/deprecations", "/ui/consumers/billing-etl"} {
		_, body := f.get(t, path)
		for _, bad := range []string{`src="http`, `href="http`, `src="//`, `href="//`, "@import"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s refers to another host: %q", path, bad)
			}
		}
	}
	_, css := f.get(t, "/ui/static/ui.css")
	if strings.Contains(css, "url(") {
		t.Errorf("ui.css loads a resource")
	}
}

func TestSubjectsPageSizeIsRespected(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{PageSize: 10})
	_, body := f.get(t, "/ui/subjects?q="+url.QueryEscape(bulkPrefix)+"&page=3")
	if got := strings.Count(body, `<th scope="row">`); got != 10 {
		t.Errorf("page 3 shows %d subjects, want 10", got)
	}
	for _, want := range []string{"bulk-020", "bulk-029", `rel="next" href="/ui/subjects?page=4&amp;q=bulk-"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page 3 lacks %q", want)
		}
	}
	if strings.Contains(body, "bulk-019") || strings.Contains(body, "bulk-030") {
		t.Errorf("page 3 shows subjects of another page")
	}
}

// TestConsumersArePaged walks the consumer list one consumer a page, over
// real HTTP, with the owner filter kept in the links.
func TestConsumersArePaged(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{PageSize: 1})
	tests := []struct {
		path      string
		want      []string
		wantNot   []string
		status    int
		wantCount int
	}{
		{"/ui/consumers", []string{"billing-etl", `rel="next" href="/ui/consumers?page=2"`}, []string{"ledger", `rel="prev"`}, 200, 1},
		{"/ui/consumers?page=2", []string{"ledger", `rel="prev" href="/ui/consumers"`}, []string{"billing-etl", `rel="next"`}, 200, 1},
		{"/ui/consumers?page=3", []string{`rel="prev" href="/ui/consumers?page=2"`}, []string{"ledger", "billing-etl", `rel="next"`}, 200, 0},
		{"/ui/consumers?owner=team-ledger", []string{"ledger"}, []string{"billing-etl", `rel="next"`, `rel="prev"`}, 200, 1},
		{"/ui/consumers?page=0", nil, nil, 400, 0},
	}
	for _, tt := range tests {
		status, body := f.get(t, tt.path)
		if status != tt.status {
			t.Fatalf("GET %s = %d, want %d", tt.path, status, tt.status)
		}
		if status != 200 {
			continue
		}
		if got := strings.Count(body, `<th scope="row">`); got != tt.wantCount {
			t.Errorf("GET %s shows %d consumers, want %d", tt.path, got, tt.wantCount)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", tt.path, w)
			}
		}
		for _, w := range tt.wantNot {
			if strings.Contains(body, w) {
				t.Errorf("GET %s shows %q", tt.path, w)
			}
		}
	}
}
