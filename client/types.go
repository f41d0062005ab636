package client

import "encoding/json"

// Schema types as the API spells its schemaType field. An empty type means
// Avro.
const (
	TypeAvro     = "AVRO"
	TypeProtobuf = "PROTOBUF"
	TypeJSON     = "JSON"
)

// Latest selects a subject's latest version wherever a version number is
// expected (the API's "latest", or -1).
const Latest = -1

// Reference points from one schema to a registered subject version.
type Reference struct {
	// Name is the Avro full name or the Protobuf import path under which
	// the referencing schema uses the referenced one.
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// Schema is schema text with its type and references, as sent to register,
// look up or check a schema, and as returned by GET /schemas/ids/{id}.
type Schema struct {
	Schema string `json:"schema"`
	// SchemaType is TypeAvro (or empty), TypeProtobuf or TypeJSON.
	SchemaType string      `json:"schemaType,omitempty"`
	References []Reference `json:"references,omitempty"`
	// Metadata and RuleSet are Confluent data-contract fields, passed
	// through unchanged.
	Metadata json.RawMessage `json:"metadata,omitempty"`
	RuleSet  json.RawMessage `json:"ruleSet,omitempty"`
}

// Type returns the schema type with the API's default applied: an empty
// SchemaType is Avro.
func (s Schema) Type() string {
	if s.SchemaType == "" {
		return TypeAvro
	}
	return s.SchemaType
}

// SubjectVersion is one version of a subject with its schema.
type SubjectVersion struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
	ID      int    `json:"id"`
	Schema
}

// Registered is the answer to a registration. Version is filled only by
// registries that return it (ours and recent Confluent releases); older
// ones answer with the id alone.
type Registered struct {
	ID      int `json:"id"`
	Version int `json:"version,omitempty"`
}

// Position is a line and column in schema text, counting from 1. The zero
// Position means unknown.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Finding is one problem reported by a verbose compatibility check: this
// registry's extension of the Confluent response.
type Finding struct {
	RuleID   string `json:"ruleId"`
	Severity string `json:"severity"`
	// Path is the schema path of the element, e.g. "Order.items[].price".
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
	// Version is the registered version the new schema was compared with.
	Version   int    `json:"version,omitempty"`
	Direction string `json:"direction,omitempty"`
	// New locates the element in the schema text that was sent; Old in
	// the registered version. Either may be nil.
	New      *Position `json:"new,omitempty"`
	Old      *Position `json:"old,omitempty"`
	Consumer string    `json:"consumer,omitempty"`
}

// CompatibilityResult is the answer to a compatibility check.
type CompatibilityResult struct {
	IsCompatible bool `json:"is_compatible"`
	// Messages are Confluent's human-readable reasons.
	Messages []string `json:"messages,omitempty"`
	// Findings are the same reasons, structured; empty when the registry
	// does not implement the extension.
	Findings []Finding `json:"findings,omitempty"`
}

// Config is a subject's (or the global) compatibility configuration as
// GET /config answers it. Pointer fields are nil when the registry did not
// send them: plain Confluent registries send only the level.
type Config struct {
	CompatibilityLevel string `json:"compatibilityLevel,omitempty"`
	// AdditiveOnly is the "deprecate, don't delete" policy.
	AdditiveOnly *bool `json:"additiveOnly,omitempty"`
	// Normalize makes registrations normalize by default.
	Normalize *bool `json:"normalize,omitempty"`
	// MinDeprecationDays is how long an element without a sunset date must
	// stay deprecated before it may be removed.
	MinDeprecationDays *int `json:"minDeprecationDays,omitempty"`
	// ConsumerBreakage is "reject" or "warn".
	ConsumerBreakage string `json:"consumerBreakage,omitempty"`
}

// ConfigUpdate is the body of PUT /config: only the fields set are
// changed. The registry echoes the update back.
type ConfigUpdate struct {
	Compatibility      string `json:"compatibility,omitempty"`
	AdditiveOnly       *bool  `json:"additiveOnly,omitempty"`
	Normalize          *bool  `json:"normalize,omitempty"`
	MinDeprecationDays *int   `json:"minDeprecationDays,omitempty"`
	ConsumerBreakage   string `json:"consumerBreakage,omitempty"`
}

// Registry modes.
const (
	ModeReadWrite        = "READWRITE"
	ModeReadOnly         = "READONLY"
	ModeReadOnlyOverride = "READONLY_OVERRIDE"
	ModeImport           = "IMPORT"
)

// errorBody is the Confluent error body.
type errorBody struct {
	ErrorCode int    `json:"error_code"`
	Message   string `json:"message"`
}
