package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"

	"github.com/schemata-dev/schemata/internal/registry"
)

// responseCache keeps the encoded responses of schemas by id, so the
// runtime lookup paths (GET /schemas/ids/{id} and
// GET /subjects/{s}/versions/{v}) do no JSON encoding and, on a hit, ask
// the Service nothing: it is the process's one copy of what lookups
// return, and the Service's own row cache is kept small.
//
// An id names the same content until the Service's SchemaEpoch moves
// (a permanent delete, an import that frees ids, a deleted context), so
// an entry records the epoch read before its schema was fetched and is
// current while the epoch holds. Entries are immutable once stored. The
// cache holds at most its share of the memory budget, weighed by the
// bytes of each entry, and evicts the entries least likely to be used
// again.
type responseCache struct {
	entries *otter.Cache[registry.SchemaKey, *cachedSchema]
	// counts records hits of current entries only: an entry of an
	// earlier epoch is a miss (see current).
	counts *stats.Counter
}

// evictionsOnly leaves hits and misses to the cache's owner.
type evictionsOnly struct{ *stats.Counter }

func (evictionsOnly) RecordHits(int)   {}
func (evictionsOnly) RecordMisses(int) {}

// cachedSchema is the encoded form of one schema, kept small: a lookup
// cache of 100,000 schemas holds 100,000 of these. The GET
// /schemas/ids/{id} body is a head, the schema text as a JSON string,
// and a tail; an entry of a schema without references or a contract
// (most of them) shares the head and tail of its format with every
// other, and the text is the schema row's own string, so an entry adds
// little beyond the text. Its header values are shared by every response
// and must never be modified.
//
// The two header values are parts of one short string.
type cachedSchema struct {
	// epoch is the Service's SchemaEpoch when the schema was fetched.
	epoch uint64
	text  string
	// parts are the head (ending with `"schema":`) and the tail of an
	// entry whose head and tail are not shared; nil when they are
	// sharedParts[shared].
	parts  *[2][]byte
	shared int
	// hdr holds the body's ETag and Content-Length, in one array so that
	// the header slices (etag and length) cost no allocation.
	hdr [2]string
	// bodyHash summarises the body: its ETag, and with a hash of their
	// own prefix, the ETags of version responses.
	bodyHash uint64
}

// etag and length are the body's header values.
func (e *cachedSchema) etag() []string   { return e.hdr[0:1:1] }
func (e *cachedSchema) length() []string { return e.hdr[1:2:2] }

// head and tail frame the text in the body.
func (e *cachedSchema) head() []byte {
	if e.parts != nil {
		return e.parts[0]
	}
	return sharedParts[e.shared].head
}

func (e *cachedSchema) tail() []byte {
	if e.parts != nil {
		return e.parts[1]
	}
	return sharedParts[e.shared].tail
}

// cachedSchemaSize is what an entry holds besides its text, as measured
// in heap profiles of a full cache: the struct, the header values, the
// key, and the cache's node and table slot.
const cachedSchemaSize = 208

// size estimates the bytes e keeps alive.
func (e *cachedSchema) size() uint32 {
	n := cachedSchemaSize + len(e.text)
	if e.parts != nil {
		n += 64 + len(e.parts[0]) + len(e.parts[1])
	}
	return uint32(min(n, math.MaxUint32))
}

// appendBody appends the body, or its members only (without the opening
// brace) for responses that add members of their own in front.
func (e *cachedSchema) appendBody(dst []byte, membersOnly bool) []byte {
	head := e.head()
	if membersOnly {
		head = head[1:]
	}
	dst = append(dst, head...)
	dst = appendJSONString(dst, e.text)
	return append(dst, e.tail()...)
}

func newResponseCache(budget uint64) *responseCache {
	counts := stats.NewCounter()
	return &responseCache{counts: counts, entries: otter.Must(&otter.Options[registry.SchemaKey, *cachedSchema]{
		MaximumWeight: max(budget, 1),
		Weigher:       func(_ registry.SchemaKey, e *cachedSchema) uint32 { return e.size() },
		StatsRecorder: evictionsOnly{counts},
	})}
}

