// Package schema holds the vocabulary shared by the schema format packages
// (schema/avro, schema/protobuf, schema/jsonschema): formats, references, positions in schema
// text, parse errors and deprecation markers.
//
// It depends only on the standard library. The format packages depend on it;
// nothing here knows about storage, HTTP or compatibility rules.
package schema

import (
	"fmt"
	"strings"
	"time"
)

// Format names a schema language, spelled as the Confluent API spells its
// schemaType field.
type Format string

// The formats the registry knows.
const (
	Avro     Format = "AVRO"
	Protobuf Format = "PROTOBUF"
	JSON     Format = "JSON"
)

// ParseFormat parses a schemaType as sent by Confluent clients. An empty
// string means Avro, as in the Confluent API. Matching is case-insensitive.
func ParseFormat(s string) (Format, error) {
	switch strings.ToUpper(s) {
	case "", "AVRO":
		return Avro, nil
	case "PROTOBUF":
		return Protobuf, nil
	case "JSON":
		return JSON, nil
	}
	return "", fmt.Errorf("unknown schema type %q", s)
}

// Reference is a named pointer from one schema to a registered schema
// version, as in the Confluent API.
type Reference struct {
	// Name is the Avro full name, the Protobuf import path or the JSON
	// Schema "$ref" URI under which the referencing schema uses the
	// referenced one.
	Name    string
	Subject string
	Version int
}

// Dependency is the resolved text of one referenced schema.
//
// Callers pass the transitive closure of a schema's references to a format
// parser, each dependency listed after the dependencies it needs itself.
type Dependency struct {
	// Name is the reference name: an Avro full name, a Protobuf import path
	// or a JSON Schema "$ref" URI.
	Name string
	Text string
}

// Position is a place in schema text. Lines and columns count from 1; the
// zero Position means the place is unknown.
type Position struct {
	Line   int
	Column int
}

// IsValid reports whether p names a place.
func (p Position) IsValid() bool { return p.Line > 0 }

// String formats p as line:col, or "-" when unknown.
func (p Position) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Column)
}

// ParseError reports schema text that is not a valid schema. It is never a
// compatibility verdict: the registry answers it with error code 42201.
type ParseError struct {
	Format Format
	// Pos is where the problem is, when the format allows saying so.
	Pos     Position
	Message string
	// Err is the underlying library error, if any.
	Err error
}

func (e *ParseError) Error() string {
	if e.Pos.IsValid() {
		return fmt.Sprintf("invalid %s schema at %s: %s", strings.ToLower(string(e.Format)), e.Pos, e.Message)
	}
	return fmt.Sprintf("invalid %s schema: %s", strings.ToLower(string(e.Format)), e.Message)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Deprecation is a deprecation marker read from schema text.
//
// Avro marks fields and named types with a "deprecated" property whose value
// is true, a reason string, or an object {"reason", "sunset", "replacement"};
// Protobuf marks fields, messages, enums and enum values with
// [deprecated = true] (or option deprecated = true); JSON Schema marks
// properties and definitions with "deprecated": true, details in an
// "x-deprecation" object {"reason", "sunset", "replacement"}.
type Deprecation struct {
	// Path is the schema path of the deprecated element, e.g.
	// "Order.items[].price" (Avro), "shop.v1.Order.items" (Protobuf) or
	// "/properties/items" (JSON Schema, a JSON Pointer).
	Path string
	// Kind is the element kind: "field", "record", "enum", "fixed",
	// "message", "enum_value", "property", "definition".
	Kind        string
	Reason      string
	Sunset      time.Time // zero when no sunset is given
	Replacement string
	Pos         Position
}

// Schema is a parsed, validated schema of any format.
type Schema interface {
	// Format is the schema language.
	Format() Format
	// Text is the form the registry stores and returns for this schema.
	Text() string
	// Identity is the form whose equality makes two texts the same schema
	// for id assignment (insensitive to whitespace and formatting).
	Identity() string
	// Normalized is the form stored when a client asks for normalize=true.
	Normalized() string
	// Deprecations lists the deprecation markers in the schema.
	Deprecations() []Deprecation
}

// Renderer is implemented by schemas that can be shown in the alternative
// forms named by the Confluent API's format parameter, such as Protobuf's
// "serialized" (a base64-encoded FileDescriptorProto).
type Renderer interface {
	// Render returns the schema in form; ok is false when the format has
	// no such form.
	Render(form string) (text string, ok bool)
}
