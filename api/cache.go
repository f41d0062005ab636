package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/VictoriaMetrics/fastcache"
	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2/stats"

	"github.com/schemata-dev/schemata/internal/registry"
)

// responseCache keeps the encoded responses of schemas by id, so the
// runtime lookup paths (GET /schemas/ids/{id} and
// GET /subjects/{s}/versions/{v}) and remembered re-registrations do no
// JSON encoding and, on a hit, ask the Service nothing: it is the
// process's one copy of what lookups return, and the Service's own row
// cache is kept small.
//
// The entries live outside the Go heap, in fastcache's 64 KiB chunks: a
// registry of 100,000 schemas holds 100,000 answers, and as pointers in
// the collected heap they made every garbage collection mark them all
// again. Here the collector sees one map of integers per segment and no
// chunk, so the runtime's soft memory limit leaves the cache's share out
// (see server.DerivedMemoryLimit). Each segment is a ring: a full one
// overwrites its oldest entries first.
//
// An id names the same content until the Service's SchemaEpoch moves
// (a permanent delete, an import that frees ids, a deleted context), so
// the epoch read before a schema was fetched is part of its key: an entry
// of an earlier epoch is never found again and ages out of its ring.
// Entries are immutable once stored; a key is compared in full on every
// read, so a hash collision is a miss, never another schema's answer.
type responseCache struct {
	store *fastcache.Cache
	// counts records hits and misses; fastcache's own counts include
	// the lookups of the second form (bigTag) and the parts of a big
	// entry.
	counts *stats.Counter
}

// Entries whose key and value fit one chunk are stored whole under a key
// starting with smallTag; larger ones (a schema of 64 KiB or more) are
// split by fastcache's SetBig under a key starting with bigTag. Keys are
// at least 18 bytes, so they never equal the 16-byte keys SetBig gives
// the parts.
const (
	smallTag = 's'
	bigTag   = 'b'
	// chunkBytes is fastcache's chunk: an entry's key, value and 4 bytes
	// of lengths must be smaller to be stored whole.
	chunkBytes = 64 << 10
)

// cachedSchema is one schema's encoded answer, read out of the cache
// for one response.
type cachedSchema struct {
	// bodyHash summarises the body: its ETag, and with a hash of their
	// own prefix, the ETags of version responses.
	bodyHash uint64
	// body is the GET /schemas/ids/{id} response.
	body []byte
	// buf holds body: a pooled buffer, given back by release.
	buf *[]byte
}

// release gives e's buffer back to the pool; e must not be used after.
func (e cachedSchema) release() {
	if e.buf != nil {
		putBody(e.buf)
	}
}

// headers returns the body's ETag and Content-Length, in one allocation
// of both strings and one of the array the two header slices share.
func (e cachedSchema) headers() (etag, length []string) {
	var buf [40]byte
	b := append(appendHex64(append(buf[:0], '"'), e.bodyHash), '"')
	n := len(b)
	b = strconv.AppendInt(b, int64(len(e.body)), 10)
	both := string(b)
	hdr := &[2]string{both[:n], both[n:]}
	return hdr[0:1:1], hdr[1:2:2]
}

// members returns the body without its opening brace, for responses that
// add members of their own in front.
func (e cachedSchema) members() []byte { return e.body[1:] }

// newResponseCache returns a cache of share bytes, rounded up as
// ResponseCacheBytes says.
func newResponseCache(share uint64) *responseCache {
	return &responseCache{
		store:  fastcache.New(int(offHeapBytes(share))),
		counts: stats.NewCounter(),
	}
}

// segments is fastcache's: the cache is 512 rings of whole chunks.
const segments = 512

// ResponseCacheBytes is the memory the encoded responses take outside
// the Go heap, at most, with a cache budget of cacheBytes (0 for the
// default): their share (registry.CacheResponses) rounded up to a whole
// number of chunks in each of fastcache's 512 segments, a multiple of 32
// MiB. The runtime's soft memory limit leaves it out.
func ResponseCacheBytes(cacheBytes int64) int64 {
	return int64(offHeapBytes(registry.CacheShare(cacheBytes, registry.CacheResponses)))
}

func offHeapBytes(share uint64) uint64 {
	const granule = segments * chunkBytes
	share = min(max(share, 1), 1<<40)
	return (share + granule - 1) / granule * granule
}

// entryKey appends the key of schema id of schemaContext ("" is the
// default context) under epoch.
func entryKey(dst []byte, tag byte, schemaContext string, id int, epoch uint64) []byte {
	if schemaContext == "" {
		schemaContext = registry.DefaultContext
	}
	dst = append(dst, tag)
	dst = binary.BigEndian.AppendUint64(dst, epoch)
	dst = binary.BigEndian.AppendUint64(dst, uint64(id))
	return append(dst, schemaContext...)
}

// current returns the entry of schema id of schemaContext if one was
// stored under epoch. The caller releases it.
func (rc *responseCache) current(schemaContext string, id int, epoch uint64) (cachedSchema, bool) {
	var kb [64]byte
	k := entryKey(kb[:0], smallTag, schemaContext, id, epoch)
	bp := getBody()
	v, ok := rc.store.HasGet((*bp)[:0], k)
	if !ok {
		k[0] = bigTag
		v = rc.store.GetBig((*bp)[:0], k)
		ok = len(v) > 0
	}
	*bp = v
	if !ok || len(v) < 8 {
		putBody(bp)
		rc.counts.RecordMisses(1)
		return cachedSchema{}, false
	}
	rc.counts.RecordHits(1)
	return cachedSchema{bodyHash: binary.BigEndian.Uint64(v), body: v[8:], buf: bp}, true
}

