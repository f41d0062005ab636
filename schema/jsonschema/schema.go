package jsonschema

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	lib "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/stop"
	"github.com/schemata-dev/schemata/schema/internal/textpos"
)

// baseURI is the retrieval URI of a registered schema: one without "$id"
// resolves relative references against it, so a reference named
// "customer.json" is found at https://schemata.invalid/customer.json.
const baseURI = "https://schemata.invalid/schema.json"

// Schema is a parsed, validated JSON Schema. It implements schema.Schema
// and is safe for concurrent use: every form is computed once by Parse.
type Schema struct {
	text         string
	normalized   string
	draft        Draft
	docs         []*document
	refs         map[*Value]*Value
	deprecations []schema.Deprecation
	pointerIndex
}

var _ schema.Schema = (*Schema)(nil)

// document is the schema text or the text of one of its references.
type document struct {
	name  string // reference name; "" for the schema itself
	url   string
	draft Draft
	root  *Value
	lines *textpos.Index
}

// Parse parses and validates a JSON Schema.
//
// The draft is chosen by "$schema" (draft-04, -06, -07, 2019-09, 2020-12;
// Draft7 when absent); the schema must be valid against that draft's
// meta-schema. deps is the transitive closure of the schema's Confluent
// references: each dependency's Name is the URI under which "$ref" refers
// to it, resolved against the referring schema's base URI. Every "$ref"
// must resolve, within the schema or to a dependency.
//
// An invalid schema, or an invalid dependency, yields a *schema.ParseError,
// located at a line and column of text wherever possible. Parse never
// panics.
func Parse(text string, deps []schema.Dependency) (*Schema, error) {
	return ParseContext(context.Background(), text, deps)
}

// ParseContext is Parse that stops, with ctx's error, once ctx is done:
// it looks at ctx every few hundred values as it reads the text, resolves
// references, reads deprecations and prints the stored forms, and before
// and after validating each document against its meta-schema (a
// validation itself runs to its end: the validation library takes no
// context).
func ParseContext(ctx context.Context, text string, deps []schema.Dependency) (*Schema, error) {
	return parseRecovered(ctx, text, deps, false)
}

// ParseLenient is ParseContext accepting what other registries accept and
// this package's own validation refuses, for schemas another registry
// already holds: a malformed x-deprecation marker is left unread (that
// element is no deprecation). The text must still pass its draft's
// meta-schema, so its forms and compatibility checks are those of Parse.
func ParseLenient(ctx context.Context, text string, deps []schema.Dependency) (*Schema, error) {
	return parseRecovered(ctx, text, deps, true)
}

// parseRecovered is parse, turning a panic into a *schema.ParseError and
// a stop into ctx's error.
func parseRecovered(ctx context.Context, text string, deps []schema.Dependency, lenient bool) (s *Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, stop.Recover(schema.JSON, r)
		}
	}()
	return parse(stop.New(ctx), text, deps, lenient)
}

func parse(st *stop.Stopper, text string, deps []schema.Dependency, lenient bool) (*Schema, error) {
	st.Check()
	main, err := readDocument(st, text, "", 0)
	if err != nil {
		return nil, err
	}
	s := &Schema{draft: main.draft, docs: []*document{main}}
	for i, d := range deps {
		doc, err := readDocument(st, d.Text, d.Name, i+1)
		if err != nil {
			return nil, dependencyError(d, err)
		}
		s.docs = append(s.docs, doc)
	}
	if err := s.resolveRefs(st); err != nil {
		return nil, err
	}
	if err := s.validate(st); err != nil {
		return nil, err
	}
	// readDeprecations lists the well-formed markers even when it reports
	// a malformed one, which lenient parsing leaves unread.
	if s.deprecations, err = readDeprecations(st, main); err != nil && !lenient {
		return nil, err
	}
	var b strings.Builder
	write(&b, main.root, false, st)
	s.text = b.String()
	b.Reset()
	write(&b, main.root, true, st)
	s.normalized = b.String()
	return s, nil
}

