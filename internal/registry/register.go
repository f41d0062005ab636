package registry

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// RegisterParams are the inputs of Register.
type RegisterParams struct {
	Subject string
	Schema  SchemaInput
	// ID is an explicit id, honoured in IMPORT mode.
	ID int
	// Version is an explicit version, honoured in IMPORT mode.
	Version int
}

// maxRegisterAttempts bounds retries after losing an insert race on the
// schema fingerprint.
const maxRegisterAttempts = 8

// Register adds a schema to a subject, or returns the existing version if
// the schema is already a live version of it. As in Confluent, the mode
// is checked first, so READONLY refuses even an idempotent
// re-registration, IMPORT refuses a registration without an id, and only
// IMPORT takes one.
//
// A new version is 1 + the highest version ever used in the subject
// (soft-deleted ones included); the same schema under any subject gets
// the same id within its context. Outside IMPORT mode the schema must pass the
// subject's compatibility level and policy against its live versions.
func (s *Service) Register(ctx context.Context, p RegisterParams) (*SubjectVersion, error) {
	var err error
	if p.Subject, err = CanonicalSubject(p.Subject, false); err != nil {
		return nil, err
	}
	p.Schema.Context = ContextOf(p.Subject)
	if err := checkExplicitIDs(p); err != nil {
		return nil, err
	}
	// Ids are shared by every subject: choosing one (and with it where
	// the id sequence continues) affects them all.
	if p.ID != 0 {
		if err := requireAll(ctx, PermAdmin, "Admin on every subject (needed to choose a schema id)"); err != nil {
			return nil, err
		}
	}
	if p.Schema.Metadata, p.Schema.RuleSet, err = canonicalContract(p.Schema.Metadata, p.Schema.RuleSet); err != nil {
		return nil, err
	}
	// Every answer below, remembered or found by hash without a parse,
	// hands back the schema's place in its reference graph: the caller
	// must be allowed to read all of it first.
	if err := s.graphReadable(ctx, p.Schema.Context, p.Schema.References, ""); err != nil {
		return nil, err
	}
	// Producers re-register their schema at every start: answer an exact
	// request answered before from memory, before any parsing, while
	// nothing that could change the answer (a version of the subject, a
	// config, whose defaults and overrides merge into the contract, or a
	// mode) has changed since. The key is the whole request, its contract
	// included.
	key := requestKey(p)
	if p.ID == 0 && p.Version == 0 {
		if v, ok := s.registeredAnswer(key, p.Subject); ok {
			return v, nil
		}
	}
	// The generations are read before the store is, so that a change
	// committed while this request runs leaves its answer stale.
	gen, epoch := s.subjectGeneration(p.Subject), s.epoch.Load()
	subjectGen := gen.Load()
	mode, err := s.effectiveMode(ctx, s.store, p.Subject)
	if err != nil {
		return nil, err
	}
	if err := registerAllowed(p, mode); err != nil {
		return nil, err
	}
	cfg, err := s.effectiveConfig(ctx, s.store, p.Subject)
	if err != nil {
		return nil, err
	}
	if !p.Schema.Normalize && *cfg.Normalize {
		p.Schema.Normalize = true
	}
	// existing answers with v, the version already holding the schema (or
	// with err), remembering a plain answer for the next producer.
	existing := func(v *SubjectVersion, err error) (*SubjectVersion, error) {
		if err == nil {
			err = importedIDMatches(p, v)
		}
		if err != nil {
			return nil, err
		}
		if p.ID == 0 && p.Version == 0 {
			s.remember(key, gen, subjectGen, epoch, v)
		}
		return v, nil
	}
	// As Confluent: a request without a contract, under a config without
	// defaults or overrides, is answered by any live version holding the
	// same schema, whatever that version's contract.
	var live []SubjectVersion
	anyContract := p.Schema.Metadata == nil && p.Schema.RuleSet == nil && !cfg.hasContracts()
	// The request as sent (normalize applied), stored with a version it
	// creates, so that sending it again finds that version's schema
	// without a parse.
	submitted := inputKey(p.Schema)
	input := hex.EncodeToString(submitted[:])
	if anyContract {
		if v, ok := s.answerByHashes(p.Subject, submitted, p.Schema.Normalize); ok {
			return existing(v, nil)
		}
		hashed, registered, err := s.store.VersionListByInput(ctx, p.Subject, input)
		if err != nil {
			return nil, storeError(err)
		}
		live = make([]SubjectVersion, len(hashed))
		for i := range hashed {
			live[i] = hashed[i].SubjectVersion
		}
		v := versionByHashes(hashed, registered, p.Schema.Normalize)
		if v != nil {
			s.rememberHashes(p.Subject, gen, subjectGen, epoch, hashed)
		} else {
			plain, err := s.parseReadable(ctx, p.Schema)
			if err != nil {
				return nil, err
			}
			if v, err = s.findVersionAnyContract(ctx, s.store, live, plain, p.Schema); err != nil {
				return nil, err
			}
			if v != nil {
				s.fillHashes(ctx, hashed, v, input)
			}
		}
		if v != nil {
			return existing(v, nil)
		}
	}
	switch {
	case mode == Import:
		p.Schema.Metadata, p.Schema.RuleSet = storedContract(p.Schema.Metadata), storedContract(p.Schema.RuleSet)
	case anyContract:
		// The live versions just read hold the latest one.
		var latest *SubjectVersion
		if len(live) > 0 {
			latest = &live[len(live)-1]
		}
		if p.Schema, err = mergeContractsOver(p.Schema, cfg, latest); err != nil {
			return nil, err
		}
	default:
		if p.Schema, err = mergeContracts(ctx, s.store, p.Subject, p.Schema, cfg); err != nil {
			return nil, err
		}
	}
	// A schema that IMPORT copied as it was must still be found when its
	// producers re-register it; anything else must parse strictly below.
	in, err := s.parseReadable(ctx, p.Schema)
	if err != nil {
		return nil, err
	}
	// Any live version holding the schema was found above, whatever its
	// contract: looking again by fingerprint could find none.
	if !anyContract {
		if v, err := s.findVersion(ctx, s.store, p.Subject, in, p.Schema.Normalize, false); err != nil || v != nil {
			return existing(v, err)
		}
	}
	if in.strictErr != nil && mode != Import {
		return nil, in.strictErr
	}
	if in.strictErr != nil {
		s.log.WarnContext(ctx, "importing a schema that this registry's own validation refuses, as it is",
			"subject", p.Subject, "id", p.ID, "version", p.Version, "reason", in.strictErr)
	}
	// A schema found before is cached by fingerprint; one that is not may
	// still be stored (by another subject, or another writer meanwhile):
	// then the insert finds it taken and the transaction reads it.
	_, exists := s.byFingerprint.GetIfPresent(in.fingerprint)
	hashes := versionHashes(input, in, p.Schema)
	for attempt := 0; ; attempt++ {
		v, err := s.insertVersion(ctx, p, in, hashes, mode, exists || attempt > 0)
		// Two subjects inserting the same new schema at once: one insert
		// loses on the fingerprint constraint and finds the winner's row
		// on retry.
		if errors.Is(err, ErrConflict) && attempt < maxRegisterAttempts {
			continue
		}
		if err != nil {
			return nil, storeError(err)
		}
		s.log.DebugContext(ctx, "schema registered", "subject", v.Subject, "version", v.Version, "id", v.SchemaID)
		// Told after commit rather than inside the transaction: a
		// NOTIFY in a transaction takes a database-wide lock through
		// the commit's flush, which would serialise every registration.
		// Nothing cached elsewhere goes wrong if this is lost or late
		// (a store may send it after Register returns, batched with
		// others); deletes, which caches must not miss, notify inside
		// their transaction.
		change := Change{Subject: p.Subject, Kind: ChangeVersions}
		if err := s.store.Notify(ctx, change); err != nil {
			s.log.WarnContext(ctx, "cannot notify other registry processes of a new version", "subject", p.Subject, "error", err)
		}
		s.apply(change)
		return v, nil
	}
}

