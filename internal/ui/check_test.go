package ui_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/internal/ui"
)

// reportRE extracts the schemactl report a Check page shows.
var reportRE = regexp.MustCompile(`(?s)<pre class="report" tabindex="0">(.*?)</pre>`)

// checkCase is one submission of the Check form.
type checkCase struct {
	name    string
	subject string
	format  string
	text    string
	// file, when set, uploads text as a file of that name instead of
	// pasting it.
	file       string
	wantStatus int
	want       []string
	// golden names the file under testdata/check holding the expected
	// schemactl report; empty when the page shows no report.
	golden string
}

var checkCases = []checkCase{
	{
		name: "RemovingAFieldIsIncompatible", subject: ordersSubject, format: "auto", text: ordersBreaking,
		wantStatus: http.StatusOK, golden: "incompatible.txt",
		want: []string{"orders-value: incompatible", `class="row-error"`, "Order.note"},
	},
	{
		name: "AddingAnOptionalFieldIsCompatible", subject: ordersSubject, format: "AVRO", text: ordersNext,
		wantStatus: http.StatusOK, golden: "compatible.txt",
		want: []string{"orders-value: compatible", "banner-ok"},
	},
	{
		name: "AnInvalidSchemaIsLocated", subject: ordersSubject, format: "AVRO", text: "{\n  \"type\": \"record\",\n  \"name\": \"Broken\",\n  \"fields\": [{\"name\": \"x\", \"type\": \"nope\"}]\n}",
		wantStatus: http.StatusOK, golden: "invalid.txt",
		want: []string{"orders-value: invalid", "SCHEMA_INVALID"},
	},
	{
		name: "AnUnknownSubjectIsNew", subject: "brand-new-value", format: "auto", text: ordersV1,
		wantStatus: http.StatusOK, golden: "new.txt",
		want: []string{"brand-new-value: new", "the subject is not registered yet"},
	},
	{
		name: "AnUploadedProtobufFileIsChecked", subject: paymentsSubject, format: "auto", text: paymentsV1, file: "payment.proto",
		wantStatus: http.StatusOK, golden: "upload.txt",
		want: []string{"payments.v1.Payment-value: incompatible", "payment.proto", "payments.v1.Payment.memo"},
	},
	{
		name: "ASubjectIsRequired", subject: "", format: "auto", text: ordersV1,
		wantStatus: http.StatusUnprocessableEntity, want: []string{"Pick the subject to check against."},
	},
	{
		name: "ASchemaIsRequired", subject: ordersSubject, format: "auto", text: "  ",
		wantStatus: http.StatusUnprocessableEntity, want: []string{"Paste a schema or choose a file."},
	},
	{
		name: "AnUnknownFormatIsRefused", subject: ordersSubject, format: "XML", text: ordersV1,
		wantStatus: http.StatusUnprocessableEntity, want: []string{"unknown schema type"},
	},
}

func TestCheck(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, backend servertest.Backend) {
		f := newFixture(t, backend, ui.Options{})
		for _, tc := range checkCases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				status, body := f.submitCheck(t, tc)
				if status != tc.wantStatus {
					t.Errorf("POST /ui/check = %d, want %d\n%s", status, tc.wantStatus, body)
				}
				for _, w := range tc.want {
					if !strings.Contains(html.UnescapeString(body), w) {
						t.Errorf("body lacks %q", w)
					}
				}
				if tc.golden == "" {
					return
				}
				m := reportRE.FindStringSubmatch(body)
				if m == nil {
					t.Fatalf("the page shows no report:\n%s", body)
				}
				golden.AssertString(t, filepath.Join("testdata", "check", tc.golden), html.UnescapeString(m[1]))
			})
		}
	})
}

// submitCheck posts the Check form, pasting or uploading the schema.
func (f *fixture) submitCheck(t *testing.T, tc checkCase) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields := map[string]string{"subject": tc.subject, "format": tc.format}
	if tc.file == "" {
		fields["schema"] = tc.text
	}
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if tc.file != "" {
		fw, err := mw.CreateFormFile("file", tc.file)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(tc.text))
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return do(t, f.srv.Client(), http.MethodPost, f.url("/ui/check"), &body, http.Header{"Content-Type": {mw.FormDataContentType()}})
}

func TestCheckRefusesCrossSitePosts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	for _, tc := range []struct {
		name, header, value string
	}{
		{"AnotherOrigin", "Origin", "http://evil.example"},
		{"CrossSiteFetch", "Sec-Fetch-Site", "cross-site"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			form := url.Values{"subject": {ordersSubject}, "schema": {ordersV1}}
			h := formHeader()
			h.Set(tc.header, tc.value)
			status, _ := do(t, f.srv.Client(), http.MethodPost, f.url("/ui/check"), strings.NewReader(form.Encode()), h)
			if status != http.StatusForbidden {
				t.Errorf("status = %d, want 403", status)
			}
		})
	}
}

func TestCheckAcceptsAURLEncodedForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	status, body := f.postForm(t, "/ui/check", url.Values{"subject": {ordersSubject}, "format": {"auto"}, "schema": {ordersNext}})
	if status != http.StatusOK || !strings.Contains(body, "orders-value: compatible") {
		t.Errorf("status %d, body:\n%s", status, body)
	}
}

func TestCheckLimitsTheSchemaSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{MaxSchemaBytes: 1024})
	status, _ := f.postForm(t, "/ui/check", url.Values{"subject": {ordersSubject}, "schema": {strings.Repeat(" ", 200<<10)}})
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", status)
	}
}
