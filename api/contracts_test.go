package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"
	"github.com/twmb/franz-go/pkg/sr"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// contractBody encodes a registration body with a metadata and a rule set
// given as JSON ("" leaves the field out).
func contractBody(t *testing.T, text, metadata, ruleSet string) string {
	t.Helper()
	m := map[string]any{"schema": text}
	if metadata != "" {
		m["metadata"] = json.RawMessage(metadata)
	}
	if ruleSet != "" {
		m["ruleSet"] = json.RawMessage(ruleSet)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// versionOf reads one subject version as the wire renders it.
func versionOf(t *testing.T, s *testServer, subject, version string) srapi.SubjectVersion {
	t.Helper()
	return decode[srapi.SubjectVersion](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects/" + subject + "/versions/" + version}, http.StatusOK))
}

func registered(t *testing.T, s *testServer, subject, body string) srapi.RegisterResponse {
	t.Helper()
	return decode[srapi.RegisterResponse](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/" + subject + "/versions", Body: body}, http.StatusOK))
}

func putConfig(t *testing.T, s *testServer, path, body string) {
	t.Helper()
	s.mustDo(t, request{Method: http.MethodPut, Path: path, Body: body}, http.StatusOK)
}

const (
	ruleA = `{"domainRules":[{"name":"checkId","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"size(message.id) > 0"}]}`
	ruleB = `{"domainRules":[{"name":"checkId","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"message.id != 'x'"}]}`
)

// Metadata and rule sets are stored, returned by every read, and part of
// identity: the same text with another contract is a new version with a
// new id, and re-registering the same request is idempotent.
func TestContractsAreStoredReturnedAndPartOfIdentity(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{ConfluentDefaults: true})
		meta := `{"properties":{"owner":"team-a"},"tags":{"id":["PII","PII","A"]},"sensitive":["s2","s1"]}`
		first := registered(t, s, "orders-value", contractBody(t, avroOrderV1, meta, ruleA))
		if first.Metadata == nil || first.Metadata.Properties["owner"] != "team-a" || first.RuleSet == nil {
			t.Fatalf("registration answer = %+v, want the contract", first)
		}
		again := registered(t, s, "orders-value", contractBody(t, avroOrderV1, meta, ruleA))
		if again.ID != first.ID || again.Version != 1 {
			t.Errorf("re-registration = id %d version %d, want id %d version 1", again.ID, again.Version, first.ID)
		}

		v := versionOf(t, s, "orders-value", "1")
		if got := strings.Join(v.Metadata.Tags["id"], ","); got != "A,PII" {
			t.Errorf("tags = %q, want sorted and deduplicated A,PII", got)
		}
		if got := strings.Join(v.Metadata.Sensitive, ","); got != "s1,s2" {
			t.Errorf("sensitive = %q, want s1,s2", got)
		}
		if len(v.RuleSet.DomainRules) != 1 || v.RuleSet.DomainRules[0].Expr != "size(message.id) > 0" {
			t.Errorf("ruleSet = %+v", v.RuleSet)
		}
		byID := decode[srapi.Schema](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/schemas/ids/1"}, http.StatusOK))
		if byID.Metadata == nil || byID.RuleSet == nil || byID.RuleSet.DomainRules[0].Name != "checkId" {
			t.Errorf("GET /schemas/ids/1 = %+v, want the contract", byID)
		}

		other := registered(t, s, "orders-value", contractBody(t, avroOrderV1, meta, ruleB))
		if other.ID == first.ID || other.Version != 2 {
			t.Errorf("same text, other rule set = id %d version %d, want a new id and version 2", other.ID, other.Version)
		}

		// A lookup with a contract matches it exactly; without one it
		// matches the text, latest version first.
		look := decode[srapi.SubjectVersion](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/orders-value", Body: contractBody(t, avroOrderV1, meta, ruleA)}, http.StatusOK))
		if look.Version != 1 {
			t.Errorf("lookup with the first contract = version %d, want 1", look.Version)
		}
		look = decode[srapi.SubjectVersion](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/orders-value", Body: schemaBody(t, "", avroOrderV1)}, http.StatusOK))
		if look.Version != 2 {
			t.Errorf("lookup without a contract = version %d, want the latest, 2", look.Version)
		}
		wantError(t, s.do(t, request{Method: http.MethodPost, Path: "/subjects/orders-value", Body: contractBody(t, avroOrderV1, `{"properties":{"owner":"nobody"}}`, "")}), http.StatusNotFound, 40403)

		// A registration without a contract inherits the latest version's.
		third := registered(t, s, "orders-value", schemaBody(t, "", avroOrderV2))
		v3 := versionOf(t, s, "orders-value", "3")
		if third.Version != 3 || v3.Metadata == nil || v3.Metadata.Properties["owner"] != "team-a" || v3.RuleSet.DomainRules[0].Expr != "message.id != 'x'" {
			t.Errorf("inherited contract = %+v / %+v, want version 3 with version 2's metadata and rule set", third, v3)
		}
		// ... and re-registering it finds version 3 again.
		if again := registered(t, s, "orders-value", schemaBody(t, "", avroOrderV2)); again.Version != 3 {
			t.Errorf("re-registration without a contract = version %d, want 3", again.Version)
		}
		// An empty contract does not inherit.
		registered(t, s, "orders-value", contractBody(t, avroOrderV2, `{}`, `{}`))
		if v4 := versionOf(t, s, "orders-value", "4"); v4.Metadata != nil || v4.RuleSet != nil {
			t.Errorf("registration with empty contract = %+v, want none stored", v4)
		}
	})
}

// Config defaults and overrides merge in Confluent's order: default, then
// the request's (or the previous version's), then override.
func TestConfigContractsMergeAtRegistration(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{ConfluentDefaults: true})
		putConfig(t, s, "/config/merged-value", `{
			"defaultMetadata": {"properties": {"source": "default", "tier": "bronze"}, "sensitive": ["a"]},
			"overrideMetadata": {"properties": {"tier": "gold"}},
			"defaultRuleSet": {"domainRules": [{"name": "base", "type": "CEL", "mode": "WRITE", "expr": "true"}, {"name": "shared", "type": "CEL", "mode": "WRITE", "expr": "default"}]},
			"overrideRuleSet": {"domainRules": [{"name": "enforced", "type": "CEL", "mode": "READ", "expr": "override"}]}}`)
		registered(t, s, "merged-value", contractBody(t, avroOrderV1,
			`{"properties": {"owner": "team-a", "tier": "silver"}, "sensitive": ["b"]}`,
			`{"domainRules": [{"name": "shared", "type": "CEL", "mode": "WRITE", "expr": "request"}]}`))
		v := versionOf(t, s, "merged-value", "1")
		wantProps := map[string]string{"source": "default", "owner": "team-a", "tier": "gold"}
		if !equalMaps(v.Metadata.Properties, wantProps) || strings.Join(v.Metadata.Sensitive, ",") != "a,b" {
			t.Errorf("merged metadata = %+v, want properties %v and sensitive a,b", v.Metadata, wantProps)
		}
		var names, exprs []string
		for _, r := range v.RuleSet.DomainRules {
			names = append(names, r.Name)
			exprs = append(exprs, r.Expr)
		}
		if got := strings.Join(names, ","); got != "base,shared,enforced" || exprs[1] != "request" {
			t.Errorf("merged rules = %v %v, want base,shared(request),enforced", names, exprs)
		}
		// Kind and mode defaults are explicit once stored.
		if r := v.RuleSet.DomainRules[0]; r.Kind != srapi.RuleKindTransform {
			t.Errorf("rule kind = %q, want TRANSFORM by default", r.Kind)
		}

		// The global default applies to a subject without config, and
		// re-registering under it stays idempotent.
		putConfig(t, s, "/config", `{"defaultMetadata": {"properties": {"org": "acme"}}}`)
		first := registered(t, s, "global-value", schemaBody(t, "", avroOrderV1))
		if v := versionOf(t, s, "global-value", "1"); v.Metadata == nil || v.Metadata.Properties["org"] != "acme" {
			t.Errorf("global default not applied: %+v", v)
		}
		if again := registered(t, s, "global-value", schemaBody(t, "", avroOrderV1)); again.ID != first.ID || again.Version != 1 {
			t.Errorf("re-registration under defaults = %+v, want version 1 again", again)
		}
		// Changing the override makes the same request a new version: a
		// remembered answer does not outlive the config.
		putConfig(t, s, "/config/global-value", `{"overrideMetadata": {"properties": {"org": "other"}}}`)
		if next := registered(t, s, "global-value", schemaBody(t, "", avroOrderV1)); next.Version != 2 || next.Metadata.Properties["org"] != "other" {
			t.Errorf("registration after the override changed = %+v, want version 2 with org other", next)
		}
	})
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Every data-contract config field is stored, returned, inherited under
// defaultToGlobal, cleared by null, and deleted with the subject's config.
func TestConfigContractFieldsRoundTrip(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		body := `{"compatibility":"FULL","validateFields":true,"alias":"target-value","compatibilityGroup":"major",
			"defaultMetadata":{"properties":{"k":"v"}},"overrideMetadata":{"tags":{"a":["T"]}},
			"defaultRuleSet":{"migrationRules":[{"name":"up","type":"JSONATA","mode":"UPGRADE","expr":"$"}]},
			"overrideRuleSet":{"encodingRules":[{"name":"enc","type":"ENCRYPT","mode":"WRITEREAD","params":{"k":"v"}}]}}`
		echo := decode[srapi.ConfigUpdate](t, s.mustDo(t, request{Method: http.MethodPut, Path: "/config/sub-value", Body: body}, http.StatusOK))
		if echo.Alias == nil || *echo.Alias != "target-value" || echo.DefaultRuleSet == nil {
			t.Errorf("PUT answer = %s", jsonBody(t, echo))
		}
		got := decode[srapi.Config](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/config/sub-value"}, http.StatusOK))
		if got.CompatibilityLevel != "FULL" || got.ValidateFields == nil || !*got.ValidateFields ||
			got.CompatibilityGroup == nil || *got.CompatibilityGroup != "major" ||
			got.DefaultMetadata.Properties["k"] != "v" || got.OverrideMetadata.Tags["a"][0] != "T" ||
			got.DefaultRuleSet.MigrationRules[0].Mode != "UPGRADE" || got.OverrideRuleSet.EncodingRules[0].Params["k"] != "v" {
			t.Errorf("GET /config/sub-value = %s", jsonBody(t, got))
		}

		// Global contract fields are inherited with defaultToGlobal.
		putConfig(t, s, "/config", `{"compatibilityGroup":"app","validateFields":false}`)
		inherited := decode[srapi.Config](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/config/other-value?defaultToGlobal=true"}, http.StatusOK))
		if inherited.CompatibilityGroup == nil || *inherited.CompatibilityGroup != "app" || inherited.ValidateFields == nil {
			t.Errorf("inherited config = %s, want the global compatibilityGroup and validateFields", jsonBody(t, inherited))
		}
		wantError(t, s.do(t, request{Method: http.MethodGet, Path: "/config/other-value"}), http.StatusNotFound, 40408)

		// null clears a field, an empty alias clears the alias, and a
		// field left out keeps its value.
		putConfig(t, s, "/config/sub-value", `{"defaultMetadata":null,"validateFields":null,"alias":""}`)
		got = decode[srapi.Config](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/config/sub-value"}, http.StatusOK))
		if got.DefaultMetadata != nil || got.ValidateFields != nil || got.Alias != nil {
			t.Errorf("after clearing = %s, want defaultMetadata, validateFields and alias gone", jsonBody(t, got))
		}
		if got.CompatibilityLevel != "FULL" || got.OverrideMetadata == nil || got.DefaultRuleSet == nil {
			t.Errorf("after clearing = %s, want the other fields kept", jsonBody(t, got))
		}

		deleted := decode[srapi.Config](t, s.mustDo(t, request{Method: http.MethodDelete, Path: "/config/sub-value"}, http.StatusOK))
		if deleted.OverrideRuleSet == nil {
			t.Errorf("DELETE answer = %s, want the config in force before", jsonBody(t, deleted))
		}
		wantError(t, s.do(t, request{Method: http.MethodGet, Path: "/config/sub-value"}), http.StatusNotFound, 40408)
	})
}

// Bad input is refused with a clear 4xx naming the problem, and nothing
// is stored: unknown or misspelled fields, unimplemented Confluent
// fields, malformed rule sets, bad aliases.
func TestContractsBadInputIsRefusedAndNothingStored(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		putConfig(t, s, "/config/kept-value", `{"compatibility":"FULL"}`)
		schema := `"schema":"{\"type\":\"string\"}"`
		tests := []struct {
			name   string
			req    request
			status int
			code   int
			names  string
		}{
			{"MisspelledConfigField", request{Method: http.MethodPut, Path: "/config/kept-value", Body: `{"compatibility":"NONE","defaultMetadta":{}}`}, 422, 42203, "defaultMetadta"},
			{"UnknownGlobalConfigField", request{Method: http.MethodPut, Path: "/config", Body: `{"compatibilityLevl":"NONE"}`}, 422, 42203, "compatibilityLevl"},
			{"UnknownFieldInConfigMetadata", request{Method: http.MethodPut, Path: "/config/kept-value", Body: `{"defaultMetadata":{"propertes":{}}}`}, 422, 42203, "propertes"},
			{"ValidateRulesTrue", request{Method: http.MethodPut, Path: "/config/kept-value", Body: `{"validateRules":true}`}, 422, 42203, "validateRules"},
			{"CompatibilityPolicy", request{Method: http.MethodPut, Path: "/config/kept-value", Body: `{"compatibilityPolicy":"x"}`}, 422, 42203, "compatibilityPolicy"},
			{"BadRuleModeInConfig", request{Method: http.MethodPut, Path: "/config/kept-value", Body: `{"defaultRuleSet":{"domainRules":[{"name":"r","type":"CEL","mode":"UPGRADE"}]}}`}, 422, 42210, "UPGRADE"},
			{"AliasToItself", request{Method: http.MethodPut, Path: "/config/kept-value", Body: `{"alias":"kept-value"}`}, 422, 42203, "itself"},
			{"GlobalAlias", request{Method: http.MethodPut, Path: "/config", Body: `{"alias":"kept-value"}`}, 422, 42203, "alias"},
			{"UnknownRegistrationField", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"schemaTyp":"AVRO"}`}, 422, 422, "schemaTyp"},
			{"UnknownFieldInRule", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"ruleSet":{"domainRules":[{"name":"r","type":"CEL","exp":"x"}]}}`}, 422, 422, "exp"},
			{"BadRuleKind", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"ruleSet":{"domainRules":[{"name":"r","type":"CEL","kind":"MAYBE"}]}}`}, 422, 42210, "MAYBE"},
			{"BadRuleMode", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"ruleSet":{"migrationRules":[{"name":"r","type":"CEL","mode":"WRITE"}]}}`}, 422, 42210, "migration rules"},
			{"DuplicateRuleName", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"ruleSet":{"domainRules":[{"name":"r","type":"CEL"}],"encodingRules":[{"name":"r","type":"CEL"}]}}`}, 422, 42210, "duplicate"},
			{"RuleWithoutType", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"ruleSet":{"domainRules":[{"name":"r"}]}}`}, 422, 42210, "type"},
			{"BadRuleName", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"ruleSet":{"domainRules":[{"name":"1r","type":"CEL"}]}}`}, 422, 42210, "1r"},
			{"SchemaTags", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"schemaTagsToAdd":[{"schemaTagsPath":"a","tags":["T"]}]}`}, 422, 422, "schemaTagsToAdd"},
			{"MistypedMetadata", request{Method: http.MethodPost, Path: "/subjects/bad-value/versions", Body: `{` + schema + `,"metadata":{"properties":{"a":1}}}`}, 422, 422, "metadata.properties"},
			{"UnknownLookupField", request{Method: http.MethodPost, Path: "/subjects/kept-value", Body: `{` + schema + `,"extra":1}`}, 422, 422, "extra"},
			{"UnknownCompatibilityField", request{Method: http.MethodPost, Path: "/compatibility/subjects/kept-value/versions", Body: `{` + schema + `,"extra":1}`}, 422, 422, "extra"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := s.do(t, tc.req)
				wantError(t, r, tc.status, tc.code)
				if !strings.Contains(string(r.Body), tc.names) {
					t.Errorf("error %s does not name %q", r.Body, tc.names)
				}
			})
		}
		got := decode[srapi.Config](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/config/kept-value"}, http.StatusOK))
		if got.CompatibilityLevel != "FULL" || got.Alias != nil || got.DefaultRuleSet != nil || got.DefaultMetadata != nil {
			t.Errorf("config after refusals = %s, want it unchanged", jsonBody(t, got))
		}
		if subs := decode[[]string](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects"}, http.StatusOK)); len(subs) != 0 {
			t.Errorf("subjects after refusals = %v, want none", subs)
		}
		// Known Confluent fields with their neutral values are accepted.
		s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/ok-value/versions", Body: `{` + schema + `,"schemaTagsToAdd":[],"propagateSchemaTags":false,"metadata":null,"ruleSet":null}`}, http.StatusOK)
		putConfig(t, s, "/config/kept-value", `{"compatibility":"FULL","validateRules":false,"compatibilityPolicy":null}`)
	})
}

