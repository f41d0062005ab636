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

// Limits bounds the work one schema may cause, so that no single request
// can exhaust the memory or CPU of a process shared by every producer and
// consumer. Each bound is checked before the work it guards: text size and
// nesting depth before a text is handed to a parsing library, counts while
// the schema is built and before its forms are printed.
//
// A zero field takes its default (see DefaultLimits), so the zero Limits is
// safe. Exceeding a bound is a *ParseError wrapping a *LimitError.
type Limits struct {
	// MaxTextBytes bounds the size in bytes of one schema text: the schema
	// itself and each of its references. Default 1 MiB.
	MaxTextBytes int
	// MaxDepth bounds nesting: JSON objects and arrays in an Avro text
	// (records, arrays, maps and unions nest through them); braces,
	// brackets and angle brackets in a Protobuf text (nested messages and
	// option values). Default 256.
	MaxDepth int
	// MaxDefinitions bounds the named types of a schema with its
	// references: Avro records, enums and fixed types; Protobuf messages,
	// enums and services. Default 10,000.
	MaxDefinitions int
	// MaxFields bounds the fields of every record or message of a schema
	// with its references, together. Default 100,000.
	MaxFields int
	// MaxEnumSymbols bounds the symbols (Avro) or values (Protobuf) of
	// every enum of a schema with its references, together. Default
	// 100,000.
	MaxEnumSymbols int
	// MaxReferences bounds the schemas a schema references, directly or
	// through other references. Default 1,000.
	MaxReferences int
}

// Defaults of the Limits fields.
const (
	DefaultMaxTextBytes   = 1 << 20
	DefaultMaxDepth       = 256
	DefaultMaxDefinitions = 10_000
	DefaultMaxFields      = 100_000
	DefaultMaxEnumSymbols = 100_000
	DefaultMaxReferences  = 1_000
)

// DefaultLimits returns the shipped limits. They sit far above real
// schemas (the largest public Protobuf files are a few hundred kilobytes
// and a few dozen levels deep) and far below what hurts a process.
func DefaultLimits() Limits {
	return Limits{
		MaxTextBytes:   DefaultMaxTextBytes,
		MaxDepth:       DefaultMaxDepth,
		MaxDefinitions: DefaultMaxDefinitions,
		MaxFields:      DefaultMaxFields,
		MaxEnumSymbols: DefaultMaxEnumSymbols,
		MaxReferences:  DefaultMaxReferences,
	}
}

// WithDefaults returns l with every zero or negative field set to its
// default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxTextBytes, d.MaxTextBytes)
	set(&l.MaxDepth, d.MaxDepth)
	set(&l.MaxDefinitions, d.MaxDefinitions)
	set(&l.MaxFields, d.MaxFields)
	set(&l.MaxEnumSymbols, d.MaxEnumSymbols)
	set(&l.MaxReferences, d.MaxReferences)
	return l
}

// LimitError reports that a schema exceeds one of its Limits. It travels
// inside a *ParseError, so callers that only know ParseError treat it as
// an invalid schema; callers that want to tell limits apart use errors.As.
type LimitError struct {
	// Limit names the bound, as the Limits field is named ("MaxDepth").
	Limit string
	// Max is the bound in force.
	Max int
	// What describes what exceeded it ("nesting depth", "text size").
	What string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s exceeds the registry's limit of %d (%s)", e.What, e.Max, e.Limit)
}

// CheckText checks the limits that apply to a text before any parsing:
// its size. The error is a *ParseError of format f wrapping a *LimitError.
func (l Limits) CheckText(f Format, text string) error {
	l = l.WithDefaults()
	if len(text) > l.MaxTextBytes {
		le := &LimitError{Limit: "MaxTextBytes", Max: l.MaxTextBytes, What: fmt.Sprintf("a schema text of %d bytes", len(text))}
		return &ParseError{Format: f, Message: le.Error(), Err: le}
	}
	return nil
}

// CheckInputs applies the limits that need no parsing to a schema text
// and its resolved dependencies: the number of referenced schemas and the
// size of every text. The error is a *ParseError of format f wrapping a
// *LimitError.
func (l Limits) CheckInputs(f Format, text string, deps []Dependency) error {
	l = l.WithDefaults()
	if len(deps) > l.MaxReferences {
		le := &LimitError{Limit: "MaxReferences", Max: l.MaxReferences, What: fmt.Sprintf("the number of referenced schemas (%d)", len(deps))}
		return &ParseError{Format: f, Message: le.Error(), Err: le}
	}
	for _, d := range deps {
		if err := l.CheckText(f, d.Text); err != nil {
			pe := err.(*ParseError)
			return &ParseError{Format: f, Message: fmt.Sprintf("in referenced schema %q: %s", d.Name, pe.Message), Err: pe.Err}
		}
	}
	return l.CheckText(f, text)
}

// Counter counts the definitions, fields and enum symbols of a schema
// against Limits as a format package builds it, so that a count is
// refused as soon as it is exceeded rather than after the whole schema is
// in memory. Get one from Limits.Counter.
type Counter struct {
	limits                     Limits
	definitions, fields, enums int
}

// Counter returns a Counter starting at zero.
func (l Limits) Counter() *Counter {
	return &Counter{limits: l.WithDefaults()}
}

// Definitions adds n named types. Once the total exceeds MaxDefinitions
// it returns a *LimitError.
func (c *Counter) Definitions(n int) error {
	c.definitions += n
	return over(c.definitions, c.limits.MaxDefinitions, "MaxDefinitions", "the number of named types")
}

// Fields adds n fields. Once the total exceeds MaxFields it returns a
// *LimitError.
func (c *Counter) Fields(n int) error {
	c.fields += n
	return over(c.fields, c.limits.MaxFields, "MaxFields", "the number of fields")
}

// EnumSymbols adds n enum symbols or values. Once the total exceeds
// MaxEnumSymbols it returns a *LimitError.
func (c *Counter) EnumSymbols(n int) error {
	c.enums += n
	return over(c.enums, c.limits.MaxEnumSymbols, "MaxEnumSymbols", "the number of enum symbols")
}

func over(n, limit int, name, what string) error {
	if n <= limit {
		return nil
	}
	return &LimitError{Limit: name, Max: limit, What: what}
}
