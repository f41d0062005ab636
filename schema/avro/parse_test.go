package avro_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	hamba "github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

// mustParse parses text without references and fails the test if it does
// not parse.
var mustParse = schematest.MustParse(func(text string) (*avro.Schema, error) { return avro.Parse(text, nil) })

func TestParseRejectsInvalidSchemas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		// msg is a substring of the ParseError message.
		msg string
		// pos is the expected line:col, or "-" when unknown.
		pos string
	}{
		{"EmptyText", ``, "unexpected end", "1:1"},
		{"BrokenJSON", "{\"type\": \"record\",\n \"name\": }", "invalid JSON", "2:10"},
		{"TrailingContent", `"int" "long"`, "unexpected content", "1:7"},
		{"BareWord", `int`, "invalid JSON", "1:1"},
		{"DuplicateKey", `{"type":"int","type":"long"}`, `duplicate key "type"`, "1:15"},
		{"NumberAsType", `42`, "a type must be", "1:1"},
		{"UnknownTypeName", `{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}`, `unknown type "Missing"`, "1:58"},
		{"UnknownTypeInNamespace", `{"type":"record","name":"R","namespace":"x","fields":[{"name":"a","type":"Missing"}]}`, `unknown type "x.Missing"`, "1:74"},
		{"ForwardReference", `{"type":"record","name":"R","fields":[{"name":"a","type":"S"},{"name":"b","type":{"type":"fixed","name":"S","size":1}}]}`, `unknown type "S"`, "1:58"},
		{"MissingType", `{"name":"R"}`, `needs a "type"`, "1:1"},
		{"TypeNotString", `{"type":{"type":"int"}}`, `"type" must be a string`, "1:9"},
		{"RecordWithoutName", `{"type":"record","fields":[]}`, `needs a "name"`, "1:1"},
		{"RecordWithoutFields", `{"type":"record","name":"R"}`, `"fields" array`, "1:1"},
		{"InvalidRecordName", `{"type":"record","name":"1R","fields":[]}`, `invalid name "1R"`, "1:25"},
		{"InvalidNamespace", `{"type":"record","name":"R","namespace":"a..b","fields":[]}`, `invalid namespace "a..b"`, "1:25"},
		{"InvalidNamespacePart", `{"type":"record","name":"a-b.R","fields":[]}`, `invalid namespace "a-b"`, "1:25"},
		{"PrimitiveRedefined", `{"type":"fixed","name":"int","size":4}`, "cannot be redefined", "1:24"},
		{"TypeDefinedTwice", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":{"type":"enum","name":"E","symbols":["B"]}}]}`, `type "E" is defined twice`, "1:143"},
		{"InvalidFieldName", `{"type":"record","name":"R","fields":[{"name":"a b","type":"int"}]}`, `invalid field name "a b"`, "1:47"},
		{"FieldWithoutType", `{"type":"record","name":"R","fields":[{"name":"a"}]}`, `field "a" needs a "type"`, "1:39"},
		{"FieldNotObject", `{"type":"record","name":"R","fields":["int"]}`, "a field must be an object", "1:39"},
		{"DuplicateField", `{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}`, `two fields named "a"`, "1:65"},
		{"InvalidFieldAlias", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["x.y"]}]}`, `invalid field alias "x.y"`, "1:75"},
		{"InvalidOrder", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]}`, `"order" must be`, "1:72"},
		{"DocNotString", `{"type":"record","name":"R","doc":1,"fields":[]}`, `"doc" must be a string`, "1:35"},
		{"EnumWithoutSymbols", `{"type":"enum","name":"E"}`, `"symbols" array`, "1:1"},
		{"EnumEmptySymbols", `{"type":"enum","name":"E","symbols":[]}`, "at least one symbol", "1:37"},
		{"EnumDuplicateSymbol", `{"type":"enum","name":"E","symbols":["A","B","A"]}`, `symbol "A" twice`, "1:46"},
		{"EnumInvalidSymbol", `{"type":"enum","name":"E","symbols":["A","B-C"]}`, `invalid symbol "B-C"`, "1:42"},
		{"EnumDefaultNotSymbol", `{"type":"enum","name":"E","symbols":["A"],"default":"B"}`, `default "B" is not one of its symbols`, "1:53"},
		{"FixedWithoutSize", `{"type":"fixed","name":"F"}`, `needs a "size"`, "1:1"},
		{"FixedNegativeSize", `{"type":"fixed","name":"F","size":-1}`, "size must be a non-negative integer", "1:35"},
		{"FixedFractionalSize", `{"type":"fixed","name":"F","size":1.5}`, "size must be a non-negative integer", "1:35"},
		{"ArrayWithoutItems", `{"type":"array"}`, `"items"`, "1:1"},
		{"MapWithoutValues", `{"type":"map"}`, `"values"`, "1:1"},
		{"NestedUnion", `["null",["int"]]`, "cannot directly contain another union", "1:9"},
		{"UnionDuplicatePrimitive", `["int","string","int"]`, "union contains int twice", "1:17"},
		{"UnionDuplicateLogical", `["int",{"type":"int","logicalType":"date"}]`, "union contains int twice", "1:8"},
		{"UnionDuplicateArray", `[{"type":"array","items":"int"},{"type":"array","items":"long"}]`, "union contains array twice", "1:33"},
		{"UnionDuplicateNamed", `{"type":"record","name":"R","fields":[{"name":"a","type":[{"type":"fixed","name":"F","size":1},"F"]}]}`, "union contains F twice", "1:96"},
		{"DecimalWithoutPrecision", `{"type":"bytes","logicalType":"decimal"}`, `needs a "precision"`, "1:31"},
		{"DecimalZeroPrecision", `{"type":"bytes","logicalType":"decimal","precision":0}`, "precision must be a positive integer", "1:53"},
		{"DecimalNegativeScale", `{"type":"bytes","logicalType":"decimal","precision":4,"scale":-1}`, "scale must be a non-negative integer", "1:63"},
		{"DecimalScaleAbovePrecision", `{"type":"bytes","logicalType":"decimal","precision":4,"scale":5}`, "scale 5 is greater than its precision 4", "1:63"},
		{"DecimalTooPreciseForFixed", `{"type":"fixed","name":"D","size":2,"logicalType":"decimal","precision":5}`, "does not fit in fixed", "1:73"},
		{"DefaultIntIsString", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"1"}]}`, `invalid default for "a": "1" is not an int`, "1:74"},
		{"DefaultIntIsFraction", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":1.5}]}`, "is not an int", "1:74"},
		{"DefaultIntOverflows", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":2147483648}]}`, "is not an int", "1:74"},
		{"DefaultLongIsFraction", `{"type":"record","name":"R","fields":[{"name":"a","type":"long","default":1.0}]}`, "is not a long", "1:75"},
		{"DefaultDoubleIsString", `{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":"NaN"}]}`, "is not a number", "1:77"},
		{"DefaultBooleanIsString", `{"type":"record","name":"R","fields":[{"name":"a","type":"boolean","default":"true"}]}`, "is not a boolean", "1:78"},
		{"DefaultStringIsNull", `{"type":"record","name":"R","fields":[{"name":"a","type":"string","default":null}]}`, "null is not a string", "1:77"},
		{"DefaultBytesOutOfRange", `{"type":"record","name":"R","fields":[{"name":"a","type":"bytes","default":"\u0100"}]}`, "code points 0-255", "1:76"},
		{"DefaultFixedWrongLength", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":2},"default":"abc"}]}`, `default has 3 bytes but fixed "F" has 2`, "1:105"},
		{"DefaultEnumNotSymbol", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]},"default":"B"}]}`, `"B" is not a symbol of enum "E"`, "1:111"},
		{"DefaultUnionNotFirstBranch", `{"type":"record","name":"R","fields":[{"name":"a","type":["null","string"],"default":"x"}]}`, "must match its first branch", "1:86"},
		{"DefaultUnionStringFirst", `{"type":"record","name":"R","fields":[{"name":"a","type":["string","null"],"default":null}]}`, "must match its first branch", "1:86"},
		{"DefaultArrayElement", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"int"},"default":[1,"2"]}]}`, `"2" is not an int`, "1:102"},
		{"DefaultMapValue", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"map","values":"long"},"default":{"k":true}}]}`, "true is not a long", "1:104"},
		{"DefaultRecordMissingField", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"record","name":"S","fields":[{"name":"x","type":"int"}]},"default":{}}]}`, `lacks field "x"`, "1:134"},
		{"DefaultRecursiveRecord", `{"type":"record","name":"N","fields":[{"name":"next","type":"N","default":{}}]}`, "the default never ends", "1:75"},
		{"DeprecatedFalse", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","deprecated":false}]}`, `"deprecated" must be true`, "1:77"},
		{"DeprecatedNumber", `{"type":"record","name":"R","deprecated":1,"fields":[]}`, `"deprecated" must be true`, "1:42"},
		{"DeprecatedBadSunset", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","deprecated":{"sunset":"next year"}}]}`, "YYYY-MM-DD", "1:87"},
		{"DeprecatedUnknownKey", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","deprecated":{"until":"2026-01-01"}}]}`, `unknown deprecated attribute "until"`, "1:78"},
		{"DeprecatedReasonNotString", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","deprecated":{"reason":true}}]}`, "deprecated.reason must be a string", "1:87"},
		{"TooDeep", strings.Repeat(`{"type":"array","items":`, 300) + `"int"` + strings.Repeat(`}`, 300), "nesting depth exceeds the registry's limit of 256", "1:6153"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := avro.Parse(tt.text, nil)
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse() = %v, %v; want a *schema.ParseError", s, err)
			}
			if pe.Format != schema.Avro {
				t.Errorf("Format = %q, want AVRO", pe.Format)
			}
			if !strings.Contains(pe.Message, tt.msg) {
				t.Errorf("Message = %q, want it to contain %q", pe.Message, tt.msg)
			}
			if got := pe.Pos.String(); got != tt.pos {
				t.Errorf("Pos = %s, want %s (message %q)", got, tt.pos, pe.Message)
			}
		})
	}
}

