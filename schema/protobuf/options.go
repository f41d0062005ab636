package protobuf

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bufbuild/protocompile/linker"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// option is one option assignment as printed: name = value.
type option struct {
	name  string
	value string
}

// optionPrinter renders options messages, including custom options, which
// the compiler leaves as unknown fields of the options message.
type optionPrinter struct {
	resolver linker.Resolver
	// ignoreExtensions drops custom options except Confluent's own
	// (confluentOptionPrefix), which its serializers read.
	ignoreExtensions bool
}

// confluentOptionPrefix starts the full name of the custom options
// Confluent defines (confluent.field_meta and the like); they stay in the
// ignore_extensions form, as in Confluent's.
const confluentOptionPrefix = "confluent."

// uninterpretedOption is the field number of uninterpreted_option in every
// options message; it is empty after compilation and never printed.
const uninterpretedOption = 999

// entries returns the options set in opts, sorted by name; repeated options
// yield one entry per element, in order.
func (op optionPrinter) entries(opts proto.Message) []option {
	if opts == nil || !opts.ProtoReflect().IsValid() {
		return nil
	}
	m := op.resolve(opts.ProtoReflect())
	var out []option
	for _, fd := range setFields(m) {
		if fd.Number() == uninterpretedOption && !fd.IsExtension() {
			continue
		}
		name := string(fd.Name())
		if fd.IsExtension() {
			if op.ignoreExtensions && !strings.HasPrefix(string(fd.FullName()), confluentOptionPrefix) {
				continue
			}
			name = "(." + string(fd.FullName()) + ")"
		}
		v := m.Get(fd)
		if fd.IsList() {
			l := v.List()
			for i := range l.Len() {
				out = append(out, option{name: name, value: op.value(fd, l.Get(i))})
			}
			continue
		}
		out = append(out, option{name: name, value: op.value(fd, v)})
	}
	sortOptions(out)
	return out
}

// resolve re-reads unknown fields of m as extensions known to the file.
func (op optionPrinter) resolve(m protoreflect.Message) protoreflect.Message {
	if len(m.GetUnknown()) == 0 || op.resolver == nil {
		return m
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m.Interface())
	if err != nil {
		return m
	}
	dm := dynamicpb.NewMessage(m.Descriptor())
	if err := (proto.UnmarshalOptions{Resolver: op.resolver}).Unmarshal(b, dm); err != nil {
		return m
	}
	return dm
}

// setFields lists the populated fields of m in field-number order.
func setFields(m protoreflect.Message) []protoreflect.FieldDescriptor {
	var fds []protoreflect.FieldDescriptor
	m.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		fds = append(fds, fd)
		return true
	})
	slices.SortFunc(fds, func(a, b protoreflect.FieldDescriptor) int { return cmp.Compare(a.Number(), b.Number()) })
	return fds
}

// value renders one (non-list) option value as source.
func (op optionPrinter) value(fd protoreflect.FieldDescriptor, v protoreflect.Value) string {
	var b strings.Builder
	op.writeValue(&b, fd, v)
	return b.String()
}

// writeValue writes one (non-list) option value as source to b. Message
// values are written in place, never built as strings and copied into
// their parent's text, so that printing a literal nested n levels deep
// costs O(n), not O(n²).
func (op optionPrinter) writeValue(b *strings.Builder, fd protoreflect.FieldDescriptor, v protoreflect.Value) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			b.WriteString(string(ev.Name()))
			return
		}
		b.WriteString(strconv.Itoa(int(v.Enum())))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		b.WriteString(floatText(v.Float()))
	case protoreflect.StringKind:
		writeQuoted(b, v.String())
	case protoreflect.BytesKind:
		b.WriteString(quoteBytes(v.Bytes()))
	case protoreflect.MessageKind, protoreflect.GroupKind:
		op.writeLiteral(b, op.resolve(v.Message()))
	default:
		b.WriteString(v.String())
	}
}

// mapEntry is one entry of a map-valued field, with its key rendered.
type mapEntry struct {
	key   string
	value protoreflect.Value
}

// writeLiteral writes a message-valued option in text format to b, fields
// in number order and map entries in the order of their keys' text.
func (op optionPrinter) writeLiteral(b *strings.Builder, m protoreflect.Message) {
	fds := setFields(m)
	if len(fds) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{ ")
	for i, fd := range fds {
		if i > 0 {
			b.WriteByte(' ')
		}
		if fd.IsExtension() {
			b.WriteString("[" + string(fd.FullName()) + "]")
		} else {
			b.WriteString(string(fd.Name()))
		}
		v := m.Get(fd)
		switch {
		case fd.IsList():
			b.WriteString(": [")
			l := v.List()
			for i := range l.Len() {
				if i > 0 {
					b.WriteString(", ")
				}
				op.writeValue(b, fd, l.Get(i))
			}
			b.WriteByte(']')
		case fd.IsMap():
			// Keys are unique scalars whose text is never a prefix of
			// another's followed by a space, so ordering by key text
			// orders the entries as ordering by their whole text would.
			var entries []mapEntry
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				entries = append(entries, mapEntry{key: op.value(fd.MapKey(), k.Value()), value: mv})
				return true
			})
			slices.SortFunc(entries, func(a, b mapEntry) int { return cmp.Compare(a.key, b.key) })
			b.WriteString(": [")
			for i, e := range entries {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("{ key: " + e.key + " value: ")
				op.writeValue(b, fd.MapValue(), e.value)
				b.WriteString(" }")
			}
			b.WriteByte(']')
		default:
			b.WriteString(": ")
			op.writeValue(b, fd, v)
		}
	}
	b.WriteString(" }")
}

func sortOptions(opts []option) {
	slices.SortStableFunc(opts, func(a, b option) int { return cmp.Compare(a.name, b.name) })
}

// bracket renders field-style options: [a = 1, b = 2].
func bracket(opts []option) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = o.name + " = " + o.value
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func floatText(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// quote renders s as a Protobuf string literal, escaping quotes,
// backslashes and control characters; other UTF-8 text is kept.
func quote(s string) string {
	var b strings.Builder
	writeQuoted(&b, s)
	return b.String()
}

// writeQuoted writes s to b as quote renders it.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		writeByte(b, s[i], false)
	}
	b.WriteByte('"')
}

// quoteBytes is quote for bytes values: every non-ASCII byte is escaped.
func quoteBytes(s []byte) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		writeByte(&b, c, true)
	}
	b.WriteByte('"')
	return b.String()
}

func writeByte(b *strings.Builder, c byte, escapeHigh bool) {
	switch c {
	case '"':
		b.WriteString(`\"`)
	case '\\':
		b.WriteString(`\\`)
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	default:
		if c < 0x20 || c == 0x7f || (escapeHigh && c >= 0x80) {
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + (c>>3)&7)
			b.WriteByte('0' + c&7)
			return
		}
		b.WriteByte(c)
	}
}
