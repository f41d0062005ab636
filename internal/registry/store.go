package registry

import (
	"context"
	"time"
)

// Store is the persistence seam. PostgreSQL (storage/postgres) and the
// embedded store (storage/sqlite) implement it; storage/storagetest holds
// the conformance suite both must pass.
//
// Read methods may run on the pool; writes that must be atomic run inside
// InTx. Every method returns an error wrapping ErrNotFound when a row is
// missing and ErrConflict when a unique constraint rejects a write.
type Store interface {
	Executor
	// ConsumerStore persists consumers, deprecation records and runtime
	// usage (consumer_store.go).
	ConsumerStore
	// InTx runs fn in one transaction, committing if fn returns nil. A
	// serialization failure or deadlock is retried transparently.
	InTx(ctx context.Context, fn func(ctx context.Context, tx Executor) error) error
	// Watch delivers changes committed by any process sharing the store,
	// including this one, until ctx ends. It is how caches stay coherent.
	Watch(ctx context.Context, fn func(Change)) error
	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// Change tells caches what a committed write touched.
type Change struct {
	// Subject is the subject written, or "" for global config and mode.
	Subject string
	// SchemaID is set when a schema may have stopped being reachable
	// (permanent delete).
	SchemaID int
	Kind     ChangeKind
}

// ChangeKind classifies a Change.
type ChangeKind string

// Change kinds.
const (
	ChangeVersions ChangeKind = "versions"
	ChangeConfig   ChangeKind = "config"
	ChangeMode     ChangeKind = "mode"
	// ChangeAuth: a credential changed (a token revoked, a database user
	// replaced or deleted); credential caches drop what they hold.
	ChangeAuth ChangeKind = "auth"
)

// Executor holds the operations available on the pool and inside a
// transaction.
type Executor interface {
	// SubjectLock serialises writers of one subject until the transaction
	// ends (PostgreSQL: a transaction-scoped advisory lock, sent with the
	// transaction's next statement). Statements after it run under the
	// lock; a failure to take it is theirs.
	SubjectLock(ctx context.Context, subject string) error
	// Notify queues a Change, delivered to Watch after commit.
	Notify(ctx context.Context, c Change) error

	// SchemaGetByID returns the schema with id in schemaContext; ids are
	// unique per context.
	SchemaGetByID(ctx context.Context, schemaContext string, id int) (*Schema, error)
	// SchemaGetUsed returns the schema with id in schemaContext if some
	// version of some subject, soft-deleted ones included, uses it, in one
	// indexed query; ErrNotFound otherwise.
	SchemaGetUsed(ctx context.Context, schemaContext string, id int) (*Schema, error)
	// SchemaGetByFingerprint returns the schema with fingerprint. The
	// fingerprint of a schema outside the default context includes the
	// context, so it names one schema of one context.
	SchemaGetByFingerprint(ctx context.Context, fingerprint string) (*Schema, error)
	// SchemaInsert stores a new schema in p.Schema.Context (DefaultContext
	// when empty). With p.ID zero the store assigns the context's next id
	// (a fresh context starts at 1); with an explicit id (IMPORT mode) it
	// uses it, and the context never hands out that id later. A second
	// insert with the same fingerprint, or the same id in the same
	// context, returns ErrConflict, and the transaction it ran in stays
	// usable.
	SchemaInsert(ctx context.Context, p SchemaInsertParams) (*Schema, error)
	// SchemaList lists subject versions joined with their schemas, ordered
	// by subject then version.
	SchemaList(ctx context.Context, p SchemaListParams) ([]SubjectVersion, error)
	// SchemaVersions lists the subject versions that use schema id of
	// schemaContext, ordered by subject then version.
	SchemaVersions(ctx context.Context, schemaContext string, id int, includeDeleted bool) ([]SubjectVersion, error)
	// SchemaMaxID returns the highest id assigned in schemaContext, 0 when
	// none.
	SchemaMaxID(ctx context.Context, schemaContext string) (int, error)
	// SchemaDeleteUnused removes schema id and its references when no
	// version, soft-deleted or live, uses it; ErrNotFound when the id does
	// not exist or is still in use.
	SchemaDeleteUnused(ctx context.Context, schemaContext string, id int) error

	// VersionInsert adds a version to a subject. With p.Version zero it
	// takes the next number, 1 + VersionMax, in the same statement: the
	// caller holds the subject lock, so no other writer can take it.
	VersionInsert(ctx context.Context, p VersionInsertParams) (*SubjectVersion, error)
	// VersionGet returns one version with its schema; deleted versions only
	// when includeDeleted.
	VersionGet(ctx context.Context, subject string, version int, includeDeleted bool) (*SubjectVersion, error)
	// VersionLatest returns the highest version with its schema.
	VersionLatest(ctx context.Context, subject string, includeDeleted bool) (*SubjectVersion, error)
	// VersionList returns a subject's versions with their schemas, oldest
	// first.
	VersionList(ctx context.Context, subject string, includeDeleted bool) ([]SubjectVersion, error)
	// VersionMax returns the highest version number ever used in the
	// subject, soft-deleted versions included; 0 when none.
	VersionMax(ctx context.Context, subject string) (int, error)
	// VersionListByInput returns the subject's live versions, oldest
	// first, with their hashes, in one query; and the hashes stored with
	// any version of the subject (soft-deleted ones included) that the
	// request with input hash input registered, nil when none did.
	VersionListByInput(ctx context.Context, subject, input string) ([]HashedVersion, *VersionHashes, error)
	// VersionFillHashes stores h with a version, each hash only where the
	// version has none (empty ones are left alone).
	VersionFillHashes(ctx context.Context, subject string, version int, h VersionHashes) error
	// VersionBySchema returns the subject's version that uses schema id.
	VersionBySchema(ctx context.Context, subject string, schemaID int, includeDeleted bool) (*SubjectVersion, error)
	// VersionSoftDelete marks a version deleted.
	VersionSoftDelete(ctx context.Context, subject string, version int) error
	// VersionHardDelete removes a version for good.
	VersionHardDelete(ctx context.Context, subject string, version int) error
	// VersionReferencedBy returns the schemas, used by a live version of
	// some subject, that reference subject/version (an unqualified
	// reference names a subject of the referencing schema's context).
	VersionReferencedBy(ctx context.Context, subject string, version int) ([]SchemaKey, error)

	// SubjectList lists subject names, sorted.
	SubjectList(ctx context.Context, p SubjectListParams) ([]string, error)
	// ContextList lists the contexts that hold a subject version,
	// soft-deleted ones included, sorted.
	ContextList(ctx context.Context) ([]string, error)
	// ContextDelete removes a context that no subject version, live or
	// soft-deleted, uses any more: its schemas, its id counter (so its ids
	// start again at 1) and the config and mode rows under its prefix. It
	// returns ErrConflict when a version remains (or for the default
	// context) and ErrNotFound when the context holds nothing.
	ContextDelete(ctx context.Context, schemaContext string) error

	// ConfigGet returns the config stored for subject ("" for global).
	ConfigGet(ctx context.Context, subject string) (*Config, error)
	ConfigSet(ctx context.Context, subject string, c Config) error
	ConfigDelete(ctx context.Context, subject string) error

	// ModeGet returns the mode stored for subject ("" for global).
	ModeGet(ctx context.Context, subject string) (Mode, error)
	ModeSet(ctx context.Context, subject string, m Mode) error
	ModeDelete(ctx context.Context, subject string) error
}

// SchemaInsertParams are the inputs of SchemaInsert.
type SchemaInsertParams struct {
	ID     int // 0: assign the next id
	Schema Schema
}

// SchemaListParams filter SchemaList.
type SchemaListParams struct {
	SubjectPrefix  string
	IncludeDeleted bool
	LatestOnly     bool
	// DefaultContextOnly leaves out subjects of named contexts.
	DefaultContextOnly bool
	Offset             int
	Limit              int // 0 or negative: no limit
}

// VersionInsertParams are the inputs of VersionInsert.
type VersionInsertParams struct {
	Subject string
	// Version is the number to insert, or 0 for the subject's next.
	Version   int
	SchemaID  int
	CreatedAt time.Time
	// Hashes are stored with the version; empty ones as unknown.
	Hashes VersionHashes
}

// VersionHashes let an idempotent re-registration be answered without
// parsing it. Versions registered before the registry stored them have
// none (empty strings).
type VersionHashes struct {
	// Input hashes the exact request that created the version (inputKey).
	Input string
	// Identity and Normalized hash the schema's identity and normalized
	// forms with its format and references: two versions hold the same
	// schema, as a registration without a contract compares them, when
	// these match.
	Identity   string
	Normalized string
}

// HashedVersion is a version with its stored hashes.
type HashedVersion struct {
	SubjectVersion
	Hashes VersionHashes
}

// SubjectListParams filter SubjectList.
type SubjectListParams struct {
	Prefix string
	// IncludeDeleted lists subjects whose versions are all soft-deleted too.
	IncludeDeleted bool
	// DeletedOnly lists only subjects with soft-deleted versions
	// (Confluent's deletedOnly).
	DeletedOnly bool
	// DefaultContextOnly leaves out subjects of named contexts.
	DefaultContextOnly bool
	Offset             int
	Limit              int
}

// ChangeReset tells caches to drop everything: the store may have missed
// changes (for example while a notification connection was down).
const ChangeReset ChangeKind = "reset"