// registerAllowed applies Confluent's mode rules to a registration:
// nothing in a read-only mode, an explicit id (or version) only in IMPORT,
// and in IMPORT nothing without an id.
func registerAllowed(p RegisterParams, mode Mode) error {
	switch {
	case mode == ReadOnly || mode == ReadOnlyOverride:
		return readOnlyRefusal(p.Subject, mode)
	case mode != Import && (p.ID != 0 || p.Version != 0):
		return Errorf(srapi.CodeOperationNotPermitted, "Subject %s is not in import mode: an explicit id or version can be given only in IMPORT mode", p.Subject)
	case mode == Import && p.ID == 0:
		return Errorf(srapi.CodeOperationNotPermitted, "Subject %s is not in read-write mode: a registration in IMPORT mode must give the schema's id", p.Subject)
	}
	return nil
}

// importedIDMatches answers a registration of a schema the subject
// already holds as v: an explicit id other than v's is 42207, as
// Confluent answers it; without one, or with v's own (a re-run
// migration), the existing version is the answer.
func importedIDMatches(p RegisterParams, v *SubjectVersion) error {
	if p.ID != 0 && p.ID != v.SchemaID {
		return Errorf(srapi.CodeIDInUse, "Schema already registered with id %d instead of input id %d", v.SchemaID, p.ID)
	}
	return nil
}

