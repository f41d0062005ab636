package srapi

import (
	"strconv"
)

// Reference points from one schema to a registered subject version: an
// element of "references" in every schema-carrying body.
type Reference struct {
	// Name is the Avro full name or the Protobuf import path under which
	// the referencing schema uses the referenced one.
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// Schema is schema text with its type and references: the answer of
// GET /schemas/ids/{id}, and the part every other schema-carrying body
// shares. The registry always sends SchemaType, "AVRO" included, as
// Confluent 8 does; older registries omit it for Avro.
type Schema struct {
	// SchemaType is TypeAvro (or empty), TypeProtobuf or TypeJSON.
	SchemaType string      `json:"schemaType,omitempty"`
	Schema     string      `json:"schema"`
	References []Reference `json:"references,omitempty"`
	// Metadata and RuleSet are the Confluent data contract of the schema:
	// part of its identity, merged with the subject's config defaults and
	// overrides at registration (see contracts.go).
	Metadata *Metadata `json:"metadata,omitempty"`
	RuleSet  *RuleSet  `json:"ruleSet,omitempty"`
}

// SchemaByID is the answer of GET /schemas/ids/{id}: the schema, and
// with fetchMaxId=true the highest schema id assigned, as Confluent
// answers it.
type SchemaByID struct {
	Schema
	MaxID int `json:"maxId,omitempty"`
}

// Type returns the schema type with the API's default applied: an empty
// SchemaType is Avro.
func (s Schema) Type() string {
	if s.SchemaType == "" {
		return TypeAvro
	}
	return s.SchemaType
}

// SubjectVersion is one version of a subject with its schema, as
// GET /subjects/{subject}/versions/{version}, GET /schemas (a list) and
// POST /subjects/{subject} (lookup) answer it.
type SubjectVersion struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
	ID      int    `json:"id"`
	Schema
}

// SubjectVersionRef is a subject/version pair, as
// GET /schemas/ids/{id}/versions lists them.
type SubjectVersionRef struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// RegisterRequest is the body of POST /subjects/{subject}/versions
// (registration), POST /subjects/{subject} (lookup) and
// POST /compatibility/subjects/{subject}/versions[/{version}]. ID and
// Version are honoured by registration in IMPORT mode only.
type RegisterRequest struct {
	Schema string `json:"schema"`
	// SchemaType is TypeAvro (or empty), TypeProtobuf or TypeJSON.
	SchemaType string      `json:"schemaType,omitempty"`
	References []Reference `json:"references,omitempty"`
	// Metadata and RuleSet: nil when the request carries none, in which
	// case registration inherits the previous version's.
	Metadata *Metadata `json:"metadata,omitempty"`
	RuleSet  *RuleSet  `json:"ruleSet,omitempty"`
	ID       int       `json:"id,omitempty"`
	Version  int       `json:"version,omitempty"`
}

// Request returns the body that registers, looks up or checks s.
func (s Schema) Request() RegisterRequest {
	return RegisterRequest{Schema: s.Schema, SchemaType: s.SchemaType, References: s.References, Metadata: s.Metadata, RuleSet: s.RuleSet}
}

// RegisterResponse answers POST /subjects/{subject}/versions: the global
// id, as every Confluent version does, plus the version and schema, as
// Confluent 8 does. Older registries answer with the id alone.
type RegisterResponse struct {
	ID      int `json:"id"`
	Version int `json:"version,omitempty"`
	Schema
}

// CompatibilityCheck answers
// POST /compatibility/subjects/{subject}/versions[/{version}] without
// verbose=true, as Confluent does.
type CompatibilityCheck struct {
	IsCompatible bool `json:"is_compatible"`
}

// VerboseCompatibilityCheck answers
// POST /compatibility/subjects/{subject}/versions[/{version}]?verbose=true:
// Confluent's messages (one per finding, each naming its rule ID and
// path) plus this registry's structured findings. A registry without the
// extension sends no findings.
type VerboseCompatibilityCheck struct {
	IsCompatible bool      `json:"is_compatible"`
	Messages     []string  `json:"messages"`
	Findings     []Finding `json:"findings"`
	// Truncated counts the findings left out to keep the answer bounded
	// (at most 1,000 are listed, errors first); the last message then
	// says so too.
	Truncated int `json:"truncated,omitempty"`
}

// TruncatedMessage is the message that closes a list of findings from
// which n were left out.
func TruncatedMessage(n int) string {
	if n == 1 {
		return "and 1 more finding"
	}
	return "and " + strconv.Itoa(n) + " more findings"
}

