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

// Schema is a registered schema: the content a global id names. An id
// always names the same content.
type Schema struct {
	ID         int
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
}

// GlobalSubject is the subject key under which global config and mode are
// stored.
const GlobalSubject = ""
