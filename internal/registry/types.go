// Package registry is the domain core of the schema registry: subjects,
// versions, schema ids, compatibility configuration, modes and references,
// and the Service that registers, looks up and deletes schemas with the
// Confluent Schema Registry's semantics plus the additive-only policy.
//
// It sits between transport and persistence: api/ and each storage
// implementation import it; it imports neither. Storage implementations
// satisfy Store.
//
// Who may do what per subject is checked here where a request reaches
// subjects that its route does not name (a body's consumers, deprecations
// and references, a stored record, a schema id, a listing): the HTTP side
// passes the caller's grants as an Access in the request context.
package registry

import (
	"encoding/json"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

// Schema is a registered schema: the content an id of its context names.
// An id always names the same content.
type Schema struct {
	ID int
	// Context is the schema context the id belongs to (DefaultContext
	// for unqualified subjects); ids are unique per context.
	Context    string
	Format     schema.Format
	Text       string
	References []schema.Reference
	// Metadata and RuleSet are stored as the client sent them and returned
	// unchanged (Confluent data contracts).
	Metadata json.RawMessage
	RuleSet  json.RawMessage
	// Fingerprint is the identity key: two registrations with equal
	// fingerprints are the same schema and share an id.
	Fingerprint string
}

// SchemaKey names a schema: its id within its context.
type SchemaKey struct {
	Context string
	ID      int
}

// Key returns the schema's (context, id).
func (s *Schema) Key() SchemaKey { return SchemaKey{Context: s.Context, ID: s.ID} }

// SubjectVersion is one version of a subject.
type SubjectVersion struct {
	Subject   string
	Version   int
	SchemaID  int
	Deleted   bool
	CreatedAt time.Time
	// Schema is the registered schema, filled by reads that join it.
	Schema *Schema
}

// Mode is a Confluent registry mode.
type Mode string

// Modes.
const (
	ReadWrite        Mode = "READWRITE"
	ReadOnly         Mode = "READONLY"
	ReadOnlyOverride Mode = "READONLY_OVERRIDE"
	Import           Mode = "IMPORT"
)

// Config is the compatibility configuration of a subject or, for the empty
// subject, the global default. Nil fields are unset and inherit.
type Config struct {
	Compatibility *compat.Level
	// AdditiveOnly turns the additive-only ("deprecate, don't delete")
	// policy on or off.
	AdditiveOnly *bool
	// Normalize makes registrations under the subject normalize by default.
	Normalize *bool
	// MinDeprecationPeriod is how long an element without a sunset must stay
	// deprecated before it may be removed.
	MinDeprecationPeriod *time.Duration
	// ConsumerBreakage is "reject" (default) or "warn".
	ConsumerBreakage *string
	// ValidateFields turns on the checks of reserved fields, listed in
	// the "confluent:reserved" metadata property (contracts.go).
	ValidateFields *bool
	// Alias names the subject that this subject reads and writes; it is
	// never inherited from the global config.
	Alias *string
	// CompatibilityGroup names a metadata property: a new schema is
	// checked only against versions whose property has the same value.
	CompatibilityGroup *string
	// DefaultMetadata and DefaultRuleSet are merged under, and
	// OverrideMetadata and OverrideRuleSet over, the metadata and rule
	// set of every registration, as canonical JSON (contracts.go).
	DefaultMetadata  json.RawMessage
	OverrideMetadata json.RawMessage
	DefaultRuleSet   json.RawMessage
	OverrideRuleSet  json.RawMessage
	// Unset lists fields that SetConfig clears (a client sent null),
	// where a nil field keeps the stored value. Never stored.
	Unset []ConfigField
}

// ConfigField names a Config field, by its name in the API.
type ConfigField string

// Config fields a client can clear by sending null.
const (
	FieldCompatibility      ConfigField = "compatibility"
	FieldAdditiveOnly       ConfigField = "additiveOnly"
	FieldNormalize          ConfigField = "normalize"
	FieldMinDeprecation     ConfigField = "minDeprecationDays"
	FieldConsumerBreakage   ConfigField = "consumerBreakage"
	FieldValidateFields     ConfigField = "validateFields"
	FieldAlias              ConfigField = "alias"
	FieldCompatibilityGroup ConfigField = "compatibilityGroup"
	FieldDefaultMetadata    ConfigField = "defaultMetadata"
	FieldOverrideMetadata   ConfigField = "overrideMetadata"
	FieldDefaultRuleSet     ConfigField = "defaultRuleSet"
	FieldOverrideRuleSet    ConfigField = "overrideRuleSet"
)

// GlobalSubject is the subject key under which global config and mode are
// stored.
const GlobalSubject = ""
