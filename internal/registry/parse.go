package registry

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"unsafe"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// parsed is a schema input after parsing: the form to store and its
// identity key.
type parsed struct {
	schema      schema.Schema
	text        string
	fingerprint string
	// metadata is the input's metadata, for the checks that read it
	// (compatibility groups, reserved fields).
	metadata json.RawMessage
	// strictErr is the srapi.CodeInvalidSchema error of a schema that
	// parsed only leniently (formats.ParseLenientWithLimits): IMPORT
	// stores it as it is, lookups find it, nothing else accepts it.
	strictErr error
}

// parseInput resolves in's references and parses it. Invalid schemas and
// unresolvable references are srapi.CodeInvalidSchema errors.
func (s *Service) parseInput(ctx context.Context, in SchemaInput) (*parsed, error) {
	p, err := s.parseInputLenient(ctx, in)
	if err != nil {
		return nil, err
	}
	if p.strictErr != nil {
		return nil, p.strictErr
	}
	return p, nil
}

// parseInputLenient is parseInput also answering a schema that parses
// only leniently, with its strictErr set; the caller decides.
func (s *Service) parseInputLenient(ctx context.Context, in SchemaInput) (*parsed, error) {
	if err := s.graphReadable(ctx, in.Context, in.References, ""); err != nil {
		return nil, err
	}
	return s.parseReadable(ctx, in)
}

// parseReadable is parseInputLenient for a caller that has already
// checked, with graphReadable, that it may read in's reference graph.
func (s *Service) parseReadable(ctx context.Context, in SchemaInput) (*parsed, error) {
	key := inputKey(in)
	if p, ok := s.inputs.GetIfPresent(key); ok {
		return p, nil
	}
	p, err := s.parseUncached(ctx, in)
	if err != nil {
		return nil, err
	}
	s.inputs.Set(key, p)
	return p, nil
}

func (s *Service) parseUncached(ctx context.Context, in SchemaInput) (*parsed, error) {
	deps, err := s.resolveReferences(ctx, s.store, in.Context, in.References, map[string]bool{})
	if err != nil {
		return nil, err
	}
	sch, strictErr := s.parseText(ctx, in.Format, in.Text, deps)
	if errors.Is(strictErr, ErrInvalidSchema) {
		var lerr error
		if sch, lerr = s.parseTextLenient(ctx, in.Format, in.Text, deps); lerr != nil {
			return nil, strictErr
		}
	} else if strictErr != nil {
		return nil, strictErr
	}
	p := &parsed{schema: sch, text: sch.Text(), metadata: in.Metadata, strictErr: strictErr}
	identity := sch.Identity()
	if in.Normalize {
		p.text = sch.Normalized()
		identity = p.text
	}
	p.fingerprint = fingerprint(in.Format, identity, in.References, in.Metadata, in.RuleSet)
	if in.Context != "" && in.Context != DefaultContext {
		// The same schema in two contexts is two schemas, with two ids.
		p.fingerprint = in.Context + ":" + p.fingerprint
	}
	return p, nil
}

// wrapParseError turns a parse failure into srapi.CodeInvalidSchema.
func wrapParseError(sch schema.Schema, err error) (schema.Schema, error) {
	if err == nil {
		return sch, nil
	}
	var pe *schema.ParseError
	if errors.As(err, &pe) {
		return nil, &Error{Code: srapi.CodeInvalidSchema, Message: "Invalid schema: " + pe.Error(), Err: err}
	}
	return nil, &Error{Code: srapi.CodeInvalidSchema, Message: "Invalid schema: " + err.Error(), Err: err}
}

// resolveReferences returns the transitive closure of refs, made in a
// schema of schemaContext, each dependency after its own dependencies. An
// unqualified reference names a subject of schemaContext. seen guards
// against cycles.
func (s *Service) resolveReferences(ctx context.Context, ex Executor, schemaContext string, refs []schema.Reference, seen map[string]bool) ([]schema.Dependency, error) {
	var deps []schema.Dependency
	for _, ref := range refs {
		if ref.Name == "" || ref.Subject == "" {
			return nil, Errorf(srapi.CodeInvalidSchema, "Invalid schema: a reference needs a name and a subject")
		}
		target := ReferenceTarget(schemaContext, ref.Subject)
		key := fmt.Sprintf("%s\x00%d", target, ref.Version)
		if seen[key] {
			continue
		}
		seen[key] = true
		if len(seen) > s.opts.Limits.MaxReferences {
			return nil, referencesLimit(len(seen), s.opts.Limits.MaxReferences)
		}
		var v *SubjectVersion
		var err error
		if ref.Version == LatestVersion || ref.Version == 0 {
			v, err = ex.VersionLatest(ctx, target, false)
		} else {
			v, err = ex.VersionGet(ctx, target, ref.Version, false)
		}
		if errors.Is(err, ErrNotFound) {
			return nil, referenceNotFound(ref)
		}
		if err != nil {
			return nil, storeError(err)
		}
		sub, err := s.resolveReferences(ctx, ex, v.Schema.Context, v.Schema.References, seen)
		if err != nil {
			return nil, err
		}
		deps = append(deps, sub...)
		deps = append(deps, schema.Dependency{Name: ref.Name, Text: v.Schema.Text})
	}
	return deps, nil
}

