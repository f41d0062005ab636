package avro

import (
	"context"
	"errors"
	"fmt"

	hamba "github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/stop"
	"github.com/schemata-dev/schemata/schema/internal/textpos"
)

// Schema is a parsed, validated Avro schema. It implements schema.Schema
// and is safe for concurrent use: every form is computed once by Parse.
type Schema struct {
	text       string
	normalized string
	canonical  string
	// resolved is text with referenced types inlined; set only when
	// the schema has references (otherwise it is text).
	resolved     string
	fingerprint  uint64
	root         hamba.Schema
	lines        *textpos.Index
	index        map[string]int
	deprecations []schema.Deprecation
}

var _ schema.Schema = (*Schema)(nil)

// Parse parses and validates an Avro schema.
//
// deps is the transitive closure of the schema's Confluent references,
// each listed after the dependencies it needs itself; the named types they
// define may be used by full name in text. Every call resolves names in its
// own fresh cache, so a name defined under one subject never leaks into
// another.
//
// An invalid schema, or an invalid dependency, yields a *schema.ParseError,
// located at a line and column of text wherever possible. Parse never
// panics. It applies schema.DefaultLimits; see ParseWithLimits.
func Parse(text string, deps []schema.Dependency) (*Schema, error) {
	return ParseWithLimits(context.Background(), text, deps, schema.DefaultLimits())
}

// ParseContext is Parse that stops, with ctx's error, once ctx is done.
// It applies schema.DefaultLimits; see ParseWithLimits.
func ParseContext(ctx context.Context, text string, deps []schema.Dependency) (*Schema, error) {
	return ParseWithLimits(ctx, text, deps, schema.DefaultLimits())
}

// ParseWithLimits is Parse within lim. Text size, the number of
// references and nesting depth are checked before the text is decoded
// (nesting as the JSON is read, stopping at the first level too deep);
// named types, fields and enum symbols are counted as the schema is built,
// before its forms are rendered and before the Avro library sees it. A
// schema beyond a limit is a *schema.ParseError wrapping a
// *schema.LimitError.
//
// Once ctx is done the parse stops with ctx's error: it looks at ctx every
// few hundred JSON values, types and fields as it reads, builds and prints
// the schema, and before handing it to the Avro library (whose own parse
// takes no context).
func ParseWithLimits(ctx context.Context, text string, deps []schema.Dependency, lim schema.Limits) (s *Schema, err error) {
	return parseRecovered(ctx, text, deps, lim, false)
}

// ParseLenient is ParseWithLimits accepting what Avro Java's parser
// accepts and this package's own validation refuses, for schemas another
// registry already holds: a logical type whose attributes are invalid
// (say, a decimal whose scale exceeds its precision) is kept as plain
// properties, as Avro Java ignores it, and a malformed "deprecated"
// marker is kept as a plain property and not read as a deprecation. The
// text must still be a structurally valid Avro schema (the Avro library
// parses it), so its forms and compatibility checks are those of Parse.
func ParseLenient(ctx context.Context, text string, deps []schema.Dependency, lim schema.Limits) (*Schema, error) {
	return parseRecovered(ctx, text, deps, lim, true)
}

// parseRecovered is parse, turning a stop into ctx's error and any other
// panic into a *schema.ParseError.
func parseRecovered(ctx context.Context, text string, deps []schema.Dependency, lim schema.Limits, lenient bool) (s *Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, stop.Recover(schema.Avro, r)
		}
	}()
	return parse(stop.New(ctx), text, deps, lim, false, lenient)
}

func parse(st *stop.Stopper, text string, deps []schema.Dependency, lim schema.Limits, skipDefaults, lenient bool) (*Schema, error) {
	lim = lim.WithDefaults()
	if err := lim.CheckInputs(schema.Avro, text, deps); err != nil {
		return nil, err
	}
	st.Check()
	b := newBuilder(lim)
	b.st = st
	b.skipDefaults = skipDefaults
	b.lenient = lenient
	b.external = true
	for _, d := range deps {
		v, err := parseJSON(st, d.Text, lim.MaxDepth)
		if err == nil {
			_, err = b.build(v)
		}
		if err != nil {
			return nil, dependencyError(d, err)
		}
	}
	b.external = false
	b.index = map[string]int{}
	lines := textpos.New(text)
	v, err := parseJSON(st, text, lim.MaxDepth)
	if err != nil {
		return nil, parseError(lines, err)
	}
	root, err := b.build(v)
	if err != nil {
		return nil, parseError(lines, err)
	}
	s := &Schema{
		text:       render(st, root, formText),
		normalized: render(st, root, formNormalized),
		canonical:  render(st, root, formCanonical),
		lines:      lines,
		index:      b.index,
	}
	if len(deps) > 0 {
		s.resolved = renderResolved(st, root)
	}
	s.fingerprint = Rabin64([]byte(s.canonical))
	for _, d := range b.deps {
		d.Pos = s.position(d.off)
		s.deprecations = append(s.deprecations, d.Deprecation)
	}
	if !skipDefaults {
		st.Check()
		if s.root, err = parseHamba(text, deps); err != nil {
			return nil, &schema.ParseError{Format: schema.Avro, Message: err.Error(), Err: err}
		}
	}
	return s, nil
}