// insertVersion checks and writes the version under the subject lock, so
// the compatibility verdict holds for exactly the versions it saw.
func (s *Service) insertVersion(ctx context.Context, p RegisterParams, in *parsed, hashes VersionHashes, mode Mode, lookup bool) (*SubjectVersion, error) {
	var out *SubjectVersion
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		if err := tx.SubjectLock(ctx, p.Subject); err != nil {
			return err
		}
		// Another writer may have registered the same schema meanwhile.
		var (
			existing *Schema
			err      error
		)
		if lookup {
			existing, err = s.schemaByFingerprint(ctx, tx, in.fingerprint)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		if existing != nil {
			if out, err = liveVersionOf(ctx, tx, p.Subject, existing); err != nil || out != nil {
				return err
			}
		}
		if mode != Import {
			res, err := s.checkHistory(ctx, tx, p.Subject, in, 0)
			if err != nil {
				return err
			}
			if !res.Compatible() {
				return incompatible(p.Subject, res)
			}
		}
		sch, err := s.schemaForInsert(ctx, tx, p, in, mode, existing)
		if errors.Is(err, ErrConflict) && existing == nil && p.ID == 0 {
			// The schema is stored already; the refused insert left the
			// transaction usable, and the subject may even hold it now.
			if sch, err = s.schemaByFingerprint(ctx, tx, in.fingerprint); err != nil {
				return err
			}
			if out, err = liveVersionOf(ctx, tx, p.Subject, sch); err != nil || out != nil {
				return err
			}
		}
		if err != nil {
			return err
		}
		// Zero: the store numbers the version 1 + the highest ever used.
		version := 0
		if mode == Import && p.Version != 0 {
			if _, err := tx.VersionGet(ctx, p.Subject, p.Version, true); err == nil {
				return Errorf(srapi.CodeOperationNotPermitted, "Version %d of subject %s already exists", p.Version, p.Subject)
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			version = p.Version
		}
		v, err := tx.VersionInsert(ctx, VersionInsertParams{
			Subject: p.Subject, Version: version, SchemaID: sch.ID, CreatedAt: s.opts.Now(), Hashes: hashes,
		})
		if err != nil {
			return err
		}
		v.Schema = sch
		out = v
		return nil
	})
	return out, err
}

// versionHashes are the hashes stored with a version that the request
// with input hash input creates, in being its parse. The schema hashes
// must be those of the stored text's parse, which the parse path compares:
// under normalize the stored text is the normalized form, whose parse is
// not in, so they are left for fillHashes to compute from it.
func versionHashes(input string, in *parsed, req SchemaInput) VersionHashes {
	if req.Normalize {
		return VersionHashes{Input: input}
	}
	h := schemaHashes(in.schema, req.References)
	h.Input = input
	return h
}

// schemaHashes are the identity and normalized hashes of sch with refs.
func schemaHashes(sch schema.Schema, refs []schema.Reference) VersionHashes {
	return VersionHashes{
		Identity:   fingerprint(sch.Format(), sch.Identity(), refs, nil, nil),
		Normalized: fingerprint(sch.Format(), sch.Normalized(), refs, nil, nil),
	}
}

// versionByHashes answers a registration without a contract from stored
// hashes, as findVersionAnyContract would by parsing: the latest of the
// live versions holding the schema that the same request registered
// before (registered: that version's hashes). It returns nil when that
// cannot be told without a parse: the request registered nothing here,
// or a live version predates the hashes.
func versionByHashes(live []HashedVersion, registered *VersionHashes, normalize bool) *SubjectVersion {
	if registered == nil {
		return nil
	}
	want := registered.Identity
	if normalize {
		want = registered.Normalized
	}
	for i := range live {
		if live[i].Hashes.Identity == "" || live[i].Hashes.Normalized == "" {
			return nil
		}
	}
	for i := len(live) - 1; i >= 0; i-- {
		got := live[i].Hashes.Identity
		if normalize {
			got = live[i].Hashes.Normalized
		}
		if got == want {
			return &live[i].SubjectVersion
		}
	}
	return nil
}