func TestParseAcceptsValidSchemas(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text string }{
		{"Primitive", `"string"`},
		{"PrimitiveObject", `{"type":"long","logicalType":"timestamp-millis"}`},
		{"EmptyUnion", `[]`},
		{"NullableUnion", `["null","string"]`},
		{"Recursive", `{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}`},
		{"ObjectReference", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":1}},{"name":"b","type":{"type":"F"}}]}`},
		{"ErrorType", `{"type":"error","name":"Oops","fields":[{"name":"msg","type":"string"}]}`},
		{"AllDefaults", `{"type":"record","name":"R","fields":[
			{"name":"n","type":"null","default":null},
			{"name":"b","type":"boolean","default":false},
			{"name":"i","type":"int","default":-2147483648},
			{"name":"l","type":"long","default":9223372036854775807},
			{"name":"f","type":"float","default":1},
			{"name":"d","type":"double","default":-1.5e300},
			{"name":"s","type":"string","default":"ü"},
			{"name":"by","type":"bytes","default":"\u00ff\u0000"},
			{"name":"fx","type":{"type":"fixed","name":"F","size":2},"default":"ab"},
			{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]},"default":"B"},
			{"name":"a","type":{"type":"array","items":"E"},"default":["A","B"]},
			{"name":"m","type":{"type":"map","values":"int"},"default":{"x":1}},
			{"name":"u","type":["int","null"],"default":3},
			{"name":"r","type":{"type":"record","name":"S","fields":[{"name":"x","type":"int","default":1},{"name":"y","type":"int"}]},"default":{"y":2}}]}`},
		{"EnumDefault", `{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}`},
		{"DecimalBytes", `{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}`},
		{"DecimalFixed", `{"type":"fixed","name":"D","size":16,"logicalType":"decimal","precision":38,"scale":9}`},
		{"UnknownLogicalTypeIgnored", `{"type":"string","logicalType":"color"}`},
		{"LogicalTypeOnWrongTypeIgnored", `{"type":"string","logicalType":"date"}`},
		{"EmptyNamespaceInsideNamespace", `{"type":"record","name":"R","namespace":"x","fields":[{"name":"a","type":{"type":"enum","name":"E","namespace":"","symbols":["A"]}}]}`},
		{"FullNameOverridesNamespace", `{"type":"record","name":"a.R","namespace":"x","fields":[{"name":"s","type":{"type":"fixed","name":"F","size":1}},{"name":"t","type":"a.F"}]}`},
		{"DeprecatedForms", `{"type":"record","name":"R","deprecated":"use S","fields":[
			{"name":"a","type":"int","deprecated":true},
			{"name":"b","type":"int","deprecated":{"reason":"r","sunset":"2027-01-31","replacement":"R.c"}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := mustParse(t, tt.text)
			if s.Root() == nil {
				t.Fatal("Root() is nil")
			}
			// Every form is itself a valid schema that renders the same way.
			for _, form := range []struct{ name, text string }{{"Text", s.Text()}, {"Normalized", s.Normalized()}} {
				again, err := avro.Parse(form.text, nil)
				if err != nil {
					t.Fatalf("%s() does not parse: %v\n%s", form.name, err, form.text)
				}
				if again.Normalized() != s.Normalized() || again.CanonicalForm() != s.CanonicalForm() {
					t.Errorf("%s() does not round-trip:\n%s\n%s", form.name, again.Normalized(), s.Normalized())
				}
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	t.Parallel()
	base := `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"price","type":"double","default":1.0}]}`
	schematest.Identities(t, mustParse, base, []schematest.IdentityCase{
		{Name: "Whitespace", Other: "{ \"type\" : \"record\",\n \"name\":\"Order\", \"namespace\":\"shop\",\n \"fields\":[ {\"name\":\"price\", \"type\":\"double\", \"default\":1.0} ] }", Same: true},
		{Name: "KeyOrder", Other: `{"fields":[{"default":1.0,"type":"double","name":"price"}],"namespace":"shop","name":"Order","type":"record"}`, Same: true},
		{Name: "FullName", Other: `{"type":"record","name":"shop.Order","fields":[{"name":"price","type":"double","default":1.0}]}`, Same: true},
		{Name: "NumberSpelling", Other: `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"price","type":"double","default":1.00}]}`, Same: true},
		{Name: "PrimitiveObject", Other: `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"price","type":{"type":"double"},"default":1.0}]}`, Same: true},
		{Name: "Doc", Other: `{"type":"record","name":"Order","namespace":"shop","doc":"An order.","fields":[{"name":"price","type":"double","default":1.0}]}`, Same: false},
		{Name: "Default", Other: `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"price","type":"double","default":2.0}]}`, Same: false},
		{Name: "CustomProperty", Other: `{"type":"record","name":"Order","namespace":"shop","owner":"team-a","fields":[{"name":"price","type":"double","default":1.0}]}`, Same: false},
		{Name: "Namespace", Other: `{"type":"record","name":"Order","namespace":"store","fields":[{"name":"price","type":"double","default":1.0}]}`, Same: false},
	})
}

func TestTextOfPrimitiveIsBareName(t *testing.T) {
	t.Parallel()
	s := mustParse(t, `{"type": "string"}`)
	if got := s.Text(); got != `"string"` {
		t.Errorf("Text() = %s, want \"string\"", got)
	}
}

// TestParseUsesFreshCache proves that names never leak between Parse
// calls, nor into the Avro library's package-level cache.
func TestParseUsesFreshCache(t *testing.T) {
	t.Parallel()
	if _, err := avro.Parse(`{"type":"record","name":"Leak","namespace":"iso.a","fields":[]}`, nil); err != nil {
		t.Fatal(err)
	}
	_, err := avro.Parse(`{"type":"record","name":"User","fields":[{"name":"x","type":"iso.a.Leak"}]}`, nil)
	var pe *schema.ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Message, `unknown type "iso.a.Leak"`) {
		t.Fatalf("a name from an earlier Parse resolved: %v", err)
	}
	if got := hamba.DefaultSchemaCache.Get("iso.a.Leak"); got != nil {
		t.Errorf("the library's default cache holds iso.a.Leak")
	}
	// The library alone must not resolve it either (our own check runs
	// first, so test the library through a dependency-free reparse).
	dep := schema.Dependency{Name: "iso.a.Leak", Text: `{"type":"record","name":"Leak","namespace":"iso.a","fields":[]}`}
	if _, err := avro.Parse(`{"type":"record","name":"User","fields":[{"name":"x","type":"iso.a.Leak"}]}`, []schema.Dependency{dep}); err != nil {
		t.Fatalf("with the dependency: %v", err)
	}
	if got := hamba.DefaultSchemaCache.Get("iso.a.Leak"); got != nil {
		t.Errorf("the library's default cache holds iso.a.Leak after a Parse with dependencies")
	}
}

func TestParseWithDependencies(t *testing.T) {
	t.Parallel()
	money := schema.Dependency{Name: "shop.Money", Text: `{"type":"record","name":"Money","namespace":"shop","fields":[{"name":"units","type":"long"},{"name":"currency","type":{"type":"enum","name":"Currency","symbols":["EUR","USD"]}}]}`}
	item := schema.Dependency{Name: "shop.Item", Text: `{"type":"record","name":"Item","namespace":"shop","fields":[{"name":"price","type":"Money"}]}`}
	text := `{"type":"record","name":"Order","namespace":"shop","fields":[
		{"name":"items","type":{"type":"array","items":"Item"}},
		{"name":"total","type":"shop.Money","default":{"units":0,"currency":"EUR"}},
		{"name":"cur","type":"Currency","default":"USD"}]}`
	s, err := avro.Parse(text, []schema.Dependency{money, item})
	if err != nil {
		t.Fatal(err)
	}
	wantText := `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"items","type":{"type":"array","items":"Item"}},{"name":"total","type":"Money","default":{"units":0,"currency":"EUR"}},{"name":"cur","type":"Currency","default":"USD"}]}`
	if s.Text() != wantText {
		t.Errorf("Text() = %s\nwant     %s", s.Text(), wantText)
	}
	wantCanonical := `{"name":"shop.Order","type":"record","fields":[{"name":"items","type":{"type":"array","items":{"name":"shop.Item","type":"record","fields":[{"name":"price","type":{"name":"shop.Money","type":"record","fields":[{"name":"units","type":"long"},{"name":"currency","type":{"name":"shop.Currency","type":"enum","symbols":["EUR","USD"]}}]}}]}}},{"name":"total","type":"shop.Money"},{"name":"cur","type":"shop.Currency"}]}`
	if s.CanonicalForm() != wantCanonical {
		t.Errorf("CanonicalForm() = %s\nwant            %s", s.CanonicalForm(), wantCanonical)
	}

	t.Run("DependencyOrderMatters", func(t *testing.T) {
		t.Parallel()
		_, err := avro.Parse(text, []schema.Dependency{item, money})
		var pe *schema.ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, `in referenced schema "shop.Item" at 1:`) {
			t.Fatalf("Parse = %v, want an error located in shop.Item", err)
		}
	})
	t.Run("RedefiningADependencyType", func(t *testing.T) {
		t.Parallel()
		_, err := avro.Parse(`{"type":"enum","name":"shop.Currency","symbols":["X"]}`, []schema.Dependency{money})
		var pe *schema.ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, "already defined by a referenced schema") {
			t.Fatalf("Parse = %v", err)
		}
	})
}

func TestPos(t *testing.T) {
	t.Parallel()
	text := `{
  "type": "record", "name": "Order", "namespace": "shop",
  "fields": [
    {"name": "items", "type": {"type": "array", "items": {
      "type": "record", "name": "Item", "fields": [
        {"name": "price", "type": "double"}]}}},
    {"name": "meta", "type": {"type": "map", "values": "string"}},
    {"name": "payment", "type": ["null",
      {"type": "record", "name": "Card", "fields": [{"name": "number", "type": "string"}]}]},
    {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
    {"name": "again", "type": "Item"}
  ]
}`
	s := mustParse(t, text)
	schematest.Positions(t, s.Pos, map[string]string{
		"Order":                      "1:1",
		"Order.items":                "4:5",
		"Order.items[]":              "4:58",
		"Order.items[].price":        "6:9",
		"Order.meta":                 "7:5",
		"Order.meta{}":               "7:56",
		"Order.payment":              "8:5",
		"Order.payment<null>":        "8:34",
		"Order.payment<Card>":        "9:7",
		"Order.payment<Card>.number": "9:53",
		"Order.status.PAID":          "10:86",
		"Order.again":                "11:5",
		"Order.again.price":          "-",
		"Order.missing":              "-",
	})
}

func TestDeprecations(t *testing.T) {
	t.Parallel()
	text := `{"type":"record","name":"Order","deprecated":"use OrderV2","fields":[
  {"name":"a","type":"int","deprecated":true},
  {"name":"b","type":{"type":"array","items":{"type":"record","name":"Line","fields":[
    {"name":"c","type":"int","deprecated":{"reason":"unused","sunset":"2026-06-30","replacement":"Order.d"}}]}}},
  {"name":"e","type":{"type":"enum","name":"E","symbols":["X"],"deprecated":true}},
  {"name":"f","type":{"type":"fixed","name":"F","size":1,"deprecated":"too small"}},
  {"name":"g","type":{"type":"string","deprecated":true}}]}`
	s := mustParse(t, text)
	schematest.Deprecations(t, s.Deprecations(), []schema.Deprecation{
		{Path: "Order", Kind: "record", Reason: "use OrderV2", Pos: schema.Position{Line: 1, Column: 33}},
		{Path: "Order.a", Kind: "field", Pos: schema.Position{Line: 2, Column: 28}},
		{Path: "Order.b[].c", Kind: "field", Reason: "unused", Sunset: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC),
			Replacement: "Order.d", Pos: schema.Position{Line: 4, Column: 30}},
		{Path: "Order.e", Kind: "enum", Pos: schema.Position{Line: 5, Column: 64}},
		{Path: "Order.f", Kind: "fixed", Reason: "too small", Pos: schema.Position{Line: 6, Column: 58}},
	})
}