// A cycle of aliases is refused; a chain is allowed and resolved one step.
func TestAliasCyclesAreRefused(t *testing.T) {
	t.Parallel()
	s := newServer(t, servertest.Backends()[0], server.Config{})
	putConfig(t, s, "/config/a-value", `{"alias":"b-value"}`)
	putConfig(t, s, "/config/b-value", `{"alias":"c-value"}`)
	r := s.do(t, request{Method: http.MethodPut, Path: "/config/c-value", Body: `{"alias":"a-value"}`})
	wantError(t, r, http.StatusUnprocessableEntity, 42203)
	if !strings.Contains(string(r.Body), "cycle") {
		t.Errorf("error %s does not say cycle", r.Body)
	}
	wantError(t, s.do(t, request{Method: http.MethodGet, Path: "/config/c-value"}), http.StatusNotFound, 40408)
}

// Reads, registrations, lookups and compatibility checks through an alias
// act on its target.
func TestAliasActsOnItsTarget(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{ConfluentDefaults: true})
		registered(t, s, "target-value", schemaBody(t, "", avroOrderV1))
		putConfig(t, s, "/config/short", `{"alias":"target-value"}`)

		if v := versionOf(t, s, "short", "1"); v.Subject != "target-value" {
			t.Errorf("GET through the alias = %+v, want target-value's version", v)
		}
		if vs := decode[[]int](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects/short/versions"}, http.StatusOK)); len(vs) != 1 {
			t.Errorf("versions through the alias = %v", vs)
		}
		look := decode[srapi.SubjectVersion](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/short", Body: schemaBody(t, "", avroOrderV1)}, http.StatusOK))
		if look.Subject != "target-value" {
			t.Errorf("lookup through the alias = %+v", look)
		}
		check := decode[srapi.CompatibilityCheck](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/compatibility/subjects/short/versions/latest", Body: schemaBody(t, "", avroOrderBroken)}, http.StatusOK))
		if check.IsCompatible {
			t.Errorf("an incompatible change through the alias was judged compatible")
		}
		if reg := registered(t, s, "short", schemaBody(t, "", avroOrderV2)); reg.Version != 2 {
			t.Errorf("registration through the alias = %+v, want version 2 of the target", reg)
		}
		if vs := decode[[]int](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects/target-value/versions"}, http.StatusOK)); len(vs) != 2 {
			t.Errorf("target versions = %v, want 2", vs)
		}
		wantError(t, s.do(t, request{Method: http.MethodGet, Path: "/subjects/short-unaliased/versions"}), http.StatusNotFound, 40401)
	})
}

