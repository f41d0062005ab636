package protobuf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/linker"
	"github.com/bufbuild/protocompile/reporter"

	"github.com/schemata-dev/schemata/schema"
)

// DefaultName is the file name the registry gives a schema that has none.
const DefaultName = "schema.proto"

// Parse compiles text as the Protobuf file name, with deps as the transitive
// closure of its Confluent references (each Dependency.Name is the import
// path used to import it). The well-known types (google/protobuf/*.proto)
// are always available. See ParseContext.
func Parse(name, text string, deps []schema.Dependency) (*Schema, error) {
	return ParseContext(context.Background(), name, text, deps)
}

// ParseContext is Parse with a context that can cancel the compilation.
// It applies schema.DefaultLimits; see ParseWithLimits.
func ParseContext(ctx context.Context, name, text string, deps []schema.Dependency) (*Schema, error) {
	return ParseWithLimits(ctx, name, text, deps, schema.DefaultLimits())
}

// ParseWithLimits is ParseContext within lim. The number of references,
// text sizes and nesting depth are checked by a linear scan before the
// compiler sees any text; definitions, fields and enum values are counted
// after compiling and before the forms are printed. A schema beyond a
// limit is a *schema.ParseError wrapping a *schema.LimitError.
//
// An invalid schema yields a *schema.ParseError locating the first problem
// and counting the others. Every call compiles from scratch: no symbols or
// caches are shared between calls, so one subject's definitions never leak
// into another's.
func ParseWithLimits(ctx context.Context, name, text string, deps []schema.Dependency, lim schema.Limits) (*Schema, error) {
	return parseWithLimits(ctx, name, text, deps, lim, false)
}

// ParseLenient is ParseWithLimits accepting what the Protobuf compiler
// accepts and this package's own validation refuses, for schemas another
// registry already holds: a malformed @sunset, @replacement or @reason
// tag in the comment of a deprecated element is left unread (the element
// stays deprecated, as its deprecated option says, without the tags'
// details). The text must still compile, so its forms and compatibility
// checks are those of ParseWithLimits.
func ParseLenient(ctx context.Context, name, text string, deps []schema.Dependency, lim schema.Limits) (*Schema, error) {
	return parseWithLimits(ctx, name, text, deps, lim, true)
}

func parseWithLimits(ctx context.Context, name, text string, deps []schema.Dependency, lim schema.Limits, lenient bool) (s *Schema, err error) {
	if name == "" {
		name = DefaultName
	}
	lim = lim.WithDefaults()
	if err := checkTexts(name, text, deps, lim); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			s = nil
			err = &schema.ParseError{
				Format:  schema.Protobuf,
				Message: fmt.Sprintf("the Protobuf compiler failed on this input: %v", r),
			}
		}
	}()

	sources := make(map[string]string, len(deps)+1)
	for _, d := range deps {
		if d.Name == name {
			return nil, &schema.ParseError{
				Format:  schema.Protobuf,
				Message: fmt.Sprintf("reference %q has the same name as the schema itself", d.Name),
			}
		}
		sources[d.Name] = d.Text
	}
	sources[name] = text

	var errs []reporter.ErrorWithPos
	comp := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: func(path string) (io.ReadCloser, error) {
				src, ok := sources[path]
				if !ok {
					return nil, fmt.Errorf("no reference named %q was supplied: %w", path, errNotFound)
				}
				return io.NopCloser(strings.NewReader(src)), nil
			},
		}),
		MaxParallelism: 1,
		SourceInfoMode: protocompile.SourceInfoStandard,
		Reporter: reporter.NewReporter(
			func(e reporter.ErrorWithPos) error {
				errs = append(errs, e)
				return nil // keep going: report every error
			},
			nil,
		),
	}
	files, cerr := comp.Compile(ctx, name)
	if len(errs) > 0 {
		return nil, parseError(name, errs)
	}
	if cerr != nil {
		var ewp reporter.ErrorWithPos
		if errors.As(cerr, &ewp) {
			return nil, parseError(name, []reporter.ErrorWithPos{ewp})
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("compiling %s: %w", name, ctxErr)
		}
		return nil, &schema.ParseError{Format: schema.Protobuf, Message: cerr.Error(), Err: cerr}
	}
	if len(files) != 1 || files[0] == nil {
		return nil, &schema.ParseError{Format: schema.Protobuf, Message: "the compiler returned no file"}
	}
	res, ok := files[0].(linker.Result)
	if !ok {
		return nil, &schema.ParseError{Format: schema.Protobuf, Message: "the compiler returned no source descriptor"}
	}
	if err := checkCounts(res, sources, lim); err != nil {
		return nil, err
	}
	// The compiler looks at ctx as it works; look once more before
	// printing the forms.
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, fmt.Errorf("compiling %s: %w", name, ctxErr)
	}
	return newSchema(name, text, res, lenient)
}

var errNotFound = errors.New("file not found")

// parseError converts the reporter's errors into one ParseError: the first
// error with its position, and how many more there were.
func parseError(name string, errs []reporter.ErrorWithPos) *schema.ParseError {
	first := errs[0]
	pos := first.GetPosition()
	msg := first.Unwrap().Error()
	pe := &schema.ParseError{Format: schema.Protobuf, Err: first}
	if pos.Filename == name || pos.Filename == "" {
		pe.Pos = schema.Position{Line: pos.Line, Column: pos.Col}
	} else {
		at := ""
		if pos.Line > 0 {
			at = fmt.Sprintf(" at %d:%d", pos.Line, pos.Col)
		}
		msg = fmt.Sprintf("in reference %q%s: %s", pos.Filename, at, msg)
	}
	if n := len(errs) - 1; n == 1 {
		msg += " (and 1 more error)"
	} else if n > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", n)
	}
	pe.Message = msg
	return pe
}
