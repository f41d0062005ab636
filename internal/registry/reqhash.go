package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"reflect"
	"slices"
)

// requestKey hashes every field of a registration request, walking the
// struct by reflection so that a field added to RegisterParams or
// SchemaInput is part of the key without anyone remembering to add it:
// two requests share a key only if every field is equal, byte for byte.
func requestKey(p RegisterParams) [32]byte {
	h := sha256.New()
	hashValue(h, reflect.ValueOf(p))
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// hashValue writes v to h unambiguously: every variable-length value is
// length-prefixed, every optional one flagged, so that no two different
// values write the same bytes.
func hashValue(h hash.Hash, v reflect.Value) {
	var n [8]byte
	putUint := func(u uint64) {
		binary.BigEndian.PutUint64(n[:], u)
		h.Write(n[:])
	}
	switch v.Kind() {
	case reflect.String:
		writeStrings(h, v.String())
	case reflect.Bool:
		if v.Bool() {
			putUint(1)
		} else {
			putUint(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		putUint(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		putUint(v.Uint())
	case reflect.Float32, reflect.Float64:
		putUint(math.Float64bits(v.Float()))
	case reflect.Slice:
		// A nil slice and an empty one differ: JSON tells null from [].
		if v.IsNil() {
			putUint(0)
			return
		}
		putUint(1)
		if v.Type().Elem().Kind() == reflect.Uint8 {
			writeFields(h, v.Bytes())
			return
		}
		fallthrough
	case reflect.Array:
		putUint(uint64(v.Len()))
		for i := range v.Len() {
			hashValue(h, v.Index(i))
		}
	case reflect.Struct:
		putUint(uint64(v.NumField()))
		for i := range v.NumField() {
			hashValue(h, v.Field(i))
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			putUint(0)
			return
		}
		putUint(1)
		if v.Kind() == reflect.Interface {
			writeStrings(h, v.Elem().Type().String())
		}
		hashValue(h, v.Elem())
	case reflect.Map:
		// Map order is random: hash each pair on its own and write the
		// sorted digests.
		if v.IsNil() {
			putUint(0)
			return
		}
		putUint(1)
		pairs := make([][]byte, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			ph := sha256.New()
			hashValue(ph, it.Key())
			hashValue(ph, it.Value())
			pairs = append(pairs, ph.Sum(nil))
		}
		slices.SortFunc(pairs, bytes.Compare)
		putUint(uint64(len(pairs)))
		for _, p := range pairs {
			h.Write(p)
		}
	default:
		// Funcs, channels and unsafe pointers have no content to compare;
		// a request never holds one.
		panic(fmt.Sprintf("registry: cannot hash a %s in a request", v.Type()))
	}
}
