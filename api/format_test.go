package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// TestSchemaFormats covers the format query parameter of the by-id
// lookups: Protobuf "serialized" is a base64 FileDescriptorProto, Avro
// "resolved" of a schema without references is its text, and a form the
// format does not have is a 400.
func TestSchemaFormats(t *testing.T) {
	t.Parallel()
	srv := newServer(t, servertest.SQLite, server.Config{})
	proto3 := `syntax = "proto3"; package shop.v1; message Order { int64 id = 1; }`
	pb := srv.mustDo(t, request{Method: "POST", Path: "/subjects/orders-proto/versions",
		Body: schemaBody(t, "PROTOBUF", proto3)}, 200)
	avro := srv.mustDo(t, request{Method: "POST", Path: "/subjects/orders-avro/versions",
		Body: schemaBody(t, "", `{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}`)}, 200)
	var pbID, avroID struct{ ID int }
	if err := json.Unmarshal(pb.Body, &pbID); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(avro.Body, &avroID); err != nil {
		t.Fatal(err)
	}

	resp := srv.mustDo(t, request{Method: "GET", Path: fmt.Sprintf("/schemas/ids/%d?format=serialized", pbID.ID)}, 200)
	var got struct {
		Schema     string `json:"schema"`
		SchemaType string `json:"schemaType"`
	}
	if err := json.Unmarshal(resp.Body, &got); err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(got.Schema)
	if err != nil {
		t.Fatalf("serialized schema is not base64: %v", err)
	}
	var fd descriptorpb.FileDescriptorProto
	if err := proto.Unmarshal(raw, &fd); err != nil {
		t.Fatalf("serialized schema is not a FileDescriptorProto: %v", err)
	}
	if fd.GetPackage() != "shop.v1" || len(fd.GetMessageType()) != 1 || fd.GetMessageType()[0].GetName() != "Order" || got.SchemaType != "PROTOBUF" {
		t.Fatalf("descriptor = package %q, messages %v, schemaType %q", fd.GetPackage(), fd.GetMessageType(), got.SchemaType)
	}
	text := srv.mustDo(t, request{Method: "GET", Path: fmt.Sprintf("/schemas/ids/%d/schema?format=serialized", pbID.ID)}, 200)
	if string(text.Body) != got.Schema {
		t.Fatalf("/schema?format=serialized = %q, want %q", text.Body, got.Schema)
	}

	plain := srv.mustDo(t, request{Method: "GET", Path: fmt.Sprintf("/schemas/ids/%d", avroID.ID)}, 200)
	resolved := srv.mustDo(t, request{Method: "GET", Path: fmt.Sprintf("/schemas/ids/%d?format=resolved", avroID.ID)}, 200)
	if string(plain.Body) != string(resolved.Body) {
		t.Fatalf("resolved form of a schema without references = %s, want %s", resolved.Body, plain.Body)
	}
	for _, path := range []string{
		fmt.Sprintf("/schemas/ids/%d?format=serialized", avroID.ID),
		fmt.Sprintf("/schemas/ids/%d?format=nonsense", pbID.ID),
	} {
		resp := srv.do(t, request{Method: "GET", Path: path})
		if resp.Status != 400 {
			t.Errorf("GET %s = %d %s, want 400", path, resp.Status, resp.Body)
		}
	}
}
