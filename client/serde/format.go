package serde

import "github.com/schemata-dev/schemata/client"

// Format parses one schema type for serialization. Avro and Protobuf are
// built in; a JSON Schema format plugs in with WithFormats without
// changes to the Registry, Serializer or Deserializer.
type Format interface {
	// Type is the registry's schema type: "AVRO", "PROTOBUF", "JSON".
	Type() string
	// Parse parses s. deps are its transitive references, dependencies
	// before dependents, each under the name s (or another dependency)
	// references it by.
	Parse(s client.Schema, deps []Dependency) (Parsed, error)
}

// Dependency is a referenced schema, named as the referencing schema
// names it (an Avro full name or a Protobuf import path).
type Dependency struct {
	Name   string
	Schema client.Schema
}

// Parsed is a schema parsed by its Format: what encodes and decodes the
// payload after the wire-format header.
type Parsed interface {
	// AppendEncode appends the encoding of v to dst. For Protobuf the
	// encoding starts with the message-index list.
	AppendEncode(dst []byte, v any) ([]byte, error)
	// Decode decodes payload into v, a pointer to a Go value the format
	// can fill (a struct, map or any for Avro; a proto.Message for
	// Protobuf).
	Decode(payload []byte, v any) error
	// DecodeAny decodes payload into the format's generic representation
	// (map[string]any and friends for Avro, *dynamicpb.Message for
	// Protobuf).
	DecodeAny(payload []byte) (any, error)
}
