package client

import "github.com/schemata-dev/schemata/srapi"

// The bodies the client sends and receives are the contract's own types
// (package srapi); these aliases keep the names callers already use.
type (
	// Reference points from one schema to a registered subject version.
	Reference = srapi.Reference
	// Schema is schema text with its type and references.
	Schema = srapi.Schema
	// SubjectVersion is one version of a subject with its schema.
	SubjectVersion = srapi.SubjectVersion
	// Registered is the answer to a registration. Version is filled only
	// by registries that return it (ours and recent Confluent releases).
	Registered = srapi.RegisterResponse
	// Position is a line and column in schema text, counting from 1.
	Position = srapi.Position
	// Finding is one problem reported by a verbose compatibility check.
	Finding = srapi.Finding
	// CompatibilityResult is the answer to a verbose compatibility check.
	CompatibilityResult = srapi.VerboseCompatibilityCheck
	// Config is a compatibility configuration as GET /config answers it.
	Config = srapi.Config
	// ConfigUpdate is the body of PUT /config: only the fields set change.
	ConfigUpdate = srapi.ConfigUpdate
)

// Schema types as the API spells its schemaType field. An empty type means
// Avro.
const (
	TypeAvro     = srapi.TypeAvro
	TypeProtobuf = srapi.TypeProtobuf
	TypeJSON     = srapi.TypeJSON
)

// Latest selects a subject's latest version wherever a version number is
// expected (the API's "latest", or -1).
const Latest = srapi.Latest

// Registry modes.
const (
	ModeReadWrite        = srapi.ModeReadWrite
	ModeReadOnly         = srapi.ModeReadOnly
	ModeReadOnlyOverride = srapi.ModeReadOnlyOverride
	ModeImport           = srapi.ModeImport
)

// RegisterRequest is the body of a registration, with the id and version
// that IMPORT mode honours.
type RegisterRequest = srapi.RegisterRequest
