package serde

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/schemata-dev/schemata/client"
)

// Protobuf is the Protobuf format: schema text compiled with
// github.com/bufbuild/protocompile, messages encoded with
// google.golang.org/protobuf. Serializers take any proto.Message whose
// full name is a message of the registered file (a generated type, or a
// *dynamicpb.Message); the Deserializer decodes into a generated type or,
// with DeserializeAny, into a *dynamicpb.Message.
type Protobuf struct{}

// Type returns "PROTOBUF".
func (Protobuf) Type() string { return client.TypeProtobuf }

// protoMainFile names the schema being compiled, unless a reference
// already uses the name.
const protoMainFile = "schema.proto"

// Parse compiles s with its references, which it imports by their names.
func (Protobuf) Parse(s client.Schema, deps []Dependency) (p Parsed, err error) {
	defer func() {
		// The compiler has panicked on malformed input before; a schema
		// that cannot be compiled must fail its lookup, not the pipeline.
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("protobuf: the compiler failed on this schema: %v", r)
		}
	}()
	sources := make(map[string]string, len(deps)+1)
	for _, d := range deps {
		sources[d.Name] = d.Schema.Schema
	}
	name := protoMainFile
	for i := 1; sources[name] != ""; i++ {
		name = fmt.Sprintf("schema%d.proto", i)
	}
	sources[name] = s.Schema
	comp := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: func(path string) (io.ReadCloser, error) {
				src, ok := sources[path]
				if !ok {
					return nil, fmt.Errorf("import %q: no such reference", path)
				}
				return io.NopCloser(strings.NewReader(src)), nil
			},
		}),
		MaxParallelism: 1,
	}
	files, err := comp.Compile(context.Background(), name)
	if err != nil {
		return nil, fmt.Errorf("protobuf: %w", err)
	}
	if len(files) != 1 {
		return nil, errors.New("protobuf: the compiler returned no file")
	}
	ps := &ProtobufSchema{File: files[0], indexes: map[protoreflect.FullName][]int{}}
	ps.index(files[0].Messages(), nil)
	return ps, nil
}

// ProtobufSchema is a compiled Protobuf schema.
type ProtobufSchema struct {
	File    protoreflect.FileDescriptor
	indexes map[protoreflect.FullName][]int
}

// index records the message-index path of every message, nested ones
// included.
func (p *ProtobufSchema) index(msgs protoreflect.MessageDescriptors, prefix []int) {
	for i := range msgs.Len() {
		md := msgs.Get(i)
		path := append(append([]int(nil), prefix...), i)
		p.indexes[md.FullName()] = path
		p.index(md.Messages(), path)
	}
}

// Message returns the descriptor at a message-index path.
func (p *ProtobufSchema) Message(indexes []int) (protoreflect.MessageDescriptor, error) {
	msgs := p.File.Messages()
	var md protoreflect.MessageDescriptor
	for _, i := range indexes {
		if i >= msgs.Len() {
			return nil, fmt.Errorf("protobuf: message index %v is not in %s", indexes, p.File.Path())
		}
		md = msgs.Get(i)
		msgs = md.Messages()
	}
	if md == nil {
		return nil, errors.New("protobuf: empty message index")
	}
	return md, nil
}

// AppendEncode appends the message-index list of v's message and its
// encoding. v must be a proto.Message of a message the file defines.
func (p *ProtobufSchema) AppendEncode(dst []byte, v any) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return dst, fmt.Errorf("protobuf: %T is not a proto.Message", v)
	}
	name := m.ProtoReflect().Descriptor().FullName()
	idx, ok := p.indexes[name]
	if !ok {
		return dst, fmt.Errorf("protobuf: message %s is not defined by the registered schema", name)
	}
	dst = AppendMessageIndexes(dst, idx)
	out, err := proto.MarshalOptions{}.MarshalAppend(dst, m)
	if err != nil {
		return dst, fmt.Errorf("protobuf encode %s: %w", name, err)
	}
	return out, nil
}

// Decode decodes payload into v, a proto.Message of the message the
// payload's index list names.
func (p *ProtobufSchema) Decode(payload []byte, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("protobuf: %T is not a proto.Message", v)
	}
	md, rest, err := p.messageOf(payload)
	if err != nil {
		return err
	}
	if got := m.ProtoReflect().Descriptor().FullName(); got != md.FullName() {
		return fmt.Errorf("protobuf: payload holds %s, cannot decode into %s", md.FullName(), got)
	}
	if err := proto.Unmarshal(rest, m); err != nil {
		return fmt.Errorf("protobuf decode %s: %w", md.FullName(), err)
	}
	return nil
}

// DecodeAny decodes payload into a *dynamicpb.Message.
func (p *ProtobufSchema) DecodeAny(payload []byte) (any, error) {
	md, rest, err := p.messageOf(payload)
	if err != nil {
		return nil, err
	}
	m := dynamicpb.NewMessage(md)
	if err := proto.Unmarshal(rest, m); err != nil {
		return nil, fmt.Errorf("protobuf decode %s: %w", md.FullName(), err)
	}
	return m, nil
}

func (p *ProtobufSchema) messageOf(payload []byte) (protoreflect.MessageDescriptor, []byte, error) {
	if len(payload) > 0 && payload[0] == 0 {
		// The first message: the common case, read without allocating.
		md, err := p.Message(firstMessage[:])
		return md, payload[1:], err
	}
	idx, rest, err := ReadMessageIndexes(payload)
	if err != nil {
		return nil, nil, err
	}
	md, err := p.Message(idx)
	return md, rest, err
}

var firstMessage = [1]int{0}
