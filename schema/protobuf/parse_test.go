package protobuf

import (
	"errors"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

// mustParse parses text under DefaultName, without references, and fails
// the test if it does not parse.
var mustParse = schematest.MustParse(func(text string) (*Schema, error) { return Parse(DefaultName, text, nil) })

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		deps []schema.Dependency
		pos  schema.Position
		msg  string // substring of the message
	}{
		{
			name: "SyntaxErrorIsLocated",
			text: "syntax = \"proto3\";\nmessage Order {\n  string id = ;\n}\n",
			pos:  schema.Position{Line: 3, Column: 15},
			msg:  "syntax error",
		},
		{
			name: "UnknownTypeIsLocated",
			text: "syntax = \"proto3\";\nmessage Order {\n  Money total = 1;\n}\n",
			pos:  schema.Position{Line: 3, Column: 3},
			msg:  "unknown type Money",
		},
		{
			name: "DuplicateFieldNumber",
			text: "syntax = \"proto3\";\nmessage Order {\n  string id = 1;\n  string name = 1;\n}\n",
			pos:  schema.Position{Line: 4, Column: 17},
			msg:  "same tag 1",
		},
		{
			name: "EveryErrorIsCounted",
			text: "syntax = \"proto3\";\nmessage Order {\n  Money total = 1;\n  Price price = 2;\n  Tax tax = 3;\n}\n",
			pos:  schema.Position{Line: 3, Column: 3},
			msg:  "(and 2 more errors)",
		},
		{
			name: "MissingReference",
			text: "syntax = \"proto3\";\nimport \"money.proto\";\nmessage Order {}\n",
			pos:  schema.Position{Line: 2, Column: 8},
			msg:  `no reference named "money.proto" was supplied`,
		},
		{
			name: "ErrorInsideAReferenceNamesIt",
			text: "syntax = \"proto3\";\nimport \"money.proto\";\nmessage Order {}\n",
			deps: []schema.Dependency{{Name: "money.proto", Text: "syntax = \"proto3\";\nmessage Money {\n  int64 units = x;\n}\n"}},
			msg:  `in reference "money.proto" at 3:17`,
		},
		{
			name: "ReferenceNamedLikeTheSchema",
			text: "syntax = \"proto3\";\nmessage Order {}\n",
			deps: []schema.Dependency{{Name: DefaultName, Text: "syntax = \"proto3\";"}},
			msg:  "same name as the schema",
		},
		{
			name: "ReservedNumberInUse",
			text: "syntax = \"proto3\";\nmessage Order {\n  reserved 2;\n  string id = 2;\n}\n",
			pos:  schema.Position{Line: 4, Column: 15},
			msg:  "reserved",
		},
		{
			name: "MalformedSunsetDate",
			text: "syntax = \"proto3\";\nmessage Order {\n  // @sunset June\n  string id = 1 [deprecated = true];\n}\n",
			pos:  schema.Position{Line: 4, Column: 3},
			msg:  `@sunset date "June" is not a YYYY-MM-DD date`,
		},
		{
			name: "SunsetWithoutDate",
			text: "syntax = \"proto3\";\nmessage Order {\n  // @sunset\n  string id = 1 [deprecated = true];\n}\n",
			pos:  schema.Position{Line: 4, Column: 3},
			msg:  "@sunset needs a date",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(DefaultName, tt.text, tt.deps)
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse() error = %v, want a *schema.ParseError", err)
			}
			if pe.Format != schema.Protobuf {
				t.Errorf("Format = %q, want %q", pe.Format, schema.Protobuf)
			}
			if pe.Pos != tt.pos {
				t.Errorf("Pos = %v, want %v (message %q)", pe.Pos, tt.pos, pe.Message)
			}
			if !strings.Contains(pe.Message, tt.msg) {
				t.Errorf("Message = %q, want it to contain %q", pe.Message, tt.msg)
			}
		})
	}
}

