package serde

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The Confluent wire format: a magic byte 0, the schema id as a 4-byte
// big-endian integer, then the payload. Protobuf payloads start with the
// message-index list (see AppendMessageIndexes).
const (
	magicByte = 0
	// HeaderSize is the length of the magic byte and the schema id.
	HeaderSize = 5
)

// ErrNotWireFormat is returned for bytes that do not start with the magic
// byte and a schema id.
var ErrNotWireFormat = errors.New("not in the schema registry wire format")

// AppendHeader appends the magic byte and schema id to dst.
func AppendHeader(dst []byte, id int) []byte {
	return binary.BigEndian.AppendUint32(append(dst, magicByte), uint32(id))
}

// ParseHeader splits b into its schema id and payload.
func ParseHeader(b []byte) (id int, payload []byte, err error) {
	if len(b) < HeaderSize {
		return 0, nil, fmt.Errorf("%w: %d bytes, want at least %d", ErrNotWireFormat, len(b), HeaderSize)
	}
	if b[0] != magicByte {
		return 0, nil, fmt.Errorf("%w: magic byte %d, want 0", ErrNotWireFormat, b[0])
	}
	return int(binary.BigEndian.Uint32(b[1:HeaderSize])), b[HeaderSize:], nil
}

// maxMessageIndexes bounds the message-index list read from a payload:
// nesting deeper than this is corrupt input, not a schema.
const maxMessageIndexes = 100

// AppendMessageIndexes appends a Protobuf message-index list: the path of
// the message in its file (the index among the top-level messages, then
// among the nested ones), as zigzag varints preceded by their count. The
// common case, the file's first message ([0]), is the single byte 0.
func AppendMessageIndexes(dst []byte, indexes []int) []byte {
	if len(indexes) == 1 && indexes[0] == 0 {
		return append(dst, 0)
	}
	dst = binary.AppendVarint(dst, int64(len(indexes)))
	for _, i := range indexes {
		dst = binary.AppendVarint(dst, int64(i))
	}
	return dst
}

// ReadMessageIndexes reads a message-index list from the start of b and
// returns it with the rest of b. A count of 0 means [0].
func ReadMessageIndexes(b []byte) (indexes []int, rest []byte, err error) {
	n, k := binary.Varint(b)
	if k <= 0 {
		return nil, nil, fmt.Errorf("%w: truncated message-index count", ErrNotWireFormat)
	}
	b = b[k:]
	if n == 0 {
		return []int{0}, b, nil
	}
	if n < 0 || n > maxMessageIndexes {
		return nil, nil, fmt.Errorf("%w: message-index count %d", ErrNotWireFormat, n)
	}
	indexes = make([]int, n)
	for i := range indexes {
		v, k := binary.Varint(b)
		if k <= 0 {
			return nil, nil, fmt.Errorf("%w: truncated message index", ErrNotWireFormat)
		}
		if v < 0 || v > 1<<20 {
			return nil, nil, fmt.Errorf("%w: message index %d", ErrNotWireFormat, v)
		}
		indexes[i] = int(v)
		b = b[k:]
	}
	return indexes, b, nil
}