// fillHashes stores the hashes that live versions registered before the
// registry stored them lack, and input with answer (found by parsing the
// request: its schema is the request's) unless answer has one already, so
// that the next re-registration of the request needs no parse. It is an
// optimisation: a failure is logged, the caller's answer stands.
func (s *Service) fillHashes(ctx context.Context, live []HashedVersion, answer *SubjectVersion, input string) {
	for i := range live {
		v := &live[i]
		h := VersionHashes{}
		if v.Version == answer.Version && v.Hashes.Input == "" {
			h.Input = input
		}
		if v.Hashes.Identity == "" || v.Hashes.Normalized == "" {
			sch, err := s.parsedSchema(ctx, s.store, v.Schema)
			if err != nil {
				s.log.WarnContext(ctx, "cannot hash a stored version", "subject", v.Subject, "version", v.Version, "error", err)
				continue
			}
			sh := schemaHashes(sch, v.Schema.References)
			h.Identity, h.Normalized = sh.Identity, sh.Normalized
		}
		if h == (VersionHashes{}) {
			continue
		}
		if err := s.store.VersionFillHashes(ctx, v.Subject, v.Version, h); err != nil {
			s.log.WarnContext(ctx, "cannot store the hashes of a version", "subject", v.Subject, "version", v.Version, "error", err)
		}
	}
}

// liveVersionOf returns subject's live version holding sch, or nil.
func liveVersionOf(ctx context.Context, ex Executor, subject string, sch *Schema) (*SubjectVersion, error) {
	v, err := ex.VersionBySchema(ctx, subject, sch.ID, false)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v.Schema = sch
	return v, nil
}

// registeredEntry is the answer to an idempotent re-registration, keyed
// by requestKey. It holds while neither its subject's generation (bumped
// by every new or deleted version) nor the service's epoch (bumped by
// every config or mode change and permanent delete) has moved since the
// answer was read.
//
// It keeps the version without its schema, which the id caches hold:
// weighed with it, an entry would cost the schema twice and the share
// would hold a fraction of the answers.
type registeredEntry struct {
	// gen names the subject too: a remembered answer shares its
	// subject's name instead of holding a copy.
	gen        *subjectGen
	subjectGen uint64
	epoch      uint64
	version    int32
	id         int32
}

// registeredSize estimates what an entry holds beyond entryOverhead: the
// key and the struct. The subject's name is its generation's, shared by
// every answer in the subject.
func registeredSize(registeredEntry) int {
	return 48
}

// remember keeps v as the answer of the request with key, read while the
// subject's generation was subjectGen and the epoch epoch. Versions and
// ids beyond int32 (not reachable in practice) are not remembered.
func (s *Service) remember(key [32]byte, gen *subjectGen, subjectGen, epoch uint64, v *SubjectVersion) {
	if v.Version > math.MaxInt32 || v.SchemaID > math.MaxInt32 {
		return
	}
	s.registered.Set(key, registeredEntry{
		gen: gen, subjectGen: subjectGen, epoch: epoch,
		version: int32(v.Version), id: int32(v.SchemaID),
	})
}

// registeredAnswer returns the cached answer of the request with key in
// subject, if it is still current. Its Schema is set when the id cache
// holds it, and nil otherwise: the caller fetches it by id if it needs
// it.
func (s *Service) registeredAnswer(key [32]byte, subject string) (*SubjectVersion, bool) {
	e, ok := s.registered.GetIfPresent(key)
	if !ok || e.gen.subject != subject || e.gen.Load() != e.subjectGen || s.epoch.Load() != e.epoch {
		s.registeredStats.RecordMisses(1)
		return nil, false
	}
	s.registeredStats.RecordHits(1)
	v := &SubjectVersion{Subject: e.gen.subject, Version: int(e.version), SchemaID: int(e.id)}
	v.Schema, _ = s.byID.GetIfPresent(SchemaKey{Context: ContextOf(v.Subject), ID: v.SchemaID})
	return v, true
}

// subjectGen counts the changes to one subject's versions, here or
// (through Watch) in another process.
type subjectGen struct {
	atomic.Uint64
	subject string
}

