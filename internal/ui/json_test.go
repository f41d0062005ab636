package ui_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/internal/ui"
	"github.com/schemata-dev/schemata/schema"
)

// The seeded JSON Schema subject: v2 adds a property its partially open
// content model already allowed; v3, registered while the subject's level
// was NONE, narrows weight to integers, which its restored level refuses.
const (
	shipmentsSubject = "shipments-json"
	shipmentsV1      = `{
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "weight": {"type": "number"},
    "carrier": {
      "type": "string",
      "deprecated": true,
      "x-deprecation": {"reason": "carriers move to a table", "sunset": "2026-02-01"}
    }
  },
  "additionalProperties": {"type": "string"}
}`
)

var (
	shipmentsV2 = strings.Replace(shipmentsV1, `"id": {"type": "string"},`, `"id": {"type": "string"},
    "label": {"type": "string"},`, 1)
	shipmentsV3 = strings.Replace(shipmentsV2, `"weight": {"type": "number"}`, `"weight": {"type": "integer"}`, 1)
	// shipmentsBreaking drops id from the content model, whose strings it
	// still accepts, and changes label to a number, which it does not.
	shipmentsBreaking = strings.Replace(shipmentsV3, `"label": {"type": "string"}`, `"label": {"type": "number"}`, 1)
)

// seedJSON registers the JSON Schema subject and a consumer of its
// carrier property on f's registry, at the fixture's "now".
func seedJSON(t testing.TB, f *fixture) {
	t.Helper()
	ctx := context.Background()
	register := func(text string) {
		t.Helper()
		if _, err := f.svc.Register(ctx, registry.RegisterParams{Subject: shipmentsSubject, Schema: registry.SchemaInput{Format: schema.JSON, Text: text}}); err != nil {
			t.Fatalf("register %s: %v", shipmentsSubject, err)
		}
	}
	register(shipmentsV1)
	register(shipmentsV2)
	none, backward, off, on := compat.None, compat.Backward, false, true
	if _, err := f.svc.SetConfig(ctx, shipmentsSubject, registry.Config{Compatibility: &none, AdditiveOnly: &off}); err != nil {
		t.Fatal(err)
	}
	register(shipmentsV3)
	if _, err := f.svc.SetConfig(ctx, shipmentsSubject, registry.Config{Compatibility: &backward, AdditiveOnly: &on}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PutConsumer(ctx, registry.Consumer{Name: "shipping-etl", Owner: "team-shipping",
		Reads: []registry.ConsumerRead{{Subject: shipmentsSubject, Fields: []string{"carrier", "weight"}}}}); err != nil {
		t.Fatalf("put consumer: %v", err)
	}
}

var jsonPageCases = []pageCase{
	{
		name: "JSONSubjectIsHighlightedWithItsDeprecationsAndConsumers", path: "/ui/subjects/shipments-json", wantStatus: http.StatusOK,
		want: []string{
			"<h1 class=\"subject-name\">shipments-json</h1>", "JSON", "Schema v3",
			`<span class="nt">&#34;properties&#34;</span>`, // chroma's class for JSON keys
			"<code>/properties/carrier</code>", "carriers move to a table", "overdue",
			`href="/ui/consumers/shipping-etl"`,
		},
	},
	{
		name: "JSONDiffPlacesFindingsOnTheirLines", path: "/ui/subjects/shipments-json/diff?old=2&new=3", wantStatus: http.StatusOK,
		want: []string{
			"v3 is incompatible</strong> with v2", "row-error", "<span class=\"sev\">error</span>",
			"JSON_TYPE_NARROWED", "/properties/weight", `<span class="nt">&#34;weight&#34;</span>`,
		},
	},
	{
		name: "JSONDeprecationsListTheReader", path: "/ui/deprecations?owner=team-shipping", wantStatus: http.StatusOK,
		want:    []string{"<code>/properties/carrier</code>", "shipping-etl", "overdue"},
		wantNot: []string{"Order.currency"},
	},
	{
		name: "JSONConsumerShowsItsPaths", path: "/ui/consumers/shipping-etl", wantStatus: http.StatusOK,
		want: []string{"<h1>shipping-etl</h1>", "<code>carrier</code>", "<code>weight</code>"},
	},
}

// TestJSONSchemaPages renders the pages of a JSON Schema subject on every
// store: highlighting, findings on the diff's lines, deprecations and
// consumers.
func TestJSONSchemaPages(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, backend servertest.Backend) {
		f := newFixture(t, backend, ui.Options{PageSize: 50})
		seedJSON(t, f)
		f.runPageCases(t, jsonPageCases)
	})
}

