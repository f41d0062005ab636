// Package formats parses schema text of any supported format, dispatching
// to the format packages. It is the one place that knows which formats
// exist; callers that only handle schema.Schema values use it instead of
// importing each format.
package formats

import (
	"context"
	"fmt"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	"github.com/schemata-dev/schemata/schema/jsonschema"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// MainFile is the file name a Protobuf schema is compiled under when it
// has none of its own (registered schemas have no file name).
const MainFile = "schema.proto"

// Supported lists the formats Parse accepts, in the order the registry
// advertises them.
var Supported = []schema.Format{schema.Avro, schema.Protobuf, schema.JSON}

// Parse parses text of format f with its resolved dependencies (the
// transitive closure of its references, each after its own dependencies).
// An invalid schema is a *schema.ParseError.
func Parse(f schema.Format, text string, deps []schema.Dependency) (schema.Schema, error) {
	return ParseFile(f, MainFile, text, deps)
}

// ParseWithLimits is Parse within lim (see schema.Limits). Once ctx is
// done the parse stops with ctx's error (every format's parser looks at
// it as it works; see avro.ParseWithLimits, protobuf.ParseWithLimits and
// jsonschema.ParseContext).
func ParseWithLimits(ctx context.Context, f schema.Format, text string, deps []schema.Dependency, lim schema.Limits) (schema.Schema, error) {
	return parseWithLimits(ctx, f, text, deps, lim, false)
}

// ParseLenientWithLimits is ParseWithLimits accepting a schema that
// another registry holds and this module's own validation refuses: what
// the format's own compiler or meta-schema accepts still parses (Avro
// through avro.ParseLenient, Protobuf through protobuf.ParseLenient, JSON
// Schema through jsonschema.ParseLenient), with the registry's own
// markers that are malformed left unread.
func ParseLenientWithLimits(ctx context.Context, f schema.Format, text string, deps []schema.Dependency, lim schema.Limits) (schema.Schema, error) {
	return parseWithLimits(ctx, f, text, deps, lim, true)
}

func parseWithLimits(ctx context.Context, f schema.Format, text string, deps []schema.Dependency, lim schema.Limits, lenient bool) (schema.Schema, error) {
	switch f {
	case schema.Avro:
		parse := avro.ParseWithLimits
		if lenient {
			parse = avro.ParseLenient
		}
		s, err := parse(ctx, text, deps, lim)
		if err != nil {
			return nil, err
		}
		return s, nil
	case schema.Protobuf:
		parse := protobuf.ParseWithLimits
		if lenient {
			parse = protobuf.ParseLenient
		}
		s, err := parse(ctx, MainFile, text, deps, lim)
		if err != nil {
			return nil, err
		}
		return s, nil
	case schema.JSON:
		// The JSON Schema parser bounds nesting itself (jsonschema.MaxDepth)
		// while it reads the text; sizes and references are checked here.
		if err := lim.CheckInputs(schema.JSON, text, deps); err != nil {
			return nil, err
		}
		parse := jsonschema.ParseContext
		if lenient {
			parse = jsonschema.ParseLenient
		}
		s, err := parse(ctx, text, deps)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	return nil, fmt.Errorf("schema type %s is not supported", f)
}

// ParseFile is Parse for text read from a named file; the name appears in
// Protobuf diagnostics and lets other files import it.
func ParseFile(f schema.Format, name, text string, deps []schema.Dependency) (schema.Schema, error) {
	switch f {
	case schema.Avro:
		s, err := avro.Parse(text, deps)
		if err != nil {
			return nil, err
		}
		return s, nil
	case schema.Protobuf:
		s, err := protobuf.Parse(name, text, deps)
		if err != nil {
			return nil, err
		}
		return s, nil
	case schema.JSON:
		s, err := jsonschema.Parse(text, deps)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	return nil, fmt.Errorf("schema type %s is not supported", f)
}

// Supports reports whether Parse accepts format f.
func Supports(f schema.Format) bool {
	for _, s := range Supported {
		if s == f {
			return true
		}
	}
	return false
}