// readDocument reads the JSON of one document and chooses its draft.
func readDocument(st *stop.Stopper, text, name string, idx int) (*document, error) {
	doc := &document{name: name, url: baseURI, draft: DefaultDraft, lines: textpos.New(text)}
	if name != "" {
		doc.url = resolveURI(baseURI, name)
	}
	root, err := parseJSON(text, idx, st)
	if err != nil {
		return nil, doc.parseError(err)
	}
	doc.root = root
	if sv := root.Get("$schema"); sv != nil {
		d, ok := draftOf(sv.Str())
		if sv.Kind() != String || !ok {
			return nil, doc.errorAt(sv.off, "unknown $schema %s; this registry reads draft-04, draft-06, draft-07, 2019-09 and 2020-12", render(sv))
		}
		doc.draft = d
	}
	if root.Kind() == Bool && doc.draft == Draft4 {
		return nil, doc.errorAt(root.off, "draft-04 does not allow a boolean schema")
	}
	return doc, nil
}

func render(v *Value) string {
	var b strings.Builder
	write(&b, v, false, nil)
	return b.String()
}

func (d *document) errorAt(off int, format string, args ...any) *schema.ParseError {
	return d.parseError(errorAt(off, format, args...))
}

func (d *document) parseError(err error) *schema.ParseError {
	pe := &schema.ParseError{Format: schema.JSON, Message: err.Error(), Err: err}
	var p *posError
	if errors.As(err, &p) {
		pe.Pos.Line, pe.Pos.Column = d.lines.Pos(p.off)
	}
	return pe
}

func dependencyError(d schema.Dependency, err error) *schema.ParseError {
	var inner *schema.ParseError
	if !errors.As(err, &inner) {
		inner = &schema.ParseError{Message: err.Error()}
	}
	return &schema.ParseError{
		Format:  schema.JSON,
		Message: fmt.Sprintf("in referenced schema %q at %s: %s", d.Name, inner.Pos, inner.Message),
		Err:     err,
	}
}

// validate checks every document against its draft's meta-schema with the
// validation library. Validating the schema as an instance of the
// meta-schema takes time linear in its size; the meta-schemas assert
// "format", so every "pattern" must be a valid regular expression.
func (s *Schema) validate(st *stop.Stopper) error {
	for _, d := range s.docs {
		st.Check()
		meta, err := metaSchema(d.draft)
		if err != nil {
			return &schema.ParseError{Format: schema.JSON, Message: err.Error(), Err: err}
		}
		if err := meta.Validate(plain(d.root)); err != nil {
			return d.libError(&lib.SchemaValidationError{URL: d.url, Err: err})
		}
	}
	return nil
}

var (
	metaOnce    sync.Once
	metaSchemas map[Draft]*lib.Schema
	metaErr     error
)

// metaSchema returns the compiled meta-schema of draft d, compiled once
// per process from the copies the validation library embeds.
func metaSchema(d Draft) (*lib.Schema, error) {
	metaOnce.Do(func() {
		c := lib.NewCompiler()
		c.AssertFormat()
		metaSchemas = map[Draft]*lib.Schema{}
		for _, draft := range []Draft{Draft4, Draft6, Draft7, Draft2019, Draft2020} {
			sch, err := c.Compile(metaURL[draft])
			if err != nil {
				metaErr = fmt.Errorf("compile the %s meta-schema: %w", draft, err)
				return
			}
			metaSchemas[draft] = sch
		}
	})
	return metaSchemas[d], metaErr
}

var metaURL = map[Draft]string{
	Draft4:    "http://json-schema.org/draft-04/schema",
	Draft6:    "http://json-schema.org/draft-06/schema",
	Draft7:    "http://json-schema.org/draft-07/schema",
	Draft2019: "https://json-schema.org/draft/2019-09/schema",
	Draft2020: "https://json-schema.org/draft/2020-12/schema",
}

// libError turns a library error into a located ParseError: a meta-schema
// violation is located at the deepest offending value.
func (d *document) libError(err error) *schema.ParseError {
	pe := &schema.ParseError{Format: schema.JSON, Message: err.Error(), Err: err}
	var sve *lib.SchemaValidationError
	if errors.As(err, &sve) {
		var ve *lib.ValidationError
		if errors.As(sve.Err, &ve) {
			leaf := deepest(ve)
			ptr := "/" + strings.Join(escapeAll(leaf.InstanceLocation), "/")
			if len(leaf.InstanceLocation) == 0 {
				ptr = ""
			}
			if v := lookupPointer(d.root, ptr); v != nil {
				pe.Pos.Line, pe.Pos.Column = d.lines.Pos(v.off)
			}
			what := ptr
			if what == "" {
				what = "the schema"
			}
			detail := leaf.Error()
			if _, after, ok := strings.Cut(detail, "': "); ok && strings.HasPrefix(detail, "at '") {
				detail = after
			}
			pe.Message = fmt.Sprintf("%s is not valid against the %s meta-schema: %s", what, d.draft, detail)
		}
	}
	var lue *lib.LoadURLError
	if errors.As(err, &lue) {
		pe.Message = fmt.Sprintf("cannot resolve %q: no such schema among the references", lue.URL)
	}
	if d.name != "" {
		return &schema.ParseError{Format: schema.JSON,
			Message: fmt.Sprintf("in referenced schema %q at %s: %s", d.name, pe.Pos, pe.Message), Err: err}
	}
	return pe
}