// parseHamba parses with the Avro library in a fresh cache, turning a
// library panic into an error.
func parseHamba(text string, deps []schema.Dependency) (root hamba.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("avro library failed on this schema: %v", r)
		}
	}()
	if len(deps) == 0 {
		if s, ok := hambaDirect(text); ok {
			return s, nil
		}
	}
	cache := &hamba.SchemaCache{}
	for _, d := range deps {
		if _, err := hamba.ParseWithCache(d.Text, "", cache); err != nil {
			return nil, fmt.Errorf("reference %q: %w", d.Name, err)
		}
	}
	return hamba.ParseWithCache(text, "", cache)
}

func parseError(lines *textpos.Index, err error) *schema.ParseError {
	pe := &schema.ParseError{Format: schema.Avro, Message: err.Error(), Err: err}
	var p *posError
	if errors.As(err, &p) {
		pe.Pos.Line, pe.Pos.Column = lines.Pos(p.off)
		pe.Err = p.err
	}
	return pe
}

func dependencyError(d schema.Dependency, err error) *schema.ParseError {
	inner := parseError(textpos.New(d.Text), err)
	return &schema.ParseError{
		Format:  schema.Avro,
		Message: fmt.Sprintf("in referenced schema %q at %s: %s", d.Name, inner.Pos, inner.Message),
		Err:     err,
	}
}

func (s *Schema) position(off int) schema.Position {
	line, col := s.lines.Pos(off)
	return schema.Position{Line: line, Column: col}
}

// Format returns schema.Avro.
func (s *Schema) Format() schema.Format { return schema.Avro }

// Text returns the schema as the registry stores and returns it: Avro
// Java's Schema.toString() of the parsed schema. It is compact, writes
// attributes in Java's order (type, name, namespace, doc, then
// fields/symbols/size/items/values, default, custom properties in source
// order, aliases), writes names relative to the enclosing namespace, and
// keeps doc, aliases, defaults, order, logical types and custom
// properties. A primitive without properties is a bare name: "string".
// Types defined by referenced schemas are written by name.
func (s *Schema) Text() string { return s.text }

// Identity returns the form whose equality makes two texts the same
// schema. As in the Confluent registry, where equality of Avro Java's
// toString decides, it is Text: whitespace, JSON formatting, the order of
// attributes within an object, the spelling of names (short name plus
// namespace, or full name) and the written form of numbers (1.0 and 1.00)
// are ignored, while everything Text keeps matters: field and symbol
// order, doc, aliases, defaults, custom properties and their order.
func (s *Schema) Identity() string { return s.text }

// Normalized returns the form stored for normalize=true: every name and
// alias in full, no namespace attributes, attributes in one fixed order
// (type, name, doc, aliases, fields/symbols/size/items/values, default,
// then custom properties sorted by key; fields as name, type, doc,
// default, order, aliases, then sorted properties). It keeps doc, aliases,
// defaults, order, logical types and custom properties, deprecation
// markers included.
func (s *Schema) Normalized() string { return s.normalized }

// CanonicalForm returns the schema's Parsing Canonical Form, as defined by
// the Avro specification. Types defined by referenced schemas are written
// out where first used, so the form describes the whole wire format.
func (s *Schema) CanonicalForm() string { return s.canonical }

// Fingerprint returns the CRC-64-AVRO fingerprint of CanonicalForm.
func (s *Schema) Fingerprint() uint64 { return s.fingerprint }

// Deprecations lists the deprecation markers of fields and named types,
// in text order. Each Pos is that of the "deprecated" attribute.
func (s *Schema) Deprecations() []schema.Deprecation {
	return append([]schema.Deprecation(nil), s.deprecations...)
}

// Root returns the schema as parsed by github.com/hamba/avro/v2. Types
// from referenced schemas are part of the tree.
func (s *Schema) Root() hamba.Schema { return s.root }

// Pos returns where the element at path (see the package documentation for the notation)
// starts in the text given to Parse: the field object for a field, the
// type for a type, the symbol for an enum symbol. It is the zero Position
// when the text has no such path.
func (s *Schema) Pos(path string) schema.Position {
	off, ok := s.index[path]
	if !ok {
		return schema.Position{}
	}
	return s.position(off)
}

// Render returns the schema in one of the forms the Confluent API's format
// parameter names: "resolved" is the schema with the named types of its
// references written out where first used, so that it stands alone.
func (s *Schema) Render(form string) (string, bool) {
	if form != "resolved" {
		return "", false
	}
	if s.resolved == "" {
		return s.text, true
	}
	return s.resolved, true
}

var _ schema.Renderer = (*Schema)(nil)
