package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

func TestReadJSON(t *testing.T) {
	t.Parallel()
	const limit = 256
	tests := []struct {
		name   string
		body   string
		strict bool
		status int    // 0: decoded
		msg    string // in the error's message
		schema string // decoded, when status is 0
	}{
		{name: "Object", body: `{"schema":"x"}`, schema: "x"},
		{name: "TrailingWhitespace", body: "{\"schema\":\"x\"} \t\r\n", schema: "x"},
		{name: "TrailingValue", body: `{"schema":"x"}{}`, status: 400, msg: "unexpected data after the top-level value"},
		{name: "TrailingGarbage", body: `{"schema":"x"} x`, status: 400, msg: "unexpected data after the top-level value"},
		{name: "TrailingNonJSONSpace", body: "{\"schema\":\"x\"}\v", status: 400, msg: "unexpected data after the top-level value"},
		{name: "TrailingBeforeShape", body: `{"schema":42} x`, status: 400, msg: "unexpected data after the top-level value"},
		{name: "Malformed", body: `{"schema": `, status: 400, msg: "Malformed JSON request body"},
		{name: "MalformedBeforeTrailing", body: `{"schema" 1} x`, status: 400, msg: "at offset"},
		{name: "Empty", body: ``, status: 422, msg: "Request body is empty"},
		{name: "OnlySpace", body: `  `, status: 422, msg: "Request body is empty"},
		{name: "WrongShape", body: `{"schema":42}`, status: 422, msg: "Invalid value for schema: unexpected JSON number"},
		{name: "NestedWrongShape", body: `{"references":[{"name":1}]}`, status: 422, msg: "Invalid value for references.name"},
		{name: "NotAnObject", body: `[]`, status: 422, msg: "expected a JSON object"},
		{name: "UnknownFieldLoose", body: `{"schema":"x","schemaa":"y"}`, schema: "x"},
		{name: "UnknownFieldStrict", body: `{"schema":"x","schemaa":"y"}`, strict: true, status: -1, msg: "Unrecognized field \"schemaa\""},
		{name: "EscapedNUL", body: `{"schema":"a\u0000b"}`, status: 422, msg: "The field schema of the request body holds a NUL byte"},
		{name: "EscapedNULInReference", body: `{"schema":"x","references":[{"name":"n","subject":"s\u0000","version":1}]}`, status: 422, msg: "references[0].subject"},
		{name: "EscapedBackslashThenU0000", body: `{"schema":"a\\u0000b"}`, schema: `a\u0000b`},
		{name: "InvalidUTF8Replaced", body: "{\"schema\":\"a\xffb\"}", schema: "a\uFFFDb"},
		{name: "OverLimit", body: `{"schema":"` + strings.Repeat("x", limit) + `"}`, status: 413},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, declared := range []bool{true, false} {
				a := &API{maxBody: limit}
				req := httptest.NewRequest(http.MethodPost, "/subjects/s/versions", strings.NewReader(tc.body))
				if !declared {
					// A chunked body: the length is unknown until read.
					req.ContentLength = -1
				}
				req.Header.Set("Content-Type", srapi.ContentType)
				c := echo.New().NewContext(req, httptest.NewRecorder())
				var body registerBody
				raw, err := a.readJSON(c, &body, tc.strict)
				if tc.status == 0 {
					if err != nil {
						t.Fatalf("declared length %v: %v", declared, err)
					}
					if body.Schema != tc.schema || string(raw) != tc.body {
						t.Fatalf("declared length %v: schema %q, body %q; want %q, %q", declared, body.Schema, raw, tc.schema, tc.body)
					}
					continue
				}
				if err == nil {
					t.Fatalf("declared length %v: decoded %+v, want an error", declared, body)
				}
				var (
					he       *echo.HTTPError
					tooLarge *http.MaxBytesError
					unknown  *unknownFieldError
					status   int
				)
				switch {
				case errors.As(err, &he):
					status = he.Code
				case errors.As(err, &tooLarge):
					status = 413
				case errors.As(err, &unknown):
					status = -1
				}
				if status != tc.status || !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("declared length %v: %v (status %d), want %d with %q", declared, err, status, tc.status, tc.msg)
				}
			}
		})
	}
}

// BenchmarkReregister is an idempotent registration answered by the
// Service from memory: what remains is the transport's share, reading
// and decoding the body and encoding the answer.
func BenchmarkReregister(b *testing.B) {
	sch := *avroSchema
	var fields []string
	for i := range 20 {
		fields = append(fields, `{"name":"f`+string(rune('a'+i))+`","type":["null","string"],"default":null,"doc":"field"}`)
	}
	sch.Text = `{"type":"record","name":"Order","namespace":"com.example.orders","fields":[` + strings.Join(fields, ",") + `]}`
	svc := &fakeService{schema: &sch, version: &registry.SubjectVersion{Version: 1, SchemaID: sch.ID, Schema: &sch}}
	a := New(svc, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	body, err := json.Marshal(srapi.RegisterRequest{Schema: sch.Text})
	if err != nil {
		b.Fatal(err)
	}
	w := &discardWriter{h: make(http.Header)}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/subjects/orders-value/versions", bytes.NewReader(body))
		req.Header.Set("Content-Type", srapi.ContentType)
		clear(w.h)
		a.ServeHTTP(w, req)
	}
}