// graphReadable refuses unless the caller may read every subject of the
// reference graph refs reach (A refs B refs C: B and C), since resolving
// it hands the caller every schema in it (embedded in a resolved text,
// or judged in findings). References resolve in schemaContext, the
// context of the schema holding them, as the resolution does. A
// reference the caller wrote (via "") to a subject it may not read gets
// the answer of a reference to a missing one, so that a reference cannot
// tell whether another team's subject exists; a reference held by a
// stored schema (via names it) is refused as forbidden, naming the
// subject, which the readable schema holding it already names. The walk
// is bounded by Limits.MaxReferences like the resolution itself; a
// missing subject or version is left for the resolution to report. It
// runs before the parsed-input cache, which would otherwise answer
// without resolving.
func (s *Service) graphReadable(ctx context.Context, schemaContext string, refs []schema.Reference, via string) error {
	a := restricted(ctx, PermRead)
	if a == nil || len(refs) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var walk func(schemaContext string, refs []schema.Reference, via string) error
	walk = func(schemaContext string, refs []schema.Reference, via string) error {
		for _, ref := range refs {
			if ref.Subject == "" {
				continue
			}
			target := ReferenceTarget(schemaContext, ref.Subject)
			if !a.Allows(PermRead, target) {
				if via == "" {
					return referenceNotFound(ref)
				}
				return forbidden(a, fmt.Sprintf("Read on subject %q, which %s references", target, via))
			}
			key := fmt.Sprintf("%s\x00%d", target, ref.Version)
			if seen[key] {
				continue
			}
			seen[key] = true
			if len(seen) > s.opts.Limits.MaxReferences {
				return referencesLimit(len(seen), s.opts.Limits.MaxReferences)
			}
			var v *SubjectVersion
			var err error
			if ref.Version == LatestVersion || ref.Version == 0 {
				v, err = s.store.VersionLatest(ctx, target, false)
			} else {
				v, err = s.store.VersionGet(ctx, target, ref.Version, false)
			}
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return storeError(err)
			}
			if err := walk(ContextOf(target), v.Schema.References, fmt.Sprintf("%s version %d", target, v.Version)); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(schemaContext, refs, via)
}

func referenceNotFound(ref schema.Reference) error {
	return Errorf(srapi.CodeInvalidSchema, "Invalid schema: reference %q points to %s version %d, which does not exist", ref.Name, ref.Subject, ref.Version)
}

// inputKey hashes everything that determines how in parses.
func inputKey(in SchemaInput) [32]byte {
	h := sha256.New()
	normalize := "0"
	if in.Normalize {
		normalize = "1"
	}
	writeStrings(h, string(in.Format), normalize, in.Text)
	writeFields(h, in.Metadata, in.RuleSet)
	writeStrings(h, in.Context)
	for _, r := range in.References {
		writeStrings(h, r.Name, r.Subject, strconv.Itoa(r.Version))
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// writeFields writes each field length-prefixed, so field boundaries
// cannot be confused.
func writeFields(h hash.Hash, fields ...[]byte) {
	var n [8]byte
	for _, f := range fields {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write(f)
	}
}

// writeStrings is writeFields for strings, without copying them: a hash,
// as every io.Writer, neither keeps nor changes what it is given.
func writeStrings(h hash.Hash, fields ...string) {
	for _, f := range fields {
		writeFields(h, unsafe.Slice(unsafe.StringData(f), len(f)))
	}
}

// fingerprint is the identity key of a schema: format, identity form,
// references, metadata and rule set. Two inputs with the same fingerprint
// get the same id (a fingerprint outside the default context includes the
// context: see parseUncached).
func fingerprint(f schema.Format, identity string, refs []schema.Reference, metadata, ruleSet json.RawMessage) string {
	h := sha256.New()
	writeStrings(h, string(f), identity)
	for _, r := range refs {
		writeStrings(h, r.Name, r.Subject, strconv.Itoa(r.Version))
	}
	writeFields(h, metadata, ruleSet)
	return hex.EncodeToString(h.Sum(nil))
}