// deepest picks the first leaf error with the longest instance location:
// the most specific place to point at.
func deepest(ve *lib.ValidationError) *lib.ValidationError {
	best := ve
	var walk func(e *lib.ValidationError)
	walk = func(e *lib.ValidationError) {
		if len(e.Causes) == 0 && (len(best.Causes) > 0 || len(e.InstanceLocation) > len(best.InstanceLocation)) {
			best = e
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return best
}

func escapeAll(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = EscapeToken(t)
	}
	return out
}

// docByURL finds the document a reference URI names: the one registered at
// that URI, else one whose reference name the URI ends with (a schema with
// an "$id" resolves relative names against it, not against the registry's
// base).
func (s *Schema) docByURL(url string) *document {
	for _, d := range s.docs {
		if d.url == url {
			return d
		}
	}
	for _, d := range s.docs[1:] {
		name := strings.TrimPrefix(d.name, "./")
		if url == d.name || strings.HasSuffix(url, "/"+name) {
			return d
		}
	}
	return nil
}

// Format returns schema.JSON.
func (s *Schema) Format() schema.Format { return schema.JSON }

// Text returns the schema as the registry stores and returns it: the JSON
// re-serialized compactly, members in text order, strings escaped as
// Jackson escapes them and numbers as written. This is what the Confluent
// registry stores (its canonical string).
func (s *Schema) Text() string { return s.text }

// Identity returns the form whose equality makes two texts the same
// schema: Text, so whitespace and escaping do not matter while member
// order, numbers as written and every keyword, annotations included, do.
func (s *Schema) Identity() string { return s.text }

// Normalized returns the form stored for normalize=true: Text with the
// members of every object sorted by key, so that member order no longer
// matters. Arrays keep their order.
func (s *Schema) Normalized() string { return s.normalized }

// Draft returns the draft the schema is written in.
func (s *Schema) Draft() Draft { return s.draft }

// Drafts returns the draft of the schema and all its references when they
// share one, and 0 when they differ.
func (s *Schema) Drafts() Draft {
	for _, d := range s.docs[1:] {
		if d.draft != s.draft {
			return 0
		}
	}
	return s.draft
}

// Root returns the schema's JSON value.
func (s *Schema) Root() *Value { return s.docs[0].root }

// DraftOf returns the draft of the document v belongs to (the schema's or
// a reference's).
func (s *Schema) DraftOf(v *Value) Draft {
	if v == nil || v.doc >= len(s.docs) {
		return s.draft
	}
	return s.docs[v.doc].draft
}

// Deprecations lists the deprecated properties and definitions in text
// order. Each Pos is that of the "deprecated" keyword.
func (s *Schema) Deprecations() []schema.Deprecation {
	return append([]schema.Deprecation(nil), s.deprecations...)
}

// PosOf returns where v starts in the text given to Parse; it is the zero
// Position for a value of a referenced schema.
func (s *Schema) PosOf(v *Value) schema.Position {
	if v == nil || v.doc != 0 {
		return schema.Position{}
	}
	line, col := s.docs[0].lines.Pos(v.off)
	return schema.Position{Line: line, Column: col}
}

// Pos returns where the value at JSON Pointer ptr starts in the text given
// to Parse, or the zero Position when there is none.
func (s *Schema) Pos(ptr string) schema.Position {
	return s.PosOf(lookupPointer(s.docs[0].root, ptr))
}

// Lookup returns the value at JSON Pointer ptr, or nil.
func (s *Schema) Lookup(ptr string) *Value { return lookupPointer(s.docs[0].root, ptr) }

// Ref returns the target of v's "$ref", or nil when v has none. Every
// reference of a parsed schema resolves.
func (s *Schema) Ref(v *Value) *Value { return s.refs[v] }
