package registry

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

// LatestVersion selects a subject's latest version ("latest" or -1 in the
// Confluent API).
const LatestVersion = -1

// Options configure a Service.
type Options struct {
	// Defaults is the global config used where none is stored. The shipped
	// default is BACKWARD plus the additive-only policy.
	Defaults Config
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
	Logger *slog.Logger
}

// Service implements the registry's operations over a Store.
type Service struct {
	store Store
	opts  Options
}

// New returns a Service over store.
func New(store Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Service{store: store, opts: opts}
}

var errUnimplemented = errors.New("unimplemented")

// SchemaInput is schema text as a client submits it.
type SchemaInput struct {
	Format     schema.Format
	Text       string
	References []schema.Reference
	Metadata   json.RawMessage
	RuleSet    json.RawMessage
	// Normalize stores and compares the normalized form.
	Normalize bool
}

// RegisterParams are the inputs of Register.
type RegisterParams struct {
	Subject string
	Schema  SchemaInput
	// ID is an explicit id, honoured only in IMPORT mode.
	ID int
	// Version is an explicit version, honoured only in IMPORT mode.
	Version int
}

// Register adds a schema to a subject, or returns the existing version if
// the schema is already a live version of it (idempotent).
func (s *Service) Register(ctx context.Context, p RegisterParams) (*SubjectVersion, error) {
	return nil, errUnimplemented
}

// LookupParams are the inputs of Lookup.
type LookupParams struct {
	Subject string
	Schema  SchemaInput
	// IncludeDeleted also matches soft-deleted versions.
	IncludeDeleted bool
}

// Lookup finds the version of subject that holds the given schema.
func (s *Service) Lookup(ctx context.Context, p LookupParams) (*SubjectVersion, error) {
	return nil, errUnimplemented
}

// SchemaByID returns the schema with the given global id.
func (s *Service) SchemaByID(ctx context.Context, id int) (*Schema, error) {
	return nil, errUnimplemented
}

// SchemaVersions lists the subject versions that use schema id.
func (s *Service) SchemaVersions(ctx context.Context, id int, includeDeleted bool) ([]SubjectVersion, error) {
	return nil, errUnimplemented
}

// Schemas lists schemas under subjects (GET /schemas).
func (s *Service) Schemas(ctx context.Context, p SchemaListParams) ([]SubjectVersion, error) {
	return nil, errUnimplemented
}

// Subjects lists subject names.
func (s *Service) Subjects(ctx context.Context, p SubjectListParams) ([]string, error) {
	return nil, errUnimplemented
}

// VersionsParams are the inputs of Versions.
type VersionsParams struct {
	Subject        string
	IncludeDeleted bool
	DeletedOnly    bool
}

// Versions lists a subject's version numbers.
func (s *Service) Versions(ctx context.Context, p VersionsParams) ([]int, error) {
	return nil, errUnimplemented
}

// Version returns one version of a subject; version may be LatestVersion.
func (s *Service) Version(ctx context.Context, subject string, version int, includeDeleted bool) (*SubjectVersion, error) {
	return nil, errUnimplemented
}

// ReferencedBy lists the ids of schemas that reference subject/version.
func (s *Service) ReferencedBy(ctx context.Context, subject string, version int) ([]int, error) {
	return nil, errUnimplemented
}

// DeleteVersion soft-deletes a version, or removes a soft-deleted one when
// permanent. It returns the version number deleted.
func (s *Service) DeleteVersion(ctx context.Context, subject string, version int, permanent bool) (int, error) {
	return 0, errUnimplemented
}

// DeleteSubject soft-deletes every version of a subject, or removes them
// when permanent (which requires a prior soft delete). It returns the
// version numbers deleted.
func (s *Service) DeleteSubject(ctx context.Context, subject string, permanent bool) ([]int, error) {
	return nil, errUnimplemented
}

// CompatibilityParams are the inputs of CheckCompatibility.
type CompatibilityParams struct {
	Subject string
	Schema  SchemaInput
	// Version is the version to check against, LatestVersion, or 0 for
	// "every version the subject's level requires".
	Version int
}

// CheckCompatibility checks a schema against a subject without
// registering it, applying the subject's level and policy exactly as
// Register would.
func (s *Service) CheckCompatibility(ctx context.Context, p CompatibilityParams) (compat.Result, error) {
	return compat.Result{}, errUnimplemented
}

// Config returns the config in force for subject ("" for global). With
// defaultToGlobal, unset subject fields inherit the global config;
// without it, a subject with no config is CodeSubjectLevelCompatNotSet.
func (s *Service) Config(ctx context.Context, subject string, defaultToGlobal bool) (Config, error) {
	return Config{}, errUnimplemented
}

// SetConfig stores config for subject ("" for global) and returns it.
func (s *Service) SetConfig(ctx context.Context, subject string, c Config) (Config, error) {
	return Config{}, errUnimplemented
}

// DeleteConfig removes subject's config and returns what it was.
func (s *Service) DeleteConfig(ctx context.Context, subject string) (Config, error) {
	return Config{}, errUnimplemented
}

// Mode returns the mode in force for subject ("" for global).
func (s *Service) Mode(ctx context.Context, subject string, defaultToGlobal bool) (Mode, error) {
	return "", errUnimplemented
}

// SetMode sets the mode for subject ("" for global). Switching to IMPORT
// while live subjects exist requires force.
func (s *Service) SetMode(ctx context.Context, subject string, m Mode, force bool) (Mode, error) {
	return "", errUnimplemented
}

// DeleteMode removes subject's mode and returns what it was.
func (s *Service) DeleteMode(ctx context.Context, subject string) (Mode, error) {
	return "", errUnimplemented
}