// Under validateFields a reserved field may not be a field of the schema
// and may not leave the reserved list (409, Confluent's messages).
func TestReservedFields(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{ConfluentDefaults: true})
		reserved := func(fields string) string { return `{"properties":{"confluent:reserved":"` + fields + `"}}` }
		// Off by default.
		registered(t, s, "off-value", contractBody(t, avroOrderV1, reserved("id"), ""))

		putConfig(t, s, "/config/res-value", `{"compatibility":"NONE","validateFields":true}`)
		r := s.do(t, request{Method: http.MethodPost, Path: "/subjects/res-value/versions", Body: contractBody(t, avroOrderV1, reserved("x, id"), "")})
		wantError(t, r, http.StatusConflict, 409)
		if !strings.Contains(string(r.Body), "conflicts with the reserved field id") {
			t.Errorf("conflict error = %s", r.Body)
		}
		registered(t, s, "res-value", contractBody(t, avroOrderV1, reserved("future"), ""))
		r = s.do(t, request{Method: http.MethodPost, Path: "/subjects/res-value/versions", Body: contractBody(t, avroOrderV2, reserved("other"), "")})
		wantError(t, r, http.StatusConflict, 409)
		if !strings.Contains(string(r.Body), "reserved field future removed") {
			t.Errorf("removal error = %s", r.Body)
		}
		// The compatibility endpoint says the same.
		check := decode[srapi.CompatibilityCheck](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/compatibility/subjects/res-value/versions", Body: contractBody(t, avroOrderV2, reserved("other"), "")}, http.StatusOK))
		if check.IsCompatible {
			t.Error("compatibility check accepted the removal of a reserved field")
		}
		// Keeping the reservation, and adding one, is accepted; so is
		// inheriting it.
		registered(t, s, "res-value", contractBody(t, avroOrderV2, reserved("future,extra"), ""))
		protoMsg := "syntax = \"proto3\";\nmessage Order {\n  string id = 1;\n}\n"
		putConfig(t, s, "/config/proto-value", `{"validateFields":true}`)
		body := map[string]any{"schema": protoMsg, "schemaType": "PROTOBUF", "metadata": json.RawMessage(reserved("id"))}
		wantError(t, s.do(t, request{Method: http.MethodPost, Path: "/subjects/proto-value/versions", Body: jsonBody(t, body)}), http.StatusConflict, 409)
		jsonSchema := `{"type":"object","properties":{"id":{"type":"string"}}}`
		putConfig(t, s, "/config/json-value", `{"validateFields":true}`)
		body = map[string]any{"schema": jsonSchema, "schemaType": "JSON", "metadata": json.RawMessage(reserved("id"))}
		wantError(t, s.do(t, request{Method: http.MethodPost, Path: "/subjects/json-value/versions", Body: jsonBody(t, body)}), http.StatusConflict, 409)
	})
}

