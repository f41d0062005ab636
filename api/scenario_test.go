package api_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// step is one raw HTTP exchange of the scenario.
type step struct {
	request
	// Status is the status the step must answer.
	Status int
}

// scenario walks a subject's life over raw HTTP, touching every endpoint
// and every error code the registry answers. Each exchange is recorded
// into a transcript compared with testdata/scenario.golden, identical for
// every backend.
func scenario(t *testing.T) []step {
	t.Helper()
	get := func(path string, status int) step {
		return step{request{Method: "GET", Path: path}, status}
	}
	del := func(path string, status int) step {
		return step{request{Method: "DELETE", Path: path}, status}
	}
	post := func(path, body string, status int) step {
		return step{request{Method: "POST", Path: path, Body: body}, status}
	}
	put := func(path, body string, status int) step {
		return step{request{Method: "PUT", Path: path, Body: body}, status}
	}
	avro := func(text string) string { return schemaBody(t, "", text) }
	commonRef := map[string]any{"name": "common.proto", "subject": "common-value", "version": 1}

	return []step{
		// Server metadata.
		get("/", 200),
		get("/schemas/types", 200),
		get("/contexts", 200),
		get("/v1/metadata/id", 200),
		get("/config", 200),
		get("/mode", 200),

		// An empty registry.
		get("/subjects", 200),
		get("/schemas", 200),
		get("/subjects/orders-value/versions", 404),
		get("/subjects/orders-value/versions/1", 404),
		get("/subjects/orders-value/versions/latest", 404),
		get("/schemas/ids/1", 404),
		post("/subjects/orders-value", avro(avroOrderV1), 404),
		post("/compatibility/subjects/orders-value/versions?verbose=true", avro(avroOrderV1), 200),

		// Registration and idempotent re-registration.
		post("/subjects/orders-value/versions", avro(avroOrderV1), 200),
		post("/subjects/orders-value/versions", avro(avroOrderV1), 200),
		post("/subjects/orders-value/versions", schemaBody(t, "JSON", `{"type":"object"}`), 409),
		post("/subjects/orders-value/versions", schemaBody(t, "XML", `<a/>`), 422),
		post("/subjects/orders-value/versions", avro(`{"type":"record","name":"Broken"`), 422),

		// Version and id parameters.
		get("/subjects/orders-value/versions/0", 422),
		get("/subjects/orders-value/versions/abc", 422),
		get("/subjects/orders-value/versions/2", 404),
		get("/schemas/ids/999", 404),
		get("/schemas/ids/abc", 404),
		get("/schemas/ids/1?format=serialized", 200),

		// Compatibility and the 409 on an incompatible registration.
		post("/compatibility/subjects/orders-value/versions/latest", avro(avroOrderBroken), 200),
		post("/compatibility/subjects/orders-value/versions/latest?verbose=true", avro(avroOrderBroken), 200),
		post("/compatibility/subjects/orders-value/versions?verbose=true", avro(avroOrderV2), 200),
		post("/compatibility/subjects/orders-value/versions/7", avro(avroOrderV2), 404),
		post("/subjects/orders-value/versions", avro(avroOrderBroken), 409),
		post("/subjects/orders-value/versions", avro(avroOrderV2), 200),

		// Reads.
		get("/subjects", 200),
		get("/subjects/orders-value/versions", 200),
		get("/subjects/orders-value/versions/1", 200),
		get("/subjects/orders-value/versions/latest", 200),
		get("/subjects/orders-value/versions/-1/schema", 200),
		get("/schemas/ids/1", 200),
		get("/schemas/ids/1/schema", 200),
		get("/schemas/ids/1/subjects", 200),
		get("/schemas/ids/2/versions", 200),
		get("/schemas?subjectPrefix=orders&latestOnly=true", 200),
		get("/schemas?offset=1&limit=1", 200),
		get("/subjects?offset=x", 400),
		post("/subjects/orders-value", avro(avroOrderV1), 200),
		post("/subjects/orders-value", avro(avroOrderBroken), 404),

		// Config.
		put("/config/orders-value", `{"compatibility":"FULL"}`, 200),
		get("/config/orders-value", 200),
		get("/config/orders-value?defaultToGlobal=true", 200),
		get("/config/other-value", 404),
		get("/config/other-value?defaultToGlobal=true", 200),
		put("/config", `{"compatibility":"BOGUS"}`, 422),
		put("/config", `{}`, 200),
		put("/config/orders-value", `{"additiveOnly":false,"minDeprecationDays":7,"consumerBreakage":"warn","normalize":true}`, 200),
		put("/config/orders-value", `{"consumerBreakage":"sometimes"}`, 422),
		del("/config/orders-value", 200),
		del("/config/other-value", 404),

		// Mode.
		put("/mode", `{"mode":"BOGUS"}`, 422),
		put("/mode/orders-value", `{"mode":"READONLY"}`, 200),
		get("/mode/orders-value", 200),
		post("/subjects/orders-value/versions", avro(`{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"note","type":"string","default":""},{"name":"qty","type":"int","default":0}]}`), 422),
		del("/mode/orders-value", 200),
		get("/mode/orders-value", 404),
		get("/mode/orders-value?defaultToGlobal=true", 200),
		put("/mode/import-value", `{"mode":"import"}`, 200),
		del("/mode/import-value", 200),

		// The delete state machine.
		del("/subjects/orders-value?permanent=true", 404),
		del("/subjects/orders-value/versions/1?permanent=true", 404),
		del("/subjects/orders-value/versions/1", 200),
		del("/subjects/orders-value/versions/1", 404),
		get("/subjects/orders-value/versions", 200),
		get("/subjects/orders-value/versions?deleted=true", 200),
		get("/subjects/orders-value/versions?deletedOnly=true", 200),
		get("/subjects/orders-value/versions/1", 404),
		get("/subjects/orders-value/versions/1?deleted=true", 200),
		del("/subjects/orders-value", 200),
		del("/subjects/orders-value", 404),
		get("/subjects", 200),
		get("/subjects?deleted=true", 200),
		get("/subjects?deletedOnly=true", 200),
		del("/subjects/orders-value?permanent=true", 200),
		get("/subjects?deleted=true", 200),
		del("/subjects/orders-value", 404),

		// Protobuf with references.
		post("/subjects/common-value/versions", schemaBody(t, "PROTOBUF", protoCommon), 200),
		post("/subjects/order-value/versions", schemaBody(t, "PROTOBUF", protoOrder), 422),
		post("/subjects/order-value/versions", schemaBody(t, "PROTOBUF", protoOrder, commonRef), 200),
		get("/subjects/order-value/versions/latest", 200),
		get("/subjects/common-value/versions/1/referencedby", 200),
		del("/subjects/common-value/versions/1", 422),
		del("/subjects/common-value", 422),
		post("/subjects/order-value", schemaBody(t, "PROTOBUF", protoOrder, commonRef), 200),

		// Transport errors.
		post("/subjects/x-value/versions", `{"schema": `, 400),
		post("/subjects/x-value/versions", `{"schema": "a"} trailing`, 400),
		post("/subjects/x-value/versions", `{"schema": 42}`, 422),
		post("/subjects/x-value/versions", `[]`, 422),
		get("/no/such/route", 404),
		{request{Method: "PATCH", Path: "/subjects"}, 405},
	}
}

func TestScenario(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		var transcript bytes.Buffer
		for _, st := range scenario(t) {
			resp := s.do(t, st.request)
			fmt.Fprintf(&transcript, "### %s %s\n", st.Method, st.Path)
			if st.Body != "" {
				fmt.Fprintf(&transcript, "%s\n", st.Body)
			}
			fmt.Fprintf(&transcript, "--> %d %s\n%s\n\n", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
			if resp.Status != st.Status {
				t.Errorf("%s %s: status %d, want %d; body %s", st.Method, st.Path, resp.Status, st.Status, resp.Body)
			}
		}
		golden.Assert(t, filepath.Join("testdata", "scenario.golden"), transcript.Bytes())
	})
}
