package registry

import (
	"encoding/hex"
	"math"
)

// subjectHashes is what a registration without a contract needs of a
// subject's live versions to answer, without a query, a request that
// registered one of them (here or in another process): each version's
// number, schema id and stored hashes. It is read by one request's query
// (VersionListByInput) and serves the requests that re-register the
// subject's other versions, which would otherwise each send that query:
// a producer fleet's restart re-registers every version it writes, so
// their first sightings cost one query per subject, not one per version.
//
// Like a remembered answer it holds while neither the subject's
// generation nor the service's epoch has moved since it was read.
type subjectHashes struct {
	gen        *subjectGen
	subjectGen uint64
	epoch      uint64
	versions   []hashedRef
}

// hashedRef is one live version and its hashes, each cut to its first
// 16 bytes: enough to tell the versions of one subject apart, at a
// third of the memory of the hex text.
type hashedRef struct {
	version, id                 int32
	input, identity, normalized [16]byte
	// hasInput is false for a version stored without the hash of the
	// request that created it (an import, or one older than the hash).
	hasInput bool
}

// hashedRefSize is the bytes one hashedRef holds.
const hashedRefSize = 60

// subjectHashesSize estimates what an entry holds: the struct, the
// versions and the subject's name.
func subjectHashesSize(subject string, h *subjectHashes) int {
	return 64 + len(subject) + hashedRefSize*len(h.versions)
}

// rememberHashes keeps the hashes of a subject's live versions, read
// while its generation was subjectGen and the epoch epoch. A subject
// with a version whose identity hashes are missing (registered before
// they were stored) or unreadable is not kept: versionByHashes answers
// nothing for it either.
func (s *Service) rememberHashes(subject string, gen *subjectGen, subjectGen, epoch uint64, live []HashedVersion) {
	refs := make([]hashedRef, len(live))
	for i := range live {
		v := &live[i]
		if v.Version > math.MaxInt32 || v.SchemaID > math.MaxInt32 {
			return
		}
		r := hashedRef{version: int32(v.Version), id: int32(v.SchemaID)}
		if !hashPrefix(&r.identity, v.Hashes.Identity) || !hashPrefix(&r.normalized, v.Hashes.Normalized) {
			return
		}
		r.hasInput = hashPrefix(&r.input, v.Hashes.Input)
		refs[i] = r
	}
	s.subjectHashes.Set(subject, &subjectHashes{gen: gen, subjectGen: subjectGen, epoch: epoch, versions: refs})
}

// hashPrefix decodes the first 16 bytes of a hex-encoded hash into dst;
// false when there are not that many.
func hashPrefix(dst *[16]byte, h string) bool {
	if len(h) < 2*len(dst) {
		return false
	}
	_, err := hex.Decode(dst[:], []byte(h[:2*len(dst)]))
	return err == nil
}

// answerByHashes answers, from remembered hashes, a registration without
// a contract in subject whose request (normalize applied) hashes to
// input: as versionByHashes would over what VersionListByInput returns,
// the latest live version holding the same schema as the version that
// request registered. ok is false when nothing current is remembered or
// the request registered no live version; the caller then asks the
// store, which also knows soft-deleted versions.
func (s *Service) answerByHashes(subject string, input [32]byte, normalize bool) (*SubjectVersion, bool) {
	h, ok := s.subjectHashes.GetIfPresent(subject)
	if !ok || h.gen.Load() != h.subjectGen || s.epoch.Load() != h.epoch {
		return nil, false
	}
	var in [16]byte
	copy(in[:], input[:])
	var registered *hashedRef
	for i := range h.versions {
		if h.versions[i].hasInput && h.versions[i].input == in {
			registered = &h.versions[i]
			break
		}
	}
	if registered == nil {
		return nil, false
	}
	want := registered.identity
	if normalize {
		want = registered.normalized
	}
	for i := len(h.versions) - 1; i >= 0; i-- {
		v := &h.versions[i]
		got := v.identity
		if normalize {
			got = v.normalized
		}
		if got == want {
			return &SubjectVersion{Subject: subject, Version: int(v.version), SchemaID: int(v.id)}, true
		}
	}
	return nil, false
}