// Under compatibilityGroup a new schema is checked only against versions
// whose group property has its value.
func TestCompatibilityGroup(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{ConfluentDefaults: true})
		major := func(v string) string { return `{"properties":{"major":"` + v + `"}}` }
		putConfig(t, s, "/config/grp-value", `{"compatibility":"BACKWARD","compatibilityGroup":"major"}`)
		registered(t, s, "grp-value", contractBody(t, avroOrderV1, major("1"), ""))
		// Incompatible with version 1, but in another group: accepted.
		if reg := registered(t, s, "grp-value", contractBody(t, avroOrderBroken, major("2"), "")); reg.Version != 2 {
			t.Errorf("new group = %+v, want version 2", reg)
		}
		// In group 1, the same break is refused.
		r := s.do(t, request{Method: http.MethodPost, Path: "/subjects/grp-value/versions", Body: contractBody(t, avroOrderBroken, `{"properties":{"major":"1","x":"y"}}`, "")})
		wantError(t, r, http.StatusConflict, 409)
		// Without the group setting the break is refused too.
		putConfig(t, s, "/config/grp-value", `{"compatibilityGroup":null}`)
		wantError(t, s.do(t, request{Method: http.MethodPost, Path: "/subjects/grp-value/versions", Body: contractBody(t, avroOrderV1, major("3"), "")}), http.StatusConflict, 409)
	})
}

