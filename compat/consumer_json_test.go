package compat

import (
	"slices"
	"strings"
	"testing"
)

// orderJSON is a JSON Schema with a property by reference, an array of
// objects and a map-like object; replace rewrites it for a case.
const orderJSON = `{
  "type": "object",
  "properties": {
    "id": {"type": "integer"},
    "note": {"type": "string"},
    "home": {"$ref": "#/$defs/Address"},
    "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
    "tags": {"type": "object", "additionalProperties": {"type": "string"}}
  },
  "$defs": {"Address": {"type": "object", "properties": {"zip": {"type": "string"}}}}
}`

func TestCheckConsumerJSON(t *testing.T) {
	t.Parallel()
	with := func(old, new string) string { return strings.Replace(orderJSON, old, new, 1) }
	tests := []struct {
		name     string
		reader   ConsumerReader
		writer   string
		wantRule []string // rule@path
		wantMsg  string
	}{
		{
			name:   "FieldPathsThroughRefsArraysAndMaps",
			reader: ConsumerReader{Consumer: "c", Fields: []string{"id", "home.zip", "items[].sku", "tags{}", "/properties/note"}},
			writer: orderJSON,
		},
		{
			name:     "PropertyInsideADefinitionRemoved",
			reader:   ConsumerReader{Consumer: "c", Fields: []string{"home.zip"}},
			writer:   with(`"properties": {"zip": {"type": "string"}}`, `"properties": {"postcode": {"type": "string"}}`),
			wantRule: []string{"CONSUMER_FIELD_MISSING@/$defs/Address/properties/zip"},
			wantMsg:  "reads home.zip (/$defs/Address/properties/zip), which the new schema does not have",
		},
		{
			name:     "ArrayItemPropertyRetyped",
			reader:   ConsumerReader{Consumer: "c", Fields: []string{"items[].sku"}},
			writer:   with(`"sku": {"type": "string"}`, `"sku": {"type": "integer"}`),
			wantRule: []string{"CONSUMER_FIELD_TYPE_CHANGED@/properties/items/items/properties/sku"},
			wantMsg:  "reads items[].sku as `string`, but the new schema writes it as `integer`",
		},
		{
			name:   "IntegerStillReadsAsNumber",
			reader: ConsumerReader{Consumer: "c", Fields: []string{"id"}},
			writer: with(`"id": {"type": "integer"}`, `"id": {"type": "integer", "minimum": 0}`),
		},
		{
			name:     "IntegerWidenedToNumber",
			reader:   ConsumerReader{Consumer: "c", Fields: []string{"id"}},
			writer:   with(`"id": {"type": "integer"}`, `"id": {"type": "number"}`),
			wantRule: []string{"CONSUMER_FIELD_TYPE_CHANGED@/properties/id"},
		},
		{
			name:   "NullableThroughOneOfStillReadable",
			reader: ConsumerReader{Consumer: "c", Fields: []string{"note"}},
			writer: with(`"note": {"type": "string"}`, `"note": {"oneOf": [{"type": "string"}, {"enum": ["n/a"]}]}`),
		},
		{
			name:     "UnknownPathIsAWarning",
			reader:   ConsumerReader{Consumer: "c", Fields: []string{"customer.email"}},
			writer:   orderJSON,
			wantRule: []string{"CONSUMER_FIELD_UNKNOWN@customer.email"},
		},
		{
			name: "ClosedReaderCannotReadAnAddedProperty",
			reader: ConsumerReader{Consumer: "c", Reader: mustJSON(t,
				`{"type":"object","properties":{"id":{"type":"integer"}},"additionalProperties":false}`)},
			writer:   `{"type":"object","properties":{"id":{"type":"integer"},"extra":{"type":"string"}}}`,
			wantRule: []string{"CONSUMER_READER_INCOMPATIBLE@/properties/extra", "CONSUMER_READER_INCOMPATIBLE@/additionalProperties"},
			wantMsg:  "cannot read data written with the new schema using its reader schema",
		},
		{
			name:   "OpenReaderReadsAWiderWriter",
			reader: ConsumerReader{Consumer: "c", Reader: mustJSON(t, `{"type":"object","properties":{"id":{"type":"number"}}}`)},
			writer: `{"type":"object","properties":{"id":{"type":"integer"},"extra":{}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ref := mustJSON(t, orderJSON)
			req := ConsumerRequest{Consumer: tc.reader, Writer: mustJSON(t, tc.writer), Reference: ref}
			var got []string
			var msgs []string
			for _, f := range CheckConsumer(req) {
				got = append(got, f.RuleID+"@"+f.Path)
				msgs = append(msgs, f.Message)
				if f.Consumer != "c" || !strings.HasPrefix(f.Message, "consumer c ") {
					t.Errorf("finding %+v does not name the consumer", f)
				}
				if f.RuleID != "CONSUMER_FIELD_UNKNOWN" && !f.New.IsValid() {
					t.Errorf("finding %+v is not located in the writer", f)
				}
			}
			if !slices.Equal(got, tc.wantRule) {
				t.Errorf("findings = %v, want %v", got, tc.wantRule)
			}
			if tc.wantMsg != "" && !strings.Contains(strings.Join(msgs, "\n"), tc.wantMsg) {
				t.Errorf("messages %q do not contain %q", msgs, tc.wantMsg)
			}
		})
	}
}

func TestResolvePathAndReadsJSON(t *testing.T) {
	t.Parallel()
	s := mustJSON(t, orderJSON)
	for declared, want := range map[string]string{
		"id":               "/properties/id",
		"home":             "/properties/home",
		"home.zip":         "/$defs/Address/properties/zip",
		"items[].sku":      "/properties/items/items/properties/sku",
		"#/$defs/Address":  "/$defs/Address",
		"/properties/note": "/properties/note",
		"nothing":          "nothing",
	} {
		if got := ResolvePath(s, "", declared); got != want {
			t.Errorf("ResolvePath(%q) = %q, want %q", declared, got, want)
		}
	}
	if !HasPath(s, "/$defs/Address/properties/zip") || !HasPath(s, "/") || HasPath(s, "/properties/id/type") {
		t.Error("HasPath should accept subschema pointers and the root, and refuse keyword data")
	}
	fields := ConsumerReader{Fields: []string{"home.zip"}}
	reader := ConsumerReader{Reader: mustJSON(t, `{"properties":{"home":{"properties":{"zip":{"type":"string"}}},"items":{"items":{"properties":{"sku":{}}}}}}`)}
	tests := []struct {
		path           string
		fields, reader bool
	}{
		{"/$defs/Address/properties/zip", true, true},
		{"/properties/home", true, true},
		{"/$defs/Address", true, true},
		{"/properties/id", false, false},
		{"/properties/items/items/properties/sku", false, true},
		{"/", true, true},
	}
	for _, tc := range tests {
		if got := fields.Reads(s, tc.path); got != tc.fields {
			t.Errorf("field consumer of home.zip Reads(%s) = %v, want %v", tc.path, got, tc.fields)
		}
		if got := reader.Reads(s, tc.path); got != tc.reader {
			t.Errorf("reader consumer Reads(%s) = %v, want %v", tc.path, got, tc.reader)
		}
	}
}

// FuzzCheckConsumerJSON checks that no pair of JSON Schemas and no path
// list makes a consumer check, a path resolution or Reads panic.
func FuzzCheckConsumerJSON(f *testing.F) {
	f.Add(orderJSON, `{"properties":{"id":{"type":"number"}}}`, "id,home.zip,items[].sku,/properties/tags")
	f.Add(`{"$defs":{"n":{"properties":{"next":{"$ref":"#/$defs/n"}}}},"$ref":"#/$defs/n"}`, `{"allOf":[{"properties":{"next":{}}}]}`, "next.next.next,[],{}")
	f.Fuzz(func(t *testing.T, readerText, writerText, fields string) {
		exerciseConsumer(fixtureParsers[".json"], readerText, writerText, fields)
	})
}
