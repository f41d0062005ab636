package protobuf

import (
	"errors"
	"fmt"

	"github.com/bufbuild/protocompile/linker"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemata-dev/schemata/schema"
)

// checkTexts applies the limits that need no compiling to the schema and
// each of its references: the number of references, text size and
// nesting depth. It is linear in the texts and runs before the compiler
// sees them, whose cost grows with the square of the nesting of message
// literals.
func checkTexts(name, text string, deps []schema.Dependency, lim schema.Limits) error {
	if len(deps) > lim.MaxReferences {
		return limitError(schema.Position{}, &schema.LimitError{
			Limit: "MaxReferences", Max: lim.MaxReferences,
			What: fmt.Sprintf("the number of referenced schemas (%d)", len(deps)),
		})
	}
	for _, d := range deps {
		if err := checkText(d.Text, lim); err != nil {
			return inReference(d.Name, err)
		}
	}
	return checkText(text, lim)
}

func checkText(text string, lim schema.Limits) error {
	if err := lim.CheckText(schema.Protobuf, text); err != nil {
		return err
	}
	if pos, ok := tooDeep(text, lim.MaxDepth); ok {
		return limitError(pos, &schema.LimitError{Limit: "MaxDepth", Max: lim.MaxDepth, What: "the nesting depth"})
	}
	return nil
}

// tooDeep scans Protobuf source for the first bracket ({, [, < or ()
// nested more than maxDepth deep, skipping comments and string literals.
// It does not validate anything: unbalanced or misplaced brackets are the
// compiler's to report. Columns count bytes.
func tooDeep(text string, maxDepth int) (schema.Position, bool) {
	depth, line, lineStart := 0, 1, 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\n':
			line, lineStart = line+1, i+1
		case '/':
			if i+1 >= len(text) {
				break
			}
			switch text[i+1] {
			case '/':
				for i+1 < len(text) && text[i+1] != '\n' {
					i++
				}
			case '*':
				i += 2
				for i < len(text) && !(text[i] == '*' && i+1 < len(text) && text[i+1] == '/') {
					if text[i] == '\n' {
						line, lineStart = line+1, i+1
					}
					i++
				}
				i++ // the closing '/'
			}
		case '"', '\'':
			// A string literal ends at its unescaped quote or, unterminated,
			// at the end of the line.
			for i+1 < len(text) && text[i+1] != c && text[i+1] != '\n' {
				if text[i+1] == '\\' {
					i++
				}
				i++
			}
			if i+1 < len(text) && text[i+1] == c {
				i++ // the closing quote
			}
		case '{', '[', '<', '(':
			depth++
			if depth > maxDepth {
				return schema.Position{Line: line, Column: i - lineStart + 1}, true
			}
		case '}', ']', '>', ')':
			if depth > 0 {
				depth--
			}
		}
	}
	return schema.Position{}, false
}

// checkCounts counts the definitions, fields and enum values of the
// compiled file and of the referenced files among sources, before the
// printer and the indexes walk them.
func checkCounts(f linker.Result, sources map[string]string, lim schema.Limits) error {
	c := lim.Counter()
	seen := map[string]bool{}
	var file func(fd protoreflect.FileDescriptor) error
	file = func(fd protoreflect.FileDescriptor) error {
		if seen[fd.Path()] {
			return nil
		}
		seen[fd.Path()] = true
		if _, ok := sources[fd.Path()]; !ok {
			return nil // a well-known type
		}
		if err := countTypes(c, fd.Messages(), fd.Enums()); err != nil {
			return err
		}
		if err := c.Definitions(fd.Services().Len()); err != nil {
			return err
		}
		if err := c.Fields(fd.Extensions().Len()); err != nil {
			return err
		}
		imports := fd.Imports()
		for i := range imports.Len() {
			if err := file(imports.Get(i).FileDescriptor); err != nil {
				return err
			}
		}
		return nil
	}
	if err := file(f); err != nil {
		return limitError(schema.Position{}, err)
	}
	return nil
}

func countTypes(c *schema.Counter, ms protoreflect.MessageDescriptors, es protoreflect.EnumDescriptors) error {
	if err := c.Definitions(ms.Len() + es.Len()); err != nil {
		return err
	}
	for i := range es.Len() {
		if err := c.EnumSymbols(es.Get(i).Values().Len()); err != nil {
			return err
		}
	}
	for i := range ms.Len() {
		m := ms.Get(i)
		if err := c.Fields(m.Fields().Len() + m.Extensions().Len()); err != nil {
			return err
		}
		if err := countTypes(c, m.Messages(), m.Enums()); err != nil {
			return err
		}
	}
	return nil
}

// limitError wraps a *schema.LimitError (err) as a located ParseError.
func limitError(pos schema.Position, err error) *schema.ParseError {
	return &schema.ParseError{Format: schema.Protobuf, Pos: pos, Message: err.Error(), Err: err}
}

// inReference says that err, from a referenced file, is about that file.
func inReference(name string, err error) error {
	var pe *schema.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	at := ""
	if pe.Pos.IsValid() {
		at = " at " + pe.Pos.String()
	}
	return &schema.ParseError{Format: schema.Protobuf, Message: fmt.Sprintf("in reference %q%s: %s", name, at, pe.Message), Err: pe.Err}
}