// normalize in config is the default of registrations and lookups.
func TestConfigNormalizeIsTheDefault(t *testing.T) {
	t.Parallel()
	s := newServer(t, servertest.Backends()[0], server.Config{ConfluentDefaults: true})
	putConfig(t, s, "/config/norm-value", `{"normalize":true}`)
	spaced := `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":{"type":"string"}}]}`
	first := registered(t, s, "norm-value", schemaBody(t, "", avroOrderV1))
	if again := registered(t, s, "norm-value", schemaBody(t, "", spaced)); again.ID != first.ID || again.Version != 1 {
		t.Errorf("an equal schema in another form = %+v, want version 1 (normalized)", again)
	}
	s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/norm-value", Body: schemaBody(t, "", spaced)}, http.StatusOK)
}

// The Confluent Go client registers and reads contracts and sets config
// defaults and overrides through its own types.
func TestContractsThroughTheConfluentClient(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{ConfluentDefaults: true})
		cl := confluentClient(t, s.URL)
		if _, err := cl.UpdateConfig("client-value", schemaregistry.ServerConfig{
			CompatibilityUpdate: schemaregistry.Backward,
			DefaultMetadata:     &schemaregistry.Metadata{Properties: map[string]string{"team": "platform"}},
			OverrideRuleSet: &schemaregistry.RuleSet{DomainRules: []schemaregistry.Rule{
				{Name: "encrypt", Kind: "TRANSFORM", Mode: "WRITEREAD", Type: "ENCRYPT", Tags: []string{"PII"}},
			}},
		}); err != nil {
			t.Fatalf("UpdateConfig: %v", err)
		}
		cfg, err := cl.GetConfig("client-value", false)
		if err != nil || cfg.DefaultMetadata == nil || cfg.DefaultMetadata.Properties["team"] != "platform" || cfg.OverrideRuleSet == nil {
			t.Fatalf("GetConfig = %+v, %v", cfg, err)
		}
		id, err := cl.Register("client-value", schemaregistry.SchemaInfo{
			Schema:   avroOrderV1,
			Metadata: &schemaregistry.Metadata{Tags: map[string][]string{"Order.id": {"PII"}}, Sensitive: []string{"id"}},
			RuleSet: &schemaregistry.RuleSet{MigrationRules: []schemaregistry.Rule{
				{Name: "up", Kind: "TRANSFORM", Mode: "UPGRADE", Type: "JSONATA", Expr: "$"},
			}},
		}, false)
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		latest, err := confluentClient(t, s.URL).GetLatestSchemaMetadata("client-value")
		if err != nil {
			t.Fatalf("GetLatestSchemaMetadata: %v", err)
		}
		if latest.ID != id || latest.Metadata == nil || latest.Metadata.Properties["team"] != "platform" ||
			latest.Metadata.Tags["Order.id"][0] != "PII" || latest.RuleSet == nil ||
			len(latest.RuleSet.MigrationRules) != 1 || len(latest.RuleSet.DomainRules) != 1 || latest.RuleSet.DomainRules[0].Type != "ENCRYPT" {
			t.Errorf("latest = %s, want the request's contract merged with the config's", jsonBody(t, latest))
		}

		// The latest version with given metadata properties.
		if _, err := cl.Register("client-value", schemaregistry.SchemaInfo{
			Schema: avroOrderV2, Metadata: &schemaregistry.Metadata{Properties: map[string]string{"major": "2"}},
		}, false); err != nil {
			t.Fatalf("Register v2: %v", err)
		}
		got, err := cl.GetLatestWithMetadata("client-value", map[string]string{"team": "platform"}, false)
		if err != nil || got.Version != 2 {
			t.Errorf("GetLatestWithMetadata(team=platform) = version %d, %v; want 2", got.Version, err)
		}
		got, err = cl.GetLatestWithMetadata("client-value", map[string]string{"team": "platform", "major": "1"}, false)
		if err == nil {
			t.Errorf("GetLatestWithMetadata(major=1) = version %d, want not found", got.Version)
		}
		first := decode[srapi.SubjectVersion](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects/client-value/metadata?key=team&value=platform&key=major&value=2"}, http.StatusOK))
		if first.Version != 2 {
			t.Errorf("metadata lookup = %+v", first)
		}
		wantError(t, s.do(t, request{Method: http.MethodGet, Path: "/subjects/client-value/metadata?key=team"}), http.StatusBadRequest, 400)
		wantError(t, s.do(t, request{Method: http.MethodGet, Path: "/subjects/nothing/metadata?key=a&value=b"}), http.StatusNotFound, 40401)
		wantError(t, s.do(t, request{Method: http.MethodGet, Path: "/subjects/client-value/metadata?key=a&value=b"}), http.StatusNotFound, 40403)
	})
}