// TestJSONSchemaCheck checks JSON Schema text on the Check page: with
// format detection (the subject's registered format decides for JSON
// text), the report locates each finding in the checked text.
func TestJSONSchemaCheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	seedJSON(t, f)
	tests := []checkCase{
		{
			name: "DetectedFromTheSubject", subject: shipmentsSubject, format: "auto", text: shipmentsBreaking,
			want: []string{"shipments-json: incompatible", "pasted.json:5:", "JSON_TYPE_NARROWED", "/properties/label", `class="row-error"`},
		},
		{
			name: "ChosenExplicitly", subject: shipmentsSubject, format: "JSON", text: shipmentsBreaking,
			want: []string{"shipments-json: incompatible", "JSON_TYPE_NARROWED"},
		},
		{
			name: "ReadAsAvroItIsInvalid", subject: shipmentsSubject, format: "AVRO", text: shipmentsBreaking,
			want: []string{"shipments-json: invalid", "SCHEMA_INVALID"},
		},
		{
			name: "UploadedJSONFile", subject: shipmentsSubject, format: "auto", text: shipmentsBreaking, file: "shipment.json",
			want: []string{"shipments-json: incompatible", "shipment.json:5:"},
		},
		{
			name: "InvalidAgainstTheMetaSchema", subject: shipmentsSubject, format: "JSON", text: "{\n  \"type\": \"strng\"\n}",
			want: []string{"shipments-json: invalid", "2:11", "SCHEMA_INVALID"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, body := f.submitCheck(t, tc)
			if status != http.StatusOK {
				t.Fatalf("POST /ui/check = %d\n%s", status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(html.UnescapeString(body), w) {
					t.Errorf("body lacks %q", w)
				}
			}
		})
	}
}

// TestBrowserJSONSchemaSubject opens a JSON Schema subject, its diff and
// a check in headless Chromium: the schema is highlighted and findings
// sit on their lines.
func TestBrowserJSONSchemaSubject(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	seedJSON(t, f)
	ctx, _ := newBrowser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	run(t, ctx, "subject",
		chromedp.Navigate(f.url("/ui/subjects/"+shipmentsSubject)),
		chromedp.WaitVisible(css(`h1.subject-name`)),
	)
	if n := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".nt").length`)); n < 5 {
		t.Errorf("the JSON Schema shows %d highlighted keys, want its keys highlighted", n)
	}

	run(t, ctx, "diff",
		chromedp.Navigate(f.url("/ui/subjects/"+shipmentsSubject+"/diff?old=2&new=3")),
		chromedp.WaitVisible(css(`table.sbs`)),
	)
	if got := text(t, ctx, "p.banner"); !strings.Contains(got, "v3 is incompatible") {
		t.Errorf("diff banner = %q", got)
	}
	if got := value(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("tr.row-error")).map(r => r.textContent).join("\n")`)); !strings.Contains(got, "weight") {
		t.Errorf("the rows marked with findings are %q, want weight's", got)
	}

	run(t, ctx, "check",
		chromedp.Navigate(f.url("/ui/check?subject="+shipmentsSubject)),
		chromedp.WaitVisible(css(`#schema`)),
		chromedp.SetValue(css(`#schema`), shipmentsBreaking),
		chromedp.Click(css(`form.check button[type="submit"]`)),
		chromedp.WaitVisible(css(`#verdict`)),
	)
	wantIncompatible(t, ctx, shipmentsSubject, "JSON_TYPE_NARROWED")
}
