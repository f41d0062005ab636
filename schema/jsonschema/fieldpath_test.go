package jsonschema

import (
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

func TestParseFieldPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path    string
		want    string // steps, "p:name" / "[]" / "{}", space-separated
		wantErr string
	}{
		{path: "email", want: "p:email"},
		{path: "customer.email", want: "p:customer p:email"},
		{path: "items[].sku", want: "p:items [] p:sku"},
		{path: "matrix[][]", want: "p:matrix [] []"},
		{path: "attributes{}.value", want: "p:attributes {} p:value"},
		{path: "[].id", want: "[] p:id"},
		{path: "{}", want: "{}"},
		{path: "", wantErr: "empty field path"},
		{path: "a..b", wantErr: "expected a property name at offset 2"},
		{path: "a.", wantErr: "ends with '.'"},
		{path: ".a", wantErr: "expected a property name at offset 0"},
		{path: "items[0]", wantErr: `unexpected '['`},
		{path: "a/b", wantErr: `unexpected '/'`},
		{path: "a[]b", wantErr: `unexpected 'b'`},
		{path: strings.Repeat("a.", MaxDepth) + "a", wantErr: "more than 200 steps"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			steps, err := ParseFieldPath(tc.path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseFieldPath(%q) error = %v, want one containing %q", tc.path, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFieldPath(%q): %v", tc.path, err)
			}
			var got []string
			for _, s := range steps {
				switch s.Kind {
				case StepItems:
					got = append(got, "[]")
				case StepValues:
					got = append(got, "{}")
				default:
					got = append(got, "p:"+s.Name)
				}
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("steps = %s, want %s", g, tc.want)
			}
			if back := FormatFieldPath(steps); back != tc.path {
				t.Errorf("FormatFieldPath = %q, want %q", back, tc.path)
			}
		})
	}
}

func TestResolveFieldPath(t *testing.T) {
	t.Parallel()
	const text = `{
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "home": {"$ref": "#/$defs/Address"},
    "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
    "attributes": {"type": "object", "additionalProperties": {"properties": {"value": {"type": "number"}}}},
    "pair": {"type": "array", "items": [{"type": "string"}]},
    "customer": {"$ref": "customer.json"}
  },
  "allOf": [{"$ref": "#/$defs/Audit"}],
  "$defs": {
    "Address": {"type": "object", "properties": {"zip": {"type": "string"}}},
    "Audit": {"properties": {"createdAt": {"type": "string"}}}
  }
}`
	s := mustParseWithCustomer(t, text, `{"type":"object","properties":{"email":{"type":"string"}}}`)
	tests := []struct {
		path    string
		target  string
		through string // pointers, space-separated
		targets string
	}{
		{path: "id", target: "/properties/id"},
		{path: "home", target: "/properties/home", targets: "/$defs/Address"},
		{path: "home.zip", target: "/$defs/Address/properties/zip", through: "/properties/home /$defs/Address"},
		{path: "items[].sku", target: "/properties/items/items/properties/sku", through: "/properties/items /properties/items/items"},
		{path: "attributes{}.value", target: "/properties/attributes/additionalProperties/properties/value",
			through: "/properties/attributes /properties/attributes/additionalProperties"},
		{path: "createdAt", target: "/$defs/Audit/properties/createdAt"},
		{path: "customer.email", target: "external:/properties/customer/properties/email", through: "/properties/customer external:/properties/customer"},
		{path: "pair[]", target: "-"},
		{path: "home.street", target: "-"},
		{path: "id.x", target: "-"},
		{path: "missing", target: "-"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			steps, err := ParseFieldPath(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			res, ok := s.ResolveFieldPath(steps)
			if !ok {
				if tc.target != "-" {
					t.Fatalf("%s does not resolve, want %s", tc.path, tc.target)
				}
				return
			}
			if tc.target == "-" {
				t.Fatalf("%s resolves to %+v, want no resolution", tc.path, res.Target)
			}
			if got := locatedString(res.Target); got != tc.target {
				t.Errorf("target = %s, want %s", got, tc.target)
			}
			if got := locatedList(res.Through); got != tc.through {
				t.Errorf("through = %q, want %q", got, tc.through)
			}
			if got := locatedList(res.Targets); got != tc.targets {
				t.Errorf("targets = %q, want %q", got, tc.targets)
			}
			if !res.Target.External && !s.HasSubschema(res.Target.Pointer) {
				t.Errorf("HasSubschema(%s) = false", res.Target.Pointer)
			}
		})
	}
	for ptr, want := range map[string]bool{"": true, "/properties/id": true, "/$defs/Address": true, "/properties/id/type": false, "/properties/nope": false, "/allOf/0": true} {
		if got := s.HasSubschema(ptr); got != want {
			t.Errorf("HasSubschema(%q) = %v, want %v", ptr, got, want)
		}
	}
}

func locatedString(l Located) string {
	if l.External {
		return "external:" + l.Pointer
	}
	return l.Pointer
}

func locatedList(ls []Located) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = locatedString(l)
	}
	return strings.Join(out, " ")
}

// mustParseWithCustomer parses text with customer.json as its one
// reference and fails the test if it does not parse.
func mustParseWithCustomer(t *testing.T, text, customer string) *Schema {
	t.Helper()
	s, err := Parse(text, []schema.Dependency{{Name: "customer.json", Text: customer}})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// FuzzParseFieldPath checks that any path either fails to parse or
// round-trips through FormatFieldPath, and never panics when resolved.
func FuzzParseFieldPath(f *testing.F) {
	for _, p := range []string{"a", "a.b", "items[].sku", "m{}.v", "[].x", "a..b", "a[", "{}{}[]", "a.b[]{}.c"} {
		f.Add(p)
	}
	s, err := Parse(`{"properties":{"a":{"$ref":"#"},"items":{"items":{"properties":{"sku":{}}}},"m":{"additionalProperties":{"oneOf":[{"$ref":"#/properties/a"}]}}}}`, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string) {
		steps, err := ParseFieldPath(path)
		if err != nil {
			return
		}
		if back := FormatFieldPath(steps); back != path {
			t.Fatalf("FormatFieldPath(ParseFieldPath(%q)) = %q", path, back)
		}
		s.ResolveFieldPath(steps)
	})
}