func TestParseReferences(t *testing.T) {
	t.Parallel()
	money := schema.Dependency{Name: "shop/v1/money.proto", Text: `syntax = "proto3";
package shop.v1;
import "shop/v1/currency.proto";
message Money {
  Currency currency = 1;
  int64 units = 2;
}
`}
	currency := schema.Dependency{Name: "shop/v1/currency.proto", Text: `syntax = "proto3";
package shop.v1;
enum Currency {
  CURRENCY_UNSPECIFIED = 0;
  CURRENCY_EUR = 1;
}
`}
	tests := []struct {
		name    string
		text    string
		deps    []schema.Dependency
		wantErr string
		want    string // a line of the identity
	}{
		{
			name: "TransitiveReferences",
			text: "syntax = \"proto3\";\npackage shop.v1;\nimport \"shop/v1/money.proto\";\nmessage Order {\n  Money total = 1;\n}\n",
			deps: []schema.Dependency{currency, money},
			want: "  .shop.v1.Money total = 1;",
		},
		{
			name: "DependenciesInAnyOrder",
			text: "syntax = \"proto3\";\npackage shop.v1;\nimport \"shop/v1/money.proto\";\nmessage Order {\n  Money total = 1;\n}\n",
			deps: []schema.Dependency{money, currency},
			want: "  .shop.v1.Money total = 1;",
		},
		{
			name:    "MissingTransitiveReference",
			text:    "syntax = \"proto3\";\npackage shop.v1;\nimport \"shop/v1/money.proto\";\nmessage Order {\n  Money total = 1;\n}\n",
			deps:    []schema.Dependency{money},
			wantErr: "shop/v1/currency.proto",
		},
		{
			name: "WellKnownTypesAreBuiltIn",
			text: "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/any.proto\";\nmessage Order {\n  google.protobuf.Timestamp at = 1;\n  google.protobuf.Any extra = 2;\n}\n",
			want: "  .google.protobuf.Timestamp at = 1;",
		},
		{
			name:    "TypeFromAnUnimportedReference",
			text:    "syntax = \"proto3\";\npackage shop.v1;\nmessage Order {\n  Money total = 1;\n}\n",
			deps:    []schema.Dependency{currency, money},
			wantErr: "Money",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(DefaultName, tt.text, tt.deps)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse() error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if !strings.Contains(s.Identity(), tt.want+"\n") {
				t.Errorf("Identity() =\n%s\nwant a line %q", s.Identity(), tt.want)
			}
		})
	}
}

// TestParseIsIndependent proves that one parse's definitions never leak
// into another: the same file name and message name mean different things
// in two subjects.
func TestParseIsIndependent(t *testing.T) {
	t.Parallel()
	a := mustParse(t, "syntax = \"proto3\";\nmessage Order {\n  string id = 1;\n}\n")
	b := mustParse(t, "syntax = \"proto3\";\nmessage Order {\n  int64 id = 1;\n}\n")
	if a.Identity() == b.Identity() {
		t.Fatalf("two different schemas share the identity %q", a.Identity())
	}
	// A reference must be supplied to each parse that uses it.
	dep := []schema.Dependency{{Name: "money.proto", Text: "syntax = \"proto3\";\nmessage Money {}\n"}}
	if _, err := Parse(DefaultName, "syntax = \"proto3\";\nimport \"money.proto\";\nmessage Order { Money m = 1; }\n", dep); err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(DefaultName, "syntax = \"proto3\";\nimport \"money.proto\";\nmessage Order { Money m = 1; }\n", nil); err == nil {
		t.Fatal("a reference supplied to an earlier parse was visible to a later one")
	}
}

func TestParseKeepsText(t *testing.T) {
	t.Parallel()
	text := "syntax = \"proto3\";\n\n// An order.\nmessage   Order {  string id = 1; }\n"
	s, err := Parse("", text, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Text() != text {
		t.Errorf("Text() = %q, want the submitted text", s.Text())
	}
	if s.Name() != DefaultName {
		t.Errorf("Name() = %q, want %q", s.Name(), DefaultName)
	}
	if s.Format() != schema.Protobuf {
		t.Errorf("Format() = %q", s.Format())
	}
}

func TestPos(t *testing.T) {
	t.Parallel()
	text := `syntax = "proto3";
package shop.v1;

message Order {
  string id = 1;
  oneof payment {
    string card = 2;
  }
  optional int32 total = 3;
  message Item {
    string sku = 1;
  }
}

enum Status {
  STATUS_UNSPECIFIED = 0;
}

service Orders {
  rpc Get(Order) returns (Order);
}
`
	s := mustParse(t, text)
	tests := []struct {
		path string
		want schema.Position
	}{
		{"shop.v1.Order", schema.Position{Line: 4, Column: 1}},
		{"shop.v1.Order.id", schema.Position{Line: 5, Column: 3}},
		{"shop.v1.Order.payment", schema.Position{Line: 6, Column: 3}},
		{"shop.v1.Order.card", schema.Position{Line: 7, Column: 5}},
		{"shop.v1.Order.total", schema.Position{Line: 9, Column: 3}},
		{"shop.v1.Order._total", schema.Position{}}, // synthetic oneof
		{"shop.v1.Order.Item.sku", schema.Position{Line: 11, Column: 5}},
		{"shop.v1.Status", schema.Position{Line: 15, Column: 1}},
		{"shop.v1.Status.STATUS_UNSPECIFIED", schema.Position{Line: 16, Column: 3}},
		{"shop.v1.STATUS_UNSPECIFIED", schema.Position{}}, // Protobuf's own scoping is not a path
		{"shop.v1.Orders.Get", schema.Position{Line: 20, Column: 3}},
		{"shop.v1.Missing", schema.Position{}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			if got := s.Pos(tt.path); got != tt.want {
				t.Errorf("Pos(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
	if got, want := s.PackagePos(), (schema.Position{Line: 2, Column: 1}); got != want {
		t.Errorf("PackagePos() = %v, want %v", got, want)
	}
}
