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
// "resolved" of a schema without references is its text, Protobuf
// "ignore_extensions" leaves out extend blocks and custom options (on the
// id and version lookups and their /schema texts), and an unknown form, or
// one the format does not have, is the stored text, as Confluent answers.
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
	for _, tc := range []struct{ path, want string }{
		{fmt.Sprintf("/schemas/ids/%d/schema?format=serialized", avroID.ID), `{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}`},
		{fmt.Sprintf("/schemas/ids/%d/schema?format=nonsense", pbID.ID), proto3},
		{"/subjects/orders-proto/versions/1/schema?format=resolved", proto3},
	} {
		resp := srv.mustDo(t, request{Method: "GET", Path: tc.path}, 200)
		if string(resp.Body) != tc.want {
			t.Errorf("GET %s = %s, want the stored text %s", tc.path, resp.Body, tc.want)
		}
	}
}

// TestIgnoreExtensionsFormat covers format=ignore_extensions on every
// lookup that takes a format.
func TestIgnoreExtensionsFormat(t *testing.T) {
	t.Parallel()
	srv := newServer(t, servertest.SQLite, server.Config{})
	text := `syntax = "proto2";
package shop.v1;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { optional string pii = 50300; }
message Order {
  extensions 100 to 199;
  optional string email = 1 [(pii) = "mask", deprecated = true];
}
extend Order { optional int32 priority = 100; }
`
	want := `syntax = "proto2";
package shop.v1;

import "google/protobuf/descriptor.proto";

message Order {
  extensions 100 to 199;
  optional string email = 1 [deprecated = true];
}
`
	reg := srv.mustDo(t, request{Method: "POST", Path: "/subjects/orders/versions", Body: schemaBody(t, "PROTOBUF", text)}, 200)
	var id struct{ ID int }
	if err := json.Unmarshal(reg.Body, &id); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		fmt.Sprintf("/schemas/ids/%d?format=ignore_extensions", id.ID),
		"/subjects/orders/versions/1?format=ignore_extensions",
		"/subjects/orders/versions/latest?format=ignore_extensions",
	} {
		var got struct{ Schema string }
		if err := json.Unmarshal(srv.mustDo(t, request{Method: "GET", Path: path}, 200).Body, &got); err != nil {
			t.Fatal(err)
		}
		if got.Schema != want {
			t.Errorf("GET %s schema =\n%s\nwant\n%s", path, got.Schema, want)
		}
	}
	for _, path := range []string{
		fmt.Sprintf("/schemas/ids/%d/schema?format=ignore_extensions", id.ID),
		"/subjects/orders/versions/1/schema?format=ignore_extensions",
	} {
		if got := srv.mustDo(t, request{Method: "GET", Path: path}, 200).Body; string(got) != want {
			t.Errorf("GET %s =\n%s\nwant\n%s", path, got, want)
		}
	}
	// Without the parameter the stored text is unchanged.
	if got := srv.mustDo(t, request{Method: "GET", Path: "/subjects/orders/versions/1/schema"}, 200).Body; string(got) != text {
		t.Errorf("stored text = %s, want %s", got, text)
	}
}
