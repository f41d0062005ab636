package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// jsClientResult is what e2e/js/jsonschema.mjs prints.
type jsClientResult struct {
	CustomerID         int             `json:"customerId"`
	OrderID            int             `json:"orderId"`
	MagicByte          int             `json:"magicByte"`
	EncodedID          int             `json:"encodedId"`
	Decoded            json.RawMessage `json:"decoded"`
	SchemaValidates    bool            `json:"schemaValidates"`
	LookedUpID         int             `json:"lookedUpId"`
	LatestID           int             `json:"latestId"`
	VersionID          int             `json:"versionId"`
	InvalidPayload     string          `json:"invalidPayload"`
	IncompatibleStatus json.RawMessage `json:"incompatibleStatus"`
}

// TestJSClientJSONSchema drives a registry, on every store, with the
// @kafkajs/confluent-schema-registry npm client: JSON Schema with a
// reference, encode and decode in the wire format, lookups, validation of
// payloads, and a refused incompatible version. Node and the client's
// modules (npm ci in e2e/js) are needed: missing, the test skips locally
// and fails in CI.
func TestJSClientJSONSchema(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("js", "node_modules", "@kafkajs", "confluent-schema-registry", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or the JavaScript client is missing (run npm ci in e2e/js): %v", err)
		}
		t.Skipf("node or the JavaScript client is missing (run npm ci in e2e/js): %v", err)
	}

	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		r := servertest.Start(t, servertest.WithBackend(b))
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "jsonschema.mjs", r.URL())
		cmd.Dir = "js"
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("node jsonschema.mjs: %v\nstdout: %s\nstderr: %s", err, stdout.Bytes(), stderr.Bytes())
		}

		var got jsClientResult
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatalf("output %q is not the expected JSON: %v", stdout.Bytes(), err)
		}
		if got.CustomerID <= 0 || got.OrderID <= 0 || got.CustomerID == got.OrderID {
			t.Errorf("ids: customer %d, order %d; want two distinct positive ids", got.CustomerID, got.OrderID)
		}
		if got.MagicByte != 0 || got.EncodedID != got.OrderID {
			t.Errorf("wire header: magic %d, id %d; want 0 and the order's id %d", got.MagicByte, got.EncodedID, got.OrderID)
		}
		var decoded, want any
		if err := json.Unmarshal(got.Decoded, &decoded); err != nil {
			t.Fatal(err)
		}
		// The message jsonschema.mjs encodes.
		if err := json.Unmarshal([]byte(`{"id":"o-1","quantity":2,"customer":{"id":"c-1","name":"Ada"}}`), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(decoded, want) {
			t.Errorf("decoded %s, want the encoded message", got.Decoded)
		}
		if !got.SchemaValidates {
			t.Error("the schema read back by id does not validate the message")
		}
		if got.LookedUpID != got.CustomerID {
			t.Errorf("lookup by schema = %d, want the customer's id %d", got.LookedUpID, got.CustomerID)
		}
		if got.LatestID != got.OrderID || got.VersionID != got.OrderID {
			t.Errorf("latest id %d, id of version 1 %d; want the order's id %d", got.LatestID, got.VersionID, got.OrderID)
		}
		if got.InvalidPayload != "ConfluentSchemaRegistryValidationError" {
			t.Errorf("encoding an invalid payload: %q, want a validation error", got.InvalidPayload)
		}
		if string(got.IncompatibleStatus) != "409" {
			t.Errorf("registering an incompatible version: status %s, want 409", got.IncompatibleStatus)
		}
	})
}
