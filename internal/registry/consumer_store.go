package registry

import (
	"context"
	"time"
)

// ConsumerStore persists consumers, deprecation records and runtime schema
// usage; Store embeds it. storage/storagetest holds its conformance suite
// (RunConsumers). Both backends implement it on their transaction
// executors too, so checks inside a transaction read its snapshot.
//
// Each method is atomic on its own. Like Executor, every method returns an
// error wrapping ErrNotFound when a row is missing and ErrConflict when a
// unique constraint rejects a write.
type ConsumerStore interface {
	// ConsumerGet returns one consumer with its reads, ordered by subject.
	ConsumerGet(ctx context.Context, name string) (*Consumer, error)
	// ConsumerList lists consumers with their reads, ordered by name, the
	// page p.Offset, p.Limit of them.
	ConsumerList(ctx context.Context, p ConsumerListParams) ([]Consumer, error)
	// ConsumerPut inserts c or replaces the stored consumer of that name
	// with its reads. Replacing keeps the stored CreatedAt.
	ConsumerPut(ctx context.Context, c Consumer) error
	// ConsumerDelete removes a consumer and its reads.
	ConsumerDelete(ctx context.Context, name string) error

	// DeprecationInsert stores a new record and returns it with its id;
	// ErrConflict when the subject, path and version are already recorded.
	DeprecationInsert(ctx context.Context, d DeprecationRecord) (*DeprecationRecord, error)
	// DeprecationUpdate replaces the reason, sunset and replacement of the
	// record with d.ID.
	DeprecationUpdate(ctx context.Context, d DeprecationRecord) error
	DeprecationGet(ctx context.Context, id int) (*DeprecationRecord, error)
	// DeprecationList lists records ordered by subject, path, version
	// (then id), the page p.Offset, p.Limit of them.
	DeprecationList(ctx context.Context, p DeprecationListParams) ([]DeprecationRecord, error)
	DeprecationDelete(ctx context.Context, id int) error

	// UsageAdd adds a batch of usage counts: count += Count, first_seen =
	// min, last_seen = max, per (schema id, identity).
	UsageAdd(ctx context.Context, batch []UsageDelta) error
	// UsageList lists usage rows ordered by schema id then identity.
	UsageList(ctx context.Context, p UsageListParams) ([]Usage, error)
}

// ConsumerListParams filter ConsumerList.
type ConsumerListParams struct {
	// Subject keeps consumers that read this subject.
	Subject string
	// Owner keeps consumers with this owner.
	Owner string
	// Offset skips that many consumers of the listing; Limit caps how
	// many are returned (0 or negative: every one from Offset on).
	Offset, Limit int
}

// DeprecationListParams filter DeprecationList.
type DeprecationListParams struct {
	// Subject keeps records of this subject exactly.
	Subject string
	// SubjectPrefix keeps records of subjects starting with it.
	SubjectPrefix string
	// Offset skips that many records of the listing; Limit caps how many
	// are returned (0 or negative: every one from Offset on).
	Offset, Limit int
}

// UsageDelta is usage aggregated in memory since the last flush: the
// fields of Usage, counting only the uses since then.
type UsageDelta Usage

// Usage is the recorded runtime usage of one schema id of one context
// by one client identity.
type Usage struct {
	// Context is the context of SchemaID (ids are unique per context).
	Context   string
	SchemaID  int
	Identity  string
	Count     int64
	FirstSeen time.Time
	LastSeen  time.Time
}

// UsageListParams filter UsageList.
type UsageListParams struct {
	// Context keeps rows of this context; empty keeps every context.
	Context string
	// SchemaIDs keeps rows of these ids; empty keeps every id.
	SchemaIDs []int
	// SeenSince keeps rows last seen at or after it; zero keeps all.
	SeenSince time.Time
}

// Change kinds of the consumer features, delivered through Store.Watch
// like the kinds in store.go.
const (
	// ChangeConsumers: a consumer was created, replaced or deleted.
	ChangeConsumers ChangeKind = "consumers"
	// ChangeDeprecations: a deprecation record was created, changed or
	// deleted (Change.Subject names its subject).
	ChangeDeprecations ChangeKind = "deprecations"
)