// subjectGeneration returns the subject's change counter.
func (s *Service) subjectGeneration(subject string) *subjectGen {
	if g, ok := s.generations.Load(subject); ok {
		return g.(*subjectGen)
	}
	g, _ := s.generations.LoadOrStore(subject, &subjectGen{subject: subject})
	return g.(*subjectGen)
}

// schemaByFingerprint reads through the fingerprint cache. Only hits are
// cached: a miss may become a hit at any moment.
func (s *Service) schemaByFingerprint(ctx context.Context, ex Executor, fp string) (*Schema, error) {
	if sch, ok := s.byFingerprint.GetIfPresent(fp); ok {
		return sch, nil
	}
	sch, err := ex.SchemaGetByFingerprint(ctx, fp)
	if err != nil {
		return nil, err
	}
	// The id cache may hold the same row: keep one copy.
	if same, ok := s.byID.GetIfPresent(sch.Key()); ok && same.Fingerprint == fp {
		sch = same
	}
	s.byFingerprint.Set(fp, sch)
	return sch, nil
}

// schemaForInsert returns the stored schema with in's fingerprint (sch,
// when the caller found it), inserting it (with p.ID in IMPORT mode) when
// it is new.
func (s *Service) schemaForInsert(ctx context.Context, tx Executor, p RegisterParams, in *parsed, mode Mode, sch *Schema) (*Schema, error) {
	if mode == Import && p.ID != 0 {
		var err error
		if sch, err = s.importTarget(ctx, tx, ContextOf(p.Subject), p.ID, in.fingerprint, sch); err != nil || sch != nil {
			return sch, err
		}
	}
	if sch != nil {
		return sch, nil
	}
	inserted, err := tx.SchemaInsert(ctx, SchemaInsertParams{ID: p.ID, Schema: Schema{
		Context:     ContextOf(p.Subject),
		Format:      p.Schema.Format,
		Text:        storedText(p.Schema, in, mode),
		References:  p.Schema.References,
		Metadata:    p.Schema.Metadata,
		RuleSet:     p.Schema.RuleSet,
		Fingerprint: in.fingerprint,
	}})
	if err != nil {
		return nil, err
	}
	if err := checkAllocatedID(inserted.ID); err != nil {
		return nil, err
	}
	return inserted, nil
}

// storedText is the text a new schema is stored with: the parsed form,
// except that IMPORT keeps the text exactly as sent (unless normalize
// asks for the normalized form), so that a copy from another registry
// answers byte for byte what the source answered.
func storedText(in SchemaInput, p *parsed, mode Mode) string {
	if mode == Import && !in.Normalize {
		return in.Text
	}
	return p.text
}

// findVersionAnyContract returns the latest of vs (a subject's versions,
// oldest first) holding the parsed schema with the input's references,
// whatever its metadata and rule set, or nil.
func (s *Service) findVersionAnyContract(ctx context.Context, ex Executor, vs []SubjectVersion, in *parsed, input SchemaInput) (*SubjectVersion, error) {
	want := in.schema.Identity()
	if input.Normalize {
		want = in.schema.Normalized()
	}
	// A version registered the way this input is (same normalize) holds
	// the schema exactly when its fingerprint is the input's under the
	// version's own contract: no parse needed, which keeps idempotent
	// re-registrations cheap when parsed schemas no longer fit in memory.
	format := in.schema.Format()
	for i := len(vs) - 1; i >= 0; i-- {
		sch := vs[i].Schema
		if sch.Format == format && sch.Fingerprint == fingerprint(format, want, input.References, sch.Metadata, sch.RuleSet) {
			return &vs[i], nil
		}
	}
	// Otherwise compare parsed forms: a version registered under the
	// other normalize setting has a fingerprint of the other form.
	for i := len(vs) - 1; i >= 0; i-- {
		if !slices.Equal(vs[i].Schema.References, input.References) {
			continue
		}
		old, err := s.parsedSchema(ctx, ex, vs[i].Schema)
		if err != nil {
			return nil, err
		}
		got := old.Identity()
		if input.Normalize {
			got = old.Normalized()
		}
		if old.Format() == in.schema.Format() && got == want {
			return &vs[i], nil
		}
	}
	return nil, nil
}

