package srapi_test

import (
	"encoding/json"
	"testing"

	"github.com/schemata-dev/schemata/srapi"
)

func TestSchemaTypeDefaultsToAvro(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": srapi.TypeAvro, srapi.TypeAvro: srapi.TypeAvro, srapi.TypeProtobuf: srapi.TypeProtobuf} {
		if got := (srapi.Schema{SchemaType: in}).Type(); got != want {
			t.Errorf("Schema{SchemaType: %q}.Type() = %q, want %q", in, got, want)
		}
	}
}

// A schema sent as a request carries every field of the schema and
// nothing of IMPORT mode.
func TestSchemaRequestCarriesTheSchema(t *testing.T) {
	t.Parallel()
	s := srapi.Schema{
		SchemaType: srapi.TypeProtobuf, Schema: `syntax = "proto3";`,
		References: []srapi.Reference{{Name: "c.proto", Subject: "c", Version: 2}},
		Metadata:   &srapi.Metadata{Properties: map[string]string{"a": "1"}},
		RuleSet:    &srapi.RuleSet{DomainRules: []srapi.Rule{{Name: "r", Type: "CEL", Mode: srapi.RuleModeWrite}}},
	}
	got, err := json.Marshal(s.Request())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schema":"syntax = \"proto3\";","schemaType":"PROTOBUF","references":[{"name":"c.proto","subject":"c","version":2}],"metadata":{"properties":{"a":"1"}},"ruleSet":{"domainRules":[{"name":"r","mode":"WRITE","type":"CEL"}]}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
