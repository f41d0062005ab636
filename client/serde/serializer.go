package serde

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/client"
)

// idSource says where a Serializer gets the schema id it writes.
type idSource int

const (
	// fromLookup finds the serializer's schema among the subject's
	// versions and fails when it is not registered.
	fromLookup idSource = iota
	fromRegister
	fromLatest
	fromID
)

// SerializerOption configures a Serializer.
type SerializerOption func(*Serializer)

// WithSubjectNameStrategy replaces TopicName.
func WithSubjectNameStrategy(s SubjectNameStrategy) SerializerOption {
	return func(z *Serializer) { z.strategy = s }
}

// ForKeys makes the serializer write message keys (TopicName then uses
// "<topic>-key").
func ForKeys() SerializerOption { return func(z *Serializer) { z.key = true } }

// AutoRegister registers the serializer's schema under the subject the
// first time a topic is written, which creates the subject or a new
// version of it when the schema is new (and fails when the registry
// finds it incompatible). Without it, and without UseLatest or
// UseSchemaID, the schema must already be registered: production
// pipelines usually leave registration to CI, where schemactl checks it.
func AutoRegister() SerializerOption { return func(z *Serializer) { z.source = fromRegister } }

// UseLatest writes with the subject's latest version (reused for the
// Registry's latest TTL), whatever schema the serializer was given; the
// values must be encodable with it.
func UseLatest() SerializerOption { return func(z *Serializer) { z.source = fromLatest } }

// UseSchemaID writes with the schema of a fixed id.
func UseSchemaID(id int) SerializerOption {
	return func(z *Serializer) { z.source, z.id = fromID, id }
}

// Normalize asks the registry to normalize the schema before looking it
// up or registering it.
func Normalize() SerializerOption { return func(z *Serializer) { z.normalize = true } }

// WithRecordName sets the record name the subject name strategies see
// (default: the Avro schema's full name, or the Protobuf file's first
// message).
func WithRecordName(name string) SerializerOption { return func(z *Serializer) { z.record = name } }

// Serializer writes values in the wire format under one schema. It is
// safe for concurrent use; the subject and schema of each topic are
// resolved on its first message and kept (the latest version for the
// Registry's TTL with UseLatest).
type Serializer struct {
	reg       *Registry
	schema    client.Schema
	strategy  SubjectNameStrategy
	key       bool
	source    idSource
	id        int
	normalize bool
	record    string

	topics   sync.Map // topic -> *binding
	sizeHint atomic.Int64
}

// binding is what a topic resolved to.
type binding struct {
	subject string
	schema  *Schema // nil with UseLatest
}

// NewSerializer returns a serializer of values of schema s (its text,
// type and references as registered). s may be empty with UseSchemaID,
// and with UseLatest under a strategy that needs no record name.
func NewSerializer(reg *Registry, s client.Schema, opts ...SerializerOption) (*Serializer, error) {
	z := &Serializer{reg: reg, schema: s, strategy: TopicName}
	for _, o := range opts {
		o(z)
	}
	if s.Schema == "" && (z.source == fromLookup || z.source == fromRegister) {
		return nil, errors.New("serializer: a schema is needed to look it up or register it")
	}
	return z, nil
}

// Serialize returns v in the wire format for topic: the header with the
// schema id, then v encoded with the schema.
func (z *Serializer) Serialize(ctx context.Context, topic string, v any) ([]byte, error) {
	sch, err := z.schemaFor(ctx, topic)
	if err != nil {
		return nil, err
	}
	p, err := sch.Parsed()
	if err != nil {
		return nil, err
	}
	// Size the buffer from the largest message so far, so that a stream
	// of similar values costs one allocation each.
	dst := make([]byte, 0, HeaderSize+int(z.sizeHint.Load()))
	dst = AppendHeader(dst, sch.ID)
	dst, err = p.AppendEncode(dst, v)
	if err != nil {
		return nil, fmt.Errorf("serialize for %s with schema %d: %w", topic, sch.ID, err)
	}
	if n := int64(len(dst) - HeaderSize); n > z.sizeHint.Load() {
		z.sizeHint.Store(n)
	}
	sch.countUse()
	return dst, nil
}

