package serde_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/schemata-dev/schemata/client/serde"
)

func TestHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		id   int
		want []byte
	}{
		{"SmallID", 1, []byte{0, 0, 0, 0, 1}},
		{"BigEndian", 0x01020304, []byte{0, 1, 2, 3, 4}},
		{"LargestID", 1<<31 - 1, []byte{0, 0x7f, 0xff, 0xff, 0xff}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := serde.AppendHeader(nil, tc.id)
			if !bytes.Equal(b, tc.want) {
				t.Fatalf("AppendHeader(%d) = %x, want %x", tc.id, b, tc.want)
			}
			id, payload, err := serde.ParseHeader(append(b, 'x'))
			if err != nil || id != tc.id || string(payload) != "x" {
				t.Errorf("ParseHeader = %d, %q, %v", id, payload, err)
			}
		})
	}
}

func TestMessageIndexes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		indexes []int
		want    []byte
	}{
		// The first message is written as the single byte 0.
		{"FirstMessage", []int{0}, []byte{0}},
		// Otherwise the count, then each index, as zigzag varints.
		{"SecondMessage", []int{1}, []byte{2, 2}},
		{"NestedMessage", []int{0, 2}, []byte{4, 0, 4}},
		{"DeepIndex", []int{100}, []byte{2, 0xc8, 0x01}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := serde.AppendMessageIndexes(nil, tc.indexes)
			if !bytes.Equal(b, tc.want) {
				t.Fatalf("AppendMessageIndexes(%v) = %x, want %x", tc.indexes, b, tc.want)
			}
			got, rest, err := serde.ReadMessageIndexes(append(b, 0xaa))
			if err != nil || !slices.Equal(got, tc.indexes) || !bytes.Equal(rest, []byte{0xaa}) {
				t.Errorf("ReadMessageIndexes = %v, %x, %v", got, rest, err)
			}
		})
	}
}

func TestMalformedWireFormat(t *testing.T) {
	t.Parallel()
	for _, b := range [][]byte{
		{},                       // no count
		{2},                      // count 1, no index
		{1},                      // negative count
		{0xc8, 0x01},             // count 100... and nothing
		{0x80, 0x80, 0x80, 0x80}, // truncated varint
		{2, 1},                   // negative index
	} {
		if _, _, err := serde.ReadMessageIndexes(b); !errors.Is(err, serde.ErrNotWireFormat) {
			t.Errorf("ReadMessageIndexes(%x) = %v, want ErrNotWireFormat", b, err)
		}
	}
}

func FuzzParseHeader(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 1, 'x'})
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		id, payload, err := serde.ParseHeader(b)
		if err != nil {
			return
		}
		again := append(serde.AppendHeader(nil, id), payload...)
		if !bytes.Equal(again, b) {
			t.Errorf("ParseHeader(%x) = %d, %x; does not encode back", b, id, payload)
		}
	})
}

func FuzzReadMessageIndexes(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{4, 0, 4, 0xff})
	f.Add([]byte{0xc8, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		idx, rest, err := serde.ReadMessageIndexes(b)
		if err != nil {
			return
		}
		if len(idx) == 0 {
			t.Fatalf("ReadMessageIndexes(%x) = no index and no error", b)
		}
		// What was read encodes back to a list that reads the same.
		enc := serde.AppendMessageIndexes(nil, idx)
		got, tail, err := serde.ReadMessageIndexes(append(enc, rest...))
		if err != nil || !slices.Equal(got, idx) || !bytes.Equal(tail, rest) {
			t.Errorf("round trip of %v: %v, %x, %v", idx, got, tail, err)
		}
	})
}