// importTarget resolves an IMPORT of the schema with fingerprint fp as id
// (sch: the stored schema with fp, if any). It returns the stored schema
// when id already names this very schema, or nil when the caller may
// insert it as id. An id or a text that no version uses any more (every
// version using it was permanently deleted) is free again: its row is
// removed. While any version, even soft-deleted, uses them, an id names
// one schema and a schema has one id; a conflict is 42205, as Confluent
// answers it.
func (s *Service) importTarget(ctx context.Context, tx Executor, schemaContext string, id int, fp string, sch *Schema) (*Schema, error) {
	byID, err := tx.SchemaGetByID(ctx, schemaContext, id)
	switch {
	case err == nil && byID.Fingerprint == fp:
		return byID, nil
	case err == nil:
		if err := s.freeSchema(ctx, tx, schemaContext, id); errors.Is(err, ErrNotFound) {
			return nil, Errorf(srapi.CodeOperationNotPermitted, "Overwrite new schema with id %d is not permitted: the id is in use by a different schema", id)
		} else if err != nil {
			return nil, err
		}
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	if sch == nil {
		if sch, err = tx.SchemaGetByFingerprint(ctx, fp); errors.Is(err, ErrNotFound) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
	}
	if sch.ID == id {
		return sch, nil
	}
	if err := s.freeSchema(ctx, tx, schemaContext, sch.ID); errors.Is(err, ErrNotFound) {
		return nil, Errorf(srapi.CodeOperationNotPermitted, "The schema is already registered with id %d, not %d", sch.ID, id)
	} else if err != nil {
		return nil, err
	}
	return nil, nil
}

// freeSchema removes schema id, which no version may use, and tells every
// process to forget what it cached of it (its fingerprint included).
func (s *Service) freeSchema(ctx context.Context, tx Executor, schemaContext string, id int) error {
	if err := tx.SchemaDeleteUnused(ctx, schemaContext, id); err != nil {
		return err
	}
	s.byFingerprint.InvalidateAll()
	return tx.Notify(ctx, Change{Kind: ChangeReset})
}

// findVersion returns the version of subject holding the parsed schema, or
// nil. With normalize it also matches versions whose normalized form
// equals in's.
func (s *Service) findVersion(ctx context.Context, ex Executor, subject string, in *parsed, normalize, includeDeleted bool) (*SubjectVersion, error) {
	sch, err := s.schemaByFingerprint(ctx, ex, in.fingerprint)
	switch {
	case err == nil:
		v, err := ex.VersionBySchema(ctx, subject, sch.ID, includeDeleted)
		if err == nil {
			v.Schema = sch
			return v, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, storeError(err)
		}
	case !errors.Is(err, ErrNotFound):
		return nil, storeError(err)
	}
	if !normalize {
		return nil, nil
	}
	vs, err := ex.VersionList(ctx, subject, includeDeleted)
	if err != nil {
		return nil, storeError(err)
	}
	want := in.schema.Normalized()
	for i := len(vs) - 1; i >= 0; i-- {
		old, err := s.parsedSchema(ctx, ex, vs[i].Schema)
		if err != nil {
			return nil, err
		}
		if old.Format() == in.schema.Format() && old.Normalized() == want {
			return &vs[i], nil
		}
	}
	return nil, nil
}

func incompatible(subject string, res compat.Result) error {
	var details []string
	for _, f := range res.Findings {
		if f.Severity == compat.Error {
			details = append(details, f.String())
		}
	}
	if res.Truncated > 0 {
		details = append(details, srapi.TruncatedMessage(res.Truncated))
	}
	return &Error{
		Code: srapi.CodeIncompatibleSchema,
		Message: fmt.Sprintf("Schema being registered is incompatible with an earlier schema for subject %q, details: [%s]",
			subject, strings.Join(details, "; ")),
		Findings: res.Findings,
	}
}

// maxSubjectLength bounds subject names, as Kafka topic-derived subjects
// are far shorter.
const maxSubjectLength = 1024

// ValidateSubject reports, as a 42208 *Error, a name that cannot be a
// subject: empty, longer than 1,024 bytes, not UTF-8, or holding control
// characters.
func ValidateSubject(subject string) error {
	if subject == "" || len(subject) > maxSubjectLength || !utf8.ValidString(subject) {
		return Errorf(srapi.CodeInvalidSubject, "Invalid subject %q: a subject is 1 to %d bytes of UTF-8", subject, maxSubjectLength)
	}
	for _, r := range subject {
		if unicode.IsControl(r) {
			return Errorf(srapi.CodeInvalidSubject, "Invalid subject %q: control characters are not allowed", subject)
		}
	}
	return nil
}
