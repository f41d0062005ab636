package serde

import (
	"fmt"
	"sync"

	"github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/client"
)

// Avro is the Avro format, on github.com/hamba/avro/v2. Values are
// encoded and decoded with hamba's rules: structs with `avro` tags, maps,
// and any for decoding.
type Avro struct{}

// Type returns "AVRO".
func (Avro) Type() string { return client.TypeAvro }

// Parse parses s with its references. Each schema gets a cache of named
// types of its own, so two schemas defining the same name differently
// (two versions of one record) never see each other's definition.
func (Avro) Parse(s client.Schema, deps []Dependency) (Parsed, error) {
	names := &avro.SchemaCache{}
	for _, d := range deps {
		if _, err := avro.ParseWithCache(d.Schema.Schema, "", names); err != nil {
			return nil, fmt.Errorf("avro reference %q: %w", d.Name, err)
		}
	}
	sch, err := avro.ParseWithCache(s.Schema, "", names)
	if err != nil {
		return nil, fmt.Errorf("avro: %w", err)
	}
	return &AvroSchema{Schema: sch}, nil
}

// AvroSchema is a parsed Avro schema.
type AvroSchema struct {
	Schema avro.Schema
}

// avroWriters pools encoders' buffers, as avro.Marshal does.
var avroWriters = sync.Pool{New: func() any { return avro.NewWriter(nil, 512) }}

// AppendEncode appends the Avro binary encoding of v.
func (a *AvroSchema) AppendEncode(dst []byte, v any) ([]byte, error) {
	w := avroWriters.Get().(*avro.Writer)
	w.Reset(nil)
	w.WriteVal(a.Schema, v)
	if err := w.Error; err != nil {
		w.Error = nil
		avroWriters.Put(w)
		return dst, fmt.Errorf("avro encode: %w", err)
	}
	dst = append(dst, w.Buffer()...)
	avroWriters.Put(w)
	return dst, nil
}

// Decode decodes payload into v.
func (a *AvroSchema) Decode(payload []byte, v any) error {
	if err := avro.Unmarshal(a.Schema, payload, v); err != nil {
		return fmt.Errorf("avro decode: %w", err)
	}
	return nil
}

// DecodeAny decodes payload into hamba's generic values (map[string]any
// for records).
func (a *AvroSchema) DecodeAny(payload []byte) (any, error) {
	var v any
	if err := a.Decode(payload, &v); err != nil {
		return nil, err
	}
	return v, nil
}