// current returns the entry of key if it was made under epoch.
func (rc *responseCache) current(key registry.SchemaKey, epoch uint64) (*cachedSchema, bool) {
	e, ok := rc.entries.GetIfPresent(key)
	if !ok || e.epoch != epoch {
		rc.counts.RecordMisses(1)
		return nil, false
	}
	rc.counts.RecordHits(1)
	return e, true
}

// put encodes s, fetched while the Service's SchemaEpoch was epoch, and
// keeps it. Callers look for a current entry first (current).
func (rc *responseCache) put(s *registry.Schema, epoch uint64) (*cachedSchema, error) {
	e, err := encodeSchema(s, epoch)
	if err != nil {
		return nil, err
	}
	rc.entries.Set(schemaKey(s.Context, s.ID), e)
	return e, nil
}

// schemaKey is the cache key of schema id of schemaContext ("" is the
// default context).
func schemaKey(schemaContext string, id int) registry.SchemaKey {
	if schemaContext == "" {
		schemaContext = registry.DefaultContext
	}
	return registry.SchemaKey{Context: schemaContext, ID: id}
}

// encodeSchema renders s once, with a strong ETag derived from the bytes.
func encodeSchema(s *registry.Schema, epoch uint64) (*cachedSchema, error) {
	// The schema text is left empty, to split the encoding around it.
	w := wireSchema(s)
	w.Schema = ""
	var buf bytes.Buffer
	if err := encodeJSON(&buf, w); err != nil {
		return nil, err
	}
	frame := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	i := bytes.Index(frame, []byte(`"schema":""`))
	if i < 0 {
		return nil, fmt.Errorf("encoding schema %d: no schema member in %s", s.ID, frame)
	}
	i += len(`"schema":`)
	e := &cachedSchema{epoch: epoch, text: s.Text, shared: -1}
	head, tail := frame[:i], frame[i+len(`""`):]
	for k, p := range sharedParts {
		if bytes.Equal(p.head, head) && bytes.Equal(p.tail, tail) {
			e.shared = k
			break
		}
	}
	if e.shared < 0 {
		e.parts = &[2][]byte{bytes.Clone(head), bytes.Clone(tail)}
	}
	body := e.appendBody(nil, false)
	sum := sha256.Sum256(body)
	e.bodyHash = binary.BigEndian.Uint64(sum[:8])
	var hdrBuf [40]byte
	hdr := append(appendHex64(append(hdrBuf[:0], '"'), e.bodyHash), '"')
	etagEnd := len(hdr)
	hdr = strconv.AppendInt(hdr, int64(len(body)), 10)
	lengthEnd := len(hdr)
	both := string(hdr)
	e.hdr = [2]string{both[:etagEnd], both[etagEnd:lengthEnd]}
	return e, nil
}

// sharedParts are the heads and tails most entries have: one copy each
// serves them all.
var sharedParts = []struct{ head, tail []byte }{
	{[]byte(`{"schemaType":"AVRO","schema":`), []byte(`}`)},
	{[]byte(`{"schemaType":"PROTOBUF","schema":`), []byte(`}`)},
	{[]byte(`{"schemaType":"JSON","schema":`), []byte(`}`)},
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
func writeEntry(c echo.Context, e *cachedSchema, cacheControl []string) error {
	bp := getBody()
	defer putBody(bp)
	*bp = e.appendBody((*bp)[:0], false)
	return writeCached(c, e.etag(), e.length(), cacheControl, *bp)
}

// writeVersion writes the GET /subjects/{s}/versions/{v} response for v,
// whose schema is e: {"subject":...,"version":...,"id":..., then e's
// members. The ETag combines a hash of that prefix with e's body hash, so
// it changes whenever any byte of the response does.
func writeVersion(c echo.Context, v *registry.SubjectVersion, e *cachedSchema, cacheControl []string) error {
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

	p = e.appendBody(p, true)
	*bp = p
	return writeCached(c, []string{string(tag)}, []string{strconv.Itoa(len(p))}, cacheControl, p)
}

// writeRegistered writes the POST /subjects/{s}/versions response for v,
// whose schema is e: {"id":...,"version":..., then e's members, as
// encoding srapi.RegisterResponse would.
func writeRegistered(c echo.Context, v *registry.SubjectVersion, e *cachedSchema) error {
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
	p = e.appendBody(p, true)
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
