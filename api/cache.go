package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"math"
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
// GET /subjects/{s}/versions/{v}) do no JSON encoding.
//
// An id always names the same content, so an entry stays valid for as
// long as the Service hands out the same *registry.Schema; a different
// pointer with equal content is still a hit, and one with different
// content (an id re-imported after a permanent delete) replaces the entry.
// Entries are immutable once stored. The cache holds at most its share of
// the memory budget, weighed by the bytes of each entry, and evicts the
// entries least likely to be used again.
type responseCache struct {
	entries *otter.Cache[registry.SchemaKey, *cachedSchema]
}

// cachedSchema is the encoded form of one schema. Its header values are
// shared by every response and must never be modified.
type cachedSchema struct {
	src *registry.Schema

	// body is the GET /schemas/ids/{id} response: a JSON object whose
	// members, after the opening brace, also end every version response.
	body       []byte
	bodyETag   []string
	bodyLength []string
	// bodyHash summarises body for the ETags of version responses.
	bodyHash uint64

	// textETag and textLength head the bare schema text (the .../schema
	// endpoints), which is src.Text: it is not kept a second time.
	textETag   []string
	textLength []string
}

// cachedSchemaSize is what an entry holds besides its body and schema
// text: the struct, the header values and the cache's node.
const cachedSchemaSize = 384

// size estimates the bytes e keeps alive, its schema row included: the
// registry's cache may have dropped the row while this one holds it.
func (e *cachedSchema) size() uint32 {
	n := cachedSchemaSize + len(e.body) + len(e.src.Text) + len(e.src.Metadata) + len(e.src.RuleSet) + len(e.src.Fingerprint)
	return uint32(min(n, math.MaxUint32))
}

func newResponseCache(budget uint64) *responseCache {
	return &responseCache{entries: otter.Must(&otter.Options[registry.SchemaKey, *cachedSchema]{
		MaximumWeight: max(budget, 1),
		Weigher:       func(_ registry.SchemaKey, e *cachedSchema) uint32 { return e.size() },
		StatsRecorder: stats.NewCounter(),
	})}
}

// entry returns the encoded form of s, encoding it on a miss.
func (rc *responseCache) entry(s *registry.Schema) (*cachedSchema, error) {
	if e, ok := rc.entries.GetIfPresent(s.Key()); ok && (e.src == s || sameSchema(e.src, s)) {
		return e, nil
	}
	e, err := encodeSchema(s)
	if err != nil {
		return nil, err
	}
	rc.entries.Set(s.Key(), e)
	return e, nil
}

// sameSchema reports whether a and b render identically.
func sameSchema(a, b *registry.Schema) bool {
	return a.Key() == b.Key() && a.Format == b.Format && a.Text == b.Text &&
		bytes.Equal(a.Metadata, b.Metadata) && bytes.Equal(a.RuleSet, b.RuleSet) &&
		slicesEqualRefs(a, b)
}

func slicesEqualRefs(a, b *registry.Schema) bool {
	if len(a.References) != len(b.References) {
		return false
	}
	for i := range a.References {
		if a.References[i] != b.References[i] {
			return false
		}
	}
	return true
}

// encodeSchema renders s once, with strong ETags derived from the bytes.
func encodeSchema(s *registry.Schema) (*cachedSchema, error) {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, wireSchema(s)); err != nil {
		return nil, err
	}
	body := buf.Bytes()
	sum := sha256.Sum256(body)
	textSum := sha256.Sum256([]byte(s.Text))
	return &cachedSchema{
		src:        s,
		body:       body,
		bodyETag:   []string{`"` + hex.EncodeToString(sum[:16]) + `"`},
		bodyLength: []string{strconv.Itoa(len(body))},
		bodyHash:   binary.BigEndian.Uint64(sum[:8]),
		textETag:   []string{`"` + hex.EncodeToString(textSum[:16]) + `"`},
		textLength: []string{strconv.Itoa(len(s.Text))},
	}, nil
}

// prefixPool holds buffers for the per-request part of version responses.
var prefixPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 256)
	return &b
}}

// writeVersion writes the GET /subjects/{s}/versions/{v} response for v,
// whose schema is e: {"subject":...,"version":...,"id":..., then e's
// members. The ETag combines a hash of that prefix with e's body hash, so
// it changes whenever any byte of the response does.
func writeVersion(c echo.Context, v *registry.SubjectVersion, e *cachedSchema, cacheControl []string) error {
	bp := prefixPool.Get().(*[]byte)
	defer prefixPool.Put(bp)
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

	members := e.body[1:]
	length := []string{strconv.Itoa(len(p) + len(members))}
	return writeCached(c, []string{string(tag)}, length, cacheControl, p, members)
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