// schemaFor returns the schema to write topic with.
func (z *Serializer) schemaFor(ctx context.Context, topic string) (*Schema, error) {
	b, ok := z.topics.Load(topic)
	if !ok {
		nb, err := z.bind(ctx, topic)
		if err != nil {
			return nil, err
		}
		b, _ = z.topics.LoadOrStore(topic, nb)
	}
	bd := b.(*binding)
	if bd.schema != nil {
		return bd.schema, nil
	}
	sch, err := z.reg.SchemaByVersion(ctx, bd.subject, client.Latest)
	if err != nil {
		return nil, fmt.Errorf("serialize for %s: %w", topic, err)
	}
	return sch, nil
}

// bind resolves topic's subject and, unless the latest version is used,
// its schema.
func (z *Serializer) bind(ctx context.Context, topic string) (*binding, error) {
	record := z.record
	if record == "" && z.schema.Schema != "" {
		p, err := z.reg.parse(ctx, &Schema{Schema: z.schema}, 0)
		if err != nil {
			return nil, fmt.Errorf("serializer schema: %w", err)
		}
		record = recordName(p)
	}
	b := &binding{subject: z.strategy(topic, record, z.key)}
	id := z.id
	switch z.source {
	case fromLatest:
		return b, nil
	case fromRegister:
		var err error
		if id, err = z.reg.remote.register(ctx, b.subject, z.schema, z.normalize); err != nil {
			return nil, err
		}
	case fromLookup:
		sv, err := z.reg.remote.lookup(ctx, b.subject, z.schema, z.normalize)
		if err != nil {
			return nil, err
		}
		id = sv.ID
	}
	sch, err := z.reg.SchemaByID(ctx, id)
	if err != nil {
		return nil, err
	}
	b.schema = sch
	return b, nil
}

// recordName is the full name of the record a parsed schema describes.
func recordName(p Parsed) string {
	switch s := p.(type) {
	case *AvroSchema:
		if n, ok := s.Schema.(avro.NamedSchema); ok {
			return n.FullName()
		}
	case *ProtobufSchema:
		if s.File.Messages().Len() > 0 {
			return string(s.File.Messages().Get(0).FullName())
		}
	}
	return ""
}

// Deserializer reads values in the wire format, with the schema of the
// id each message carries. It is safe for concurrent use.
type Deserializer struct {
	reg *Registry
}

// NewDeserializer returns a deserializer looking schemas up in reg.
func NewDeserializer(reg *Registry) *Deserializer { return &Deserializer{reg: reg} }

// Deserialize decodes b into v (for Avro a pointer to a struct, map or
// any; for Protobuf a proto.Message of the message b holds) and returns
// the schema it was written with, whose Deprecations say what of it is
// going away.
func (d *Deserializer) Deserialize(ctx context.Context, b []byte, v any) (*Schema, error) {
	sch, payload, err := d.schemaOf(ctx, b)
	if err != nil {
		return nil, err
	}
	p, err := sch.Parsed()
	if err != nil {
		return sch, err
	}
	if err := p.Decode(payload, v); err != nil {
		return sch, fmt.Errorf("deserialize with schema %d: %w", sch.ID, err)
	}
	sch.countUse()
	return sch, nil
}

// DeserializeAny decodes b into the format's generic representation:
// map[string]any (and hamba's other generic values) for Avro, a
// *dynamicpb.Message for Protobuf.
func (d *Deserializer) DeserializeAny(ctx context.Context, b []byte) (any, *Schema, error) {
	sch, payload, err := d.schemaOf(ctx, b)
	if err != nil {
		return nil, nil, err
	}
	p, err := sch.Parsed()
	if err != nil {
		return nil, sch, err
	}
	v, err := p.DecodeAny(payload)
	if err != nil {
		return nil, sch, fmt.Errorf("deserialize with schema %d: %w", sch.ID, err)
	}
	sch.countUse()
	return v, sch, nil
}

func (d *Deserializer) schemaOf(ctx context.Context, b []byte) (*Schema, []byte, error) {
	id, payload, err := ParseHeader(b)
	if err != nil {
		return nil, nil, err
	}
	sch, err := d.reg.SchemaByID(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("deserialize: %w", err)
	}
	return sch, payload, nil
}