// Finding is one problem a compatibility check found: an element of
// "findings" in verbose compatibility answers
// (POST /compatibility/...?verbose=true) and backfill checks
// (/v1/consumers/{name}/backfill).
type Finding struct {
	// RuleID is the stable ID of the rule, e.g. "FIELD_NO_DEFAULT".
	RuleID string `json:"ruleId"`
	// Severity is "error" or "warning".
	Severity string `json:"severity"`
	// Path is the schema path of the element, e.g. "Order.items[].price".
	Path    string `json:"path"`
	Message string `json:"message"`
	// Version is the registered version compared with (0 when none).
	Version int `json:"version"`
	// Direction is "backward", "forward" or "policy": which side reads.
	Direction string `json:"direction"`
	// New locates the element in the schema that was sent, Old in the
	// registered version; either is nil when unknown.
	New *Position `json:"new,omitempty"`
	Old *Position `json:"old,omitempty"`
	// NewEnclosing is set when the element is absent from the schema that
	// was sent (it was removed): New then locates the element that
	// enclosed it, its record or message, so that New names a line.
	NewEnclosing bool `json:"newEnclosing,omitempty"`
	// Consumer names the registered consumer the change would break.
	Consumer string `json:"consumer,omitempty"`
}

// Position is a line and column in schema text, counting from 1.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Config is a compatibility configuration as GET /config,
// GET /config/{subject} and their DELETEs answer it: Confluent's
// compatibilityLevel plus this registry's policy fields, each omitted when
// unset (nil). Plain Confluent registries send only the level.
type Config struct {
	CompatibilityLevel string `json:"compatibilityLevel,omitempty"`
	// AdditiveOnly is the "deprecate, don't delete" policy.
	AdditiveOnly *bool `json:"additiveOnly,omitempty"`
	// Normalize makes registrations normalize by default.
	Normalize *bool `json:"normalize,omitempty"`
	// MinDeprecationDays is how long an element without a sunset must
	// stay deprecated before it may be removed.
	MinDeprecationDays *int `json:"minDeprecationDays,omitempty"`
	// ConsumerBreakage is "reject" or "warn": what a change that breaks a
	// registered consumer does.
	ConsumerBreakage *string `json:"consumerBreakage,omitempty"`
	ConfigContracts
}

// ConfigContracts are the Confluent data-contract fields of config, in
// Config and ConfigUpdate alike.
type ConfigContracts struct {
	// Alias names the subject this subject reads and writes.
	Alias *string `json:"alias,omitempty"`
	// ValidateFields turns on the reserved-field checks.
	ValidateFields *bool `json:"validateFields,omitempty"`
	// CompatibilityGroup names the metadata property whose value
	// partitions the subject's versions for compatibility checks.
	CompatibilityGroup *string `json:"compatibilityGroup,omitempty"`
	// DefaultMetadata and DefaultRuleSet are merged under, and
	// OverrideMetadata and OverrideRuleSet over, every registration's.
	DefaultMetadata  *Metadata `json:"defaultMetadata,omitempty"`
	OverrideMetadata *Metadata `json:"overrideMetadata,omitempty"`
	DefaultRuleSet   *RuleSet  `json:"defaultRuleSet,omitempty"`
	OverrideRuleSet  *RuleSet  `json:"overrideRuleSet,omitempty"`
}

// ConfigUpdate is the body of PUT /config and PUT /config/{subject}, and
// their answer: only the fields present change, a field sent as null is
// cleared, and the fields mean what they mean in Config. Confluent keys
// the level "compatibility"; "compatibilityLevel" is accepted in requests
// too. A field the registry does not know is refused (42203).
type ConfigUpdate struct {
	Compatibility      string  `json:"compatibility,omitempty"`
	CompatibilityLevel string  `json:"compatibilityLevel,omitempty"`
	AdditiveOnly       *bool   `json:"additiveOnly,omitempty"`
	Normalize          *bool   `json:"normalize,omitempty"`
	MinDeprecationDays *int    `json:"minDeprecationDays,omitempty"`
	ConsumerBreakage   *string `json:"consumerBreakage,omitempty"`
	ConfigContracts
}

// Mode is the body and answer of GET, PUT and DELETE /mode and
// /mode/{subject}.
type Mode struct {
	// Mode is one of ModeReadWrite, ModeReadOnly, ModeReadOnlyOverride,
	// ModeImport.
	Mode string `json:"mode"`
}
