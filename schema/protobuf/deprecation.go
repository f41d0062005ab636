package protobuf

import (
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/schemata-dev/schemata/schema"
)

// Deprecation kinds reported by this package.
const (
	KindField     = "field"
	KindMessage   = "message"
	KindEnum      = "enum"
	KindEnumValue = "enum_value"
)

// Comment tags read from the leading comment of a deprecated element.
// Protobuf has no syntax for a sunset date, so the registry reads one from
// the comment right above the element:
//
//	// @sunset 2026-06-01 @replacement shop.v1.Order.lines
//	// @reason totals are now computed per line
//	repeated Item items = 3 [deprecated = true];
//
// @sunset takes a date (YYYY-MM-DD), @replacement a path, @reason the rest of
// its line. Tags on elements that are not deprecated are ignored; a
// malformed @sunset date on a deprecated element is a parse error.
const (
	tagSunset      = "@sunset"
	tagReplacement = "@replacement"
	tagReason      = "@reason"
)

// readDeprecations lists the deprecation markers of f in declaration order.
func readDeprecations(f protoreflect.FileDescriptor, pos map[string]schema.Position, lenient bool) ([]schema.Deprecation, error) {
	var out []schema.Deprecation
	locs := f.SourceLocations()
	add := func(d protoreflect.Descriptor, path, kind string) error {
		dep := schema.Deprecation{Path: path, Kind: kind, Pos: pos[path]}
		if err := readTags(locs.ByDescriptor(d).LeadingComments, &dep); err != nil {
			if !lenient {
				return &schema.ParseError{Format: schema.Protobuf, Pos: dep.Pos, Message: fmt.Sprintf("%s %s: %v", kind, path, err), Err: err}
			}
			// Still deprecated by its option, without the malformed tags.
			dep = schema.Deprecation{Path: path, Kind: kind, Pos: pos[path]}
		}
		out = append(out, dep)
		return nil
	}
	var enums func(protoreflect.EnumDescriptors) error
	enums = func(es protoreflect.EnumDescriptors) error {
		for i := range es.Len() {
			e := es.Get(i)
			if isDeprecated(e) {
				if err := add(e, string(e.FullName()), KindEnum); err != nil {
					return err
				}
			}
			vs := e.Values()
			for j := range vs.Len() {
				if v := vs.Get(j); isDeprecated(v) {
					if err := add(v, EnumValuePath(v), KindEnumValue); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	var messages func(protoreflect.MessageDescriptors) error
	messages = func(ms protoreflect.MessageDescriptors) error {
		for i := range ms.Len() {
			m := ms.Get(i)
			if m.IsMapEntry() {
				continue
			}
			if isDeprecated(m) {
				if err := add(m, string(m.FullName()), KindMessage); err != nil {
					return err
				}
			}
			fs := m.Fields()
			for j := range fs.Len() {
				if fd := fs.Get(j); isDeprecated(fd) {
					if err := add(fd, string(fd.FullName()), KindField); err != nil {
						return err
					}
				}
			}
			if err := messages(m.Messages()); err != nil {
				return err
			}
			if err := enums(m.Enums()); err != nil {
				return err
			}
		}
		return nil
	}
	if err := messages(f.Messages()); err != nil {
		return nil, err
	}
	if err := enums(f.Enums()); err != nil {
		return nil, err
	}
	return out, nil
}

// isDeprecated reports whether d carries the deprecated option.
func isDeprecated(d protoreflect.Descriptor) bool {
	switch o := d.Options().(type) {
	case *descriptorpb.MessageOptions:
		return o.GetDeprecated()
	case *descriptorpb.FieldOptions:
		return o.GetDeprecated()
	case *descriptorpb.EnumOptions:
		return o.GetDeprecated()
	case *descriptorpb.EnumValueOptions:
		return o.GetDeprecated()
	}
	return false
}

// readTags fills dep's sunset, replacement and reason from comment.
func readTags(comment string, dep *schema.Deprecation) error {
	for line := range strings.Lines(comment) {
		words := strings.Fields(line)
		for i := 0; i < len(words); i++ {
			switch words[i] {
			case tagSunset:
				if i+1 >= len(words) {
					return fmt.Errorf("%s needs a date (YYYY-MM-DD)", tagSunset)
				}
				i++
				t, err := time.Parse(time.DateOnly, words[i])
				if err != nil {
					return fmt.Errorf("%s date %q is not a YYYY-MM-DD date", tagSunset, words[i])
				}
				dep.Sunset = t
			case tagReplacement:
				if i+1 >= len(words) {
					return fmt.Errorf("%s needs a path", tagReplacement)
				}
				i++
				dep.Replacement = words[i]
			case tagReason:
				dep.Reason = strings.Join(words[i+1:], " ")
				i = len(words)
			}
		}
	}
	return nil
}