// put encodes s, fetched while the Service's SchemaEpoch was epoch, and
// keeps it. Callers look for a current entry first (current) and release
// the one returned.
func (rc *responseCache) put(s *registry.Schema, epoch uint64) (cachedSchema, error) {
	bp := getBody()
	v, err := encodeEntry((*bp)[:0], s)
	*bp = v
	if err != nil {
		putBody(bp)
		return cachedSchema{}, err
	}
	var kb [64]byte
	k := entryKey(kb[:0], smallTag, s.Context, s.ID, epoch)
	if 4+len(k)+len(v) < chunkBytes {
		rc.store.Set(k, v)
	} else {
		k[0] = bigTag
		rc.store.SetBig(k, v)
	}
	return cachedSchema{bodyHash: binary.BigEndian.Uint64(v), body: v[8:], buf: bp}, nil
}

// stat reports the cache for metrics. Evictions are the entries stored
// and no longer held: overwritten in their ring (counted once the ring
// has wrapped past them), or stored twice by two concurrent misses.
func (rc *responseCache) stat() registry.CacheStat {
	var st fastcache.Stats
	rc.store.UpdateStats(&st)
	counts := rc.counts.Snapshot()
	return registry.CacheStat{
		Name:      registry.CacheResponses,
		Hits:      counts.Hits,
		Misses:    counts.Misses,
		Evictions: st.SetCalls - min(st.EntriesCount, st.SetCalls),
		Bytes:     st.BytesSize,
		Capacity:  st.MaxBytesSize,
	}
}

// encodeEntry appends the value stored for s: 8 bytes of the body's
// hash, then the GET /schemas/ids/{id} body, with a strong ETag derived
// from its bytes.
func encodeEntry(dst []byte, s *registry.Schema) ([]byte, error) {
	start := len(dst)
	buf := bytes.NewBuffer(append(dst, make([]byte, 8)...))
	if err := encodeJSON(buf, wireSchema(s)); err != nil {
		return dst, err
	}
	v := buf.Bytes()
	sum := sha256.Sum256(v[start+8:])
	copy(v[start:], sum[:8])
	return v, nil
}

// textHeaders returns the ETag and Content-Length of a schema's bare
// text (the .../schema endpoints, served from the Service's row).
func textHeaders(text string) (etag, length []string) {
	sum := sha256.Sum256([]byte(text))
	return []string{`"` + hex.EncodeToString(sum[:16]) + `"`}, []string{strconv.Itoa(len(text))}
}

// bodyPool holds the buffers responses built from cached entries are
// written from.
var bodyPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 1024)
	return &b
}}

// maxPooledBody bounds the buffers kept in bodyPool, so that one very
// large schema does not pin its size in every pooled buffer.
const maxPooledBody = 64 << 10

func getBody() *[]byte { return bodyPool.Get().(*[]byte) }

func putBody(bp *[]byte) {
	if cap(*bp) <= maxPooledBody {
		bodyPool.Put(bp)
	}
}

// writeEntry writes the GET /schemas/ids/{id} response of e.
func writeEntry(c echo.Context, e cachedSchema, cacheControl []string) error {
	etag, length := e.headers()
	return writeCached(c, etag, length, cacheControl, e.body)
}

// writeVersion writes the GET /subjects/{s}/versions/{v} response for v,
// whose schema is e: {"subject":...,"version":...,"id":..., then e's
// members. The ETag combines a hash of that prefix with e's body hash, so
// it changes whenever any byte of the response does.
func writeVersion(c echo.Context, v *registry.SubjectVersion, e cachedSchema, cacheControl []string) error {
	bp := getBody()
	defer putBody(bp)
	p := (*bp)[:0]
	p = append(p, `{"subject":`...)
	p = appendJSONString(p, v.Subject)
	p = append(p, `,"version":`...)
	p = strconv.AppendInt(p, int64(v.Version), 10)
	p = append(p, `,"id":`...)
	p = strconv.AppendInt(p, int64(v.SchemaID), 10)
	p = append(p, ',')
	*bp = p

	h := fnv.New64a()
	_, _ = h.Write(p)
	sum := h.Sum64() ^ e.bodyHash
	var buf [18]byte
	tag := append(buf[:0], '"')
	tag = appendHex64(tag, sum)
	tag = append(tag, '"')

	p = append(p, e.members()...)
	*bp = p
	return writeCached(c, []string{string(tag)}, []string{strconv.Itoa(len(p))}, cacheControl, p)
}

// writeRegistered writes the POST /subjects/{s}/versions response for v,
// whose schema is e: {"id":...,"version":..., then e's members, as
// encoding srapi.RegisterResponse would.
func writeRegistered(c echo.Context, v *registry.SubjectVersion, e cachedSchema) error {
	bp := getBody()
	defer putBody(bp)
	p := (*bp)[:0]
	p = append(p, `{"id":`...)
	p = strconv.AppendInt(p, int64(v.SchemaID), 10)
	if v.Version != 0 {
		p = append(p, `,"version":`...)
		p = strconv.AppendInt(p, int64(v.Version), 10)
	}
	p = append(p, ',')
	p = append(p, e.members()...)
	*bp = p

	w := c.Response()
	h := w.Header()
	h[canonContentType] = hdrContentType
	h[canonLength] = []string{strconv.Itoa(len(p))}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(p)
	return err
}

func appendHex64(dst []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		dst = append(dst, digits[(v>>uint(shift))&0xf])
	}
	return dst
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// encodes it with HTML escaping off: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD, and U+2028 and
// U+2029 escaped for JavaScript.
func appendJSONString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