// franz-go's client registers and reads contracts through its own types.
func TestContractsThroughFranzGo(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{ConfluentDefaults: true})
		cl := franzClient(t, s.URL)
		in := sr.Schema{
			Schema:         avroOrderV1,
			SchemaMetadata: &sr.SchemaMetadata{Properties: map[string]string{"owner": "team-a"}, Sensitive: []string{"id"}},
			SchemaRuleSet: &sr.SchemaRuleSet{DomainRules: []sr.SchemaRule{
				{Name: "checkId", Kind: sr.SchemaRuleKindCondition, Mode: sr.SchemaRuleModeWrite, Type: "CEL", Expr: "size(message.id) > 0"},
			}},
		}
		created, err := cl.CreateSchema(t.Context(), "franz-value", in)
		if err != nil {
			t.Fatalf("CreateSchema: %v", err)
		}
		got, err := cl.SchemaByVersion(t.Context(), "franz-value", -1)
		if err != nil {
			t.Fatalf("SchemaByVersion: %v", err)
		}
		if got.ID != created.ID || got.SchemaMetadata == nil || got.SchemaMetadata.Properties["owner"] != "team-a" ||
			got.SchemaRuleSet == nil || len(got.SchemaRuleSet.DomainRules) != 1 ||
			got.SchemaRuleSet.DomainRules[0].Kind != sr.SchemaRuleKindCondition || got.SchemaRuleSet.DomainRules[0].Mode != sr.SchemaRuleModeWrite {
			t.Errorf("read back = %s, want the contract registered", jsonBody(t, got))
		}
		// The same request again is the same version.
		again, err := cl.CreateSchema(t.Context(), "franz-value", in)
		if err != nil || again.ID != created.ID || again.Version != created.Version {
			t.Errorf("re-registration = %+v, %v; want %+v", again, err, created)
		}
	})
}
