// Package srapi is the contract of the schema registry's HTTP API: every
// request and response body, the Confluent error-code table and the shape
// of a compatibility finding, written once.
//
// The server (package api, and the auth admin API) renders these types,
// the Go client (package client) speaks them, and a test of the OpenAPI
// document (api/openapi) checks each documented component schema against
// the JSON fields of the type it describes, so the three cannot drift.
//
// It covers the Confluent Schema Registry REST API v1 (schemas, subjects,
// versions, registration, references, compatibility checks, config,
// mode, errors) and this registry's extensions: verbose findings, the
// policy fields of /config, /v1/consumers, /v1/deprecations,
// /v1/reports/deprecations, /v1/metadata and /v1/auth.
//
// srapi imports the standard library only, so that any Go program can
// speak the API without linking the registry: conversions from the
// registry's domain types live with the code that owns those types.
package srapi

// ContentType is the media type of request and response bodies.
const ContentType = "application/vnd.schemaregistry.v1+json"

// Schema types as the schemaType field spells them. An empty schemaType
// means Avro.
const (
	TypeAvro     = "AVRO"
	TypeProtobuf = "PROTOBUF"
	TypeJSON     = "JSON"
)

// Latest selects a subject's latest version wherever a version number is
// expected: the path segment "latest" or -1.
const Latest = -1

// Registry modes, as the mode field of /mode spells them.
const (
	ModeReadWrite        = "READWRITE"
	ModeReadOnly         = "READONLY"
	ModeReadOnlyOverride = "READONLY_OVERRIDE"
	ModeImport           = "IMPORT"
)
