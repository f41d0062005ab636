package protobuf

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bufbuild/protocompile/linker"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/schemata-dev/schemata/schema"
)

// Largest field and enum numbers, printed as "max" in ranges.
const (
	maxFieldNumber = 536870911
	maxEnumNumber  = 2147483647
)

// printer renders a compiled file back to Protobuf source. In normalized
// mode it reorders declarations as Confluent's normalization does; otherwise
// it keeps declaration order. Both modes print type names fully qualified,
// options sorted by name, and map fields as map<K, V>.
type printer struct {
	b         strings.Builder
	norm      bool
	noExt     bool // leave out extend blocks and custom options (printForm.ignoreExtensions)
	editions  bool
	proto2    bool
	opts      optionPrinter
	messages  map[string]*descriptorpb.DescriptorProto // every message, by full name with leading dot
	mapEntry  map[string]*descriptorpb.DescriptorProto // map entries, by full name
	groupBody map[string]bool                          // group messages, printed inline
	tags      map[string][]string                      // marker comment lines, by path with leading dot
	depth     int
}

// printForm selects what printFile prints.
type printForm struct {
	// normalized reorders declarations as Confluent's normalization does.
	normalized bool
	// ignoreExtensions leaves out extend blocks and custom options (those
	// named in parentheses) other than Confluent's own "confluent." ones,
	// as Confluent's format=ignore_extensions does.
	ignoreExtensions bool
}

// printFile renders f; see Schema.Identity and Schema.Normalized. The
// @sunset, @replacement and @reason tags of deps are printed as a comment
// above their element, so they are part of every form.
func printFile(f linker.Result, form printForm, deps []schema.Deprecation) string {
	fdp := f.FileDescriptorProto()
	p := &printer{
		norm:      form.normalized,
		noExt:     form.ignoreExtensions,
		opts:      optionPrinter{resolver: linker.ResolverFromFile(f), ignoreExtensions: form.ignoreExtensions},
		messages:  map[string]*descriptorpb.DescriptorProto{},
		mapEntry:  map[string]*descriptorpb.DescriptorProto{},
		groupBody: map[string]bool{},
		tags:      tagComments(deps),
	}
	prefix := ""
	if fdp.GetPackage() != "" {
		prefix = "." + fdp.GetPackage()
	}
	p.indexTypes(prefix, fdp.GetMessageType())

	switch fdp.GetSyntax() {
	case "editions":
		p.editions = true
		p.line("edition = %s;", quote(editionName(fdp.GetEdition())))
	case "proto3":
		p.line(`syntax = "proto3";`)
	default:
		p.proto2 = true
		p.line(`syntax = "proto2";`)
	}
	if fdp.GetPackage() != "" {
		p.line("package %s;", fdp.GetPackage())
	}
	p.imports(fdp)
	if opts := p.opts.entries(fdp.GetOptions()); len(opts) > 0 {
		p.blank()
		p.options(opts)
	}
	for _, m := range fdp.GetMessageType() {
		p.blank()
		p.message(prefix, m)
	}
	for _, e := range fdp.GetEnumType() {
		p.blank()
		p.enum(prefix, e)
	}
	if len(fdp.GetExtension()) > 0 && !p.noExt {
		p.blank()
		p.extensions(prefix, fdp.GetExtension())
	}
	for _, s := range fdp.GetService() {
		p.blank()
		p.service(s)
	}
	return p.b.String()
}

// indexTypes records map entries and group bodies under their full names.
func (p *printer) indexTypes(prefix string, ms []*descriptorpb.DescriptorProto) {
	for _, m := range ms {
		full := prefix + "." + m.GetName()
		p.messages[full] = m
		if m.GetOptions().GetMapEntry() {
			p.mapEntry[full] = m
		}
		for _, f := range m.GetField() {
			if f.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP {
				p.groupBody[f.GetTypeName()] = true
			}
		}
		p.indexTypes(full, m.GetNestedType())
	}
}

func (p *printer) line(format string, args ...any) {
	for range p.depth {
		p.b.WriteString("  ")
	}
	fmt.Fprintf(&p.b, format, args...)
	p.b.WriteByte('\n')
}

func (p *printer) blank() {
	if p.depth == 0 {
		p.b.WriteByte('\n')
	}
}

func (p *printer) imports(fdp *descriptorpb.FileDescriptorProto) {
	if len(fdp.GetDependency()) == 0 {
		return
	}
	kind := make([]string, len(fdp.GetDependency()))
	for _, i := range fdp.GetPublicDependency() {
		kind[i] = "public "
	}
	for _, i := range fdp.GetWeakDependency() {
		kind[i] = "weak "
	}
	lines := make([]string, len(fdp.GetDependency()))
	for i, d := range fdp.GetDependency() {
		lines[i] = fmt.Sprintf("import %s%s;", kind[i], quote(d))
	}
	if p.norm {
		slices.Sort(lines)
		lines = slices.Compact(lines)
	}
	p.blank()
	for _, l := range lines {
		p.line("%s", l)
	}
}

// tagComments renders the tags of deps as comment lines, by path with a
// leading dot (how the printer names elements). Elements without tags have
// no entry, so a schema without tags prints as it always has.
func tagComments(deps []schema.Deprecation) map[string][]string {
	out := map[string][]string{}
	for _, d := range deps {
		var first []string
		if !d.Sunset.IsZero() {
			first = append(first, tagSunset, d.Sunset.Format(time.DateOnly))
		}
		if d.Replacement != "" {
			first = append(first, tagReplacement, d.Replacement)
		}
		var lines []string
		if len(first) > 0 {
			lines = append(lines, "// "+strings.Join(first, " "))
		}
		if d.Reason != "" {
			lines = append(lines, "// "+tagReason+" "+d.Reason)
		}
		if len(lines) > 0 {
			out["."+d.Path] = lines
		}
	}
	return out
}

// comment prints the tag comment lines of the element at path, if any.
func (p *printer) comment(path string) {
	for _, l := range p.tags[path] {
		p.line("%s", l)
	}
}

func (p *printer) message(prefix string, m *descriptorpb.DescriptorProto) {
	p.comment(prefix + "." + m.GetName())
	p.line("message %s {", m.GetName())
	p.messageBody(prefix+"."+m.GetName(), m)
	p.line("}")
}

func (p *printer) messageBody(full string, m *descriptorpb.DescriptorProto) {
	p.depth++
	defer func() { p.depth-- }()
	p.options(p.opts.entries(m.GetOptions()))
	p.reserved(fieldRanges(m.GetReservedRange()), m.GetReservedName(), maxFieldNumber)
	for _, r := range m.GetExtensionRange() {
		line := "extensions " + rangeText(r.GetStart(), r.GetEnd()-1, maxFieldNumber)
		if opts := p.opts.entries(r.GetOptions()); len(opts) > 0 {
			line += " " + bracket(opts)
		}
		p.line("%s;", line)
	}
	p.fields(full, m)
	for _, n := range m.GetNestedType() {
		nf := full + "." + n.GetName()
		if p.mapEntry[nf] != nil || p.groupBody[nf] {
			continue
		}
		p.message(full, n)
	}
	for _, e := range m.GetEnumType() {
		p.enum(full, e)
	}
	p.extensions(full, m.GetExtension())
}

// fields prints m's fields and oneofs.
func (p *printer) fields(full string, m *descriptorpb.DescriptorProto) {
	inOneof := func(f *descriptorpb.FieldDescriptorProto) bool {
		return f.OneofIndex != nil && !f.GetProto3Optional()
	}
	members := make([][]*descriptorpb.FieldDescriptorProto, len(m.GetOneofDecl()))
	for _, f := range m.GetField() {
		if inOneof(f) {
			members[f.GetOneofIndex()] = append(members[f.GetOneofIndex()], f)
		}
	}
	if !p.norm {
		printed := make([]bool, len(members))
		for _, f := range m.GetField() {
			if !inOneof(f) {
				p.field(full, f, false)
				continue
			}
			if i := f.GetOneofIndex(); !printed[i] {
				printed[i] = true
				p.oneof(full, m.GetOneofDecl()[i], members[i])
			}
		}
		return
	}
	var plain []*descriptorpb.FieldDescriptorProto
	for _, f := range m.GetField() {
		if !inOneof(f) {
			plain = append(plain, f)
		}
	}
	byNumber := func(a, b *descriptorpb.FieldDescriptorProto) int { return cmp.Compare(a.GetNumber(), b.GetNumber()) }
	slices.SortStableFunc(plain, byNumber)
	for _, f := range plain {
		p.field(full, f, false)
	}
	var order []int
	for i, fs := range members {
		if len(fs) > 0 {
			slices.SortStableFunc(fs, byNumber)
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return byNumber(members[a][0], members[b][0]) })
	for _, i := range order {
		p.oneof(full, m.GetOneofDecl()[i], members[i])
	}
}

// options writes opts as option statements at the current depth.
func (p *printer) options(opts []option) {
	for _, o := range opts {
		p.line("option %s = %s;", o.name, o.value)
	}
}

func (p *printer) oneof(full string, o *descriptorpb.OneofDescriptorProto, fs []*descriptorpb.FieldDescriptorProto) {
	p.line("oneof %s {", o.GetName())
	p.depth++
	p.options(p.opts.entries(o.GetOptions()))
	for _, f := range fs {
		p.field(full, f, true)
	}
	p.depth--
	p.line("}")
}

// field prints one field; full is the enclosing message's full name.
func (p *printer) field(full string, f *descriptorpb.FieldDescriptorProto, inOneof bool) {
	entry := p.mapEntry[f.GetTypeName()]
	label := ""
	switch {
	case inOneof || entry != nil:
	case f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED:
		label = "repeated "
	case p.editions:
	case f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REQUIRED:
		label = "required "
	case p.proto2 || f.GetProto3Optional():
		label = "optional "
	}
	opts := p.opts.entries(f.GetOptions())
	if f.DefaultValue != nil {
		opts = append(opts, option{name: "default", value: defaultText(f)})
	}
	if f.JsonName != nil && f.GetJsonName() != DefaultJSONName(f.GetName()) {
		opts = append(opts, option{name: "json_name", value: quote(f.GetJsonName())})
	}
	sortOptions(opts)
	suffix := ""
	if len(opts) > 0 {
		suffix = " " + bracket(opts)
	}
	p.comment(full + "." + f.GetName())
	if f.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP && !p.editions {
		name := f.GetTypeName()[strings.LastIndexByte(f.GetTypeName(), '.')+1:]
		p.line("%sgroup %s = %d%s {", label, name, f.GetNumber(), suffix)
		if body := p.messages[f.GetTypeName()]; body != nil {
			p.messageBody(f.GetTypeName(), body)
		}
		p.line("}")
		return
	}
	typ := typeText(f)
	if entry != nil {
		var k, v *descriptorpb.FieldDescriptorProto
		for _, ef := range entry.GetField() {
			switch ef.GetNumber() {
			case 1:
				k = ef
			case 2:
				v = ef
			}
		}
		if k != nil && v != nil {
			typ = fmt.Sprintf("map<%s, %s>", typeText(k), typeText(v))
		}
	}
	p.line("%s%s %s = %d%s;", label, typ, f.GetName(), f.GetNumber(), suffix)
}

func (p *printer) enum(prefix string, e *descriptorpb.EnumDescriptorProto) {
	full := prefix + "." + e.GetName()
	p.comment(full)
	p.line("enum %s {", e.GetName())
	p.depth++
	p.options(p.opts.entries(e.GetOptions()))
	var ranges [][2]int32
	for _, r := range e.GetReservedRange() {
		ranges = append(ranges, [2]int32{r.GetStart(), r.GetEnd()})
	}
	p.reserved(ranges, e.GetReservedName(), maxEnumNumber)
	values := slices.Clone(e.GetValue())
	if p.norm {
		slices.SortStableFunc(values, func(a, b *descriptorpb.EnumValueDescriptorProto) int {
			return cmp.Or(cmp.Compare(a.GetNumber(), b.GetNumber()), cmp.Compare(a.GetName(), b.GetName()))
		})
	}
	for _, v := range values {
		suffix := ""
		if opts := p.opts.entries(v.GetOptions()); len(opts) > 0 {
			suffix = " " + bracket(opts)
		}
		p.comment(full + "." + v.GetName())
		p.line("%s = %d%s;", v.GetName(), v.GetNumber(), suffix)
	}
	p.depth--
	p.line("}")
}

// reserved prints reserved ranges (inclusive bounds) and names.
func (p *printer) reserved(ranges [][2]int32, names []string, maxNumber int32) {
	if p.norm {
		ranges = slices.Clone(ranges)
		slices.SortStableFunc(ranges, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		for _, r := range ranges {
			p.line("reserved %s;", rangeText(r[0], r[1], maxNumber))
		}
		names = slices.Clone(names)
		slices.Sort(names)
		for _, n := range names {
			p.line("reserved %s;", quote(n))
		}
		return
	}
	if len(ranges) > 0 {
		parts := make([]string, len(ranges))
		for i, r := range ranges {
			parts[i] = rangeText(r[0], r[1], maxNumber)
		}
		p.line("reserved %s;", strings.Join(parts, ", "))
	}
	if len(names) > 0 {
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = quote(n)
		}
		p.line("reserved %s;", strings.Join(parts, ", "))
	}
}

// extensions prints extension fields grouped into extend blocks, or
// nothing when extensions are left out.
func (p *printer) extensions(full string, xs []*descriptorpb.FieldDescriptorProto) {
	if p.noExt {
		return
	}
	for i := 0; i < len(xs); {
		j := i
		for j < len(xs) && xs[j].GetExtendee() == xs[i].GetExtendee() {
			j++
		}
		p.line("extend %s {", xs[i].GetExtendee())
		p.depth++
		for _, x := range xs[i:j] {
			p.field(full, x, false)
		}
		p.depth--
		p.line("}")
		i = j
	}
}

func (p *printer) service(s *descriptorpb.ServiceDescriptorProto) {
	p.line("service %s {", s.GetName())
	p.depth++
	p.options(p.opts.entries(s.GetOptions()))
	for _, m := range s.GetMethod() {
		in, out := m.GetInputType(), m.GetOutputType()
		if m.GetClientStreaming() {
			in = "stream " + in
		}
		if m.GetServerStreaming() {
			out = "stream " + out
		}
		opts := p.opts.entries(m.GetOptions())
		if len(opts) == 0 {
			p.line("rpc %s(%s) returns (%s);", m.GetName(), in, out)
			continue
		}
		p.line("rpc %s(%s) returns (%s) {", m.GetName(), in, out)
		p.depth++
		p.options(opts)
		p.depth--
		p.line("}")
	}
	p.depth--
	p.line("}")
}

// fieldRanges converts message reserved ranges (end exclusive) to
// inclusive bounds.
func fieldRanges(rs []*descriptorpb.DescriptorProto_ReservedRange) [][2]int32 {
	out := make([][2]int32, len(rs))
	for i, r := range rs {
		out[i] = [2]int32{r.GetStart(), r.GetEnd() - 1}
	}
	return out
}

func rangeText(start, end, maxNumber int32) string {
	switch {
	case start == end:
		return strconv.Itoa(int(start))
	case end == maxNumber:
		return fmt.Sprintf("%d to max", start)
	}
	return fmt.Sprintf("%d to %d", start, end)
}

// typeText is a field's type: the scalar keyword or the fully qualified
// type name with its leading dot.
func typeText(f *descriptorpb.FieldDescriptorProto) string {
	switch f.GetType() {
	case descriptorpb.FieldDescriptorProto_TYPE_MESSAGE, descriptorpb.FieldDescriptorProto_TYPE_ENUM,
		descriptorpb.FieldDescriptorProto_TYPE_GROUP:
		return f.GetTypeName()
	}
	return ScalarName(f.GetType())
}

// ScalarName returns the source keyword of a scalar field type, such as
// "int32" or "string", or the lower-cased type name for other types.
func ScalarName(t descriptorpb.FieldDescriptorProto_Type) string {
	return strings.ToLower(strings.TrimPrefix(t.String(), "TYPE_"))
}

// defaultText renders a proto2 default value as source.
func defaultText(f *descriptorpb.FieldDescriptorProto) string {
	switch f.GetType() {
	case descriptorpb.FieldDescriptorProto_TYPE_STRING:
		return quote(f.GetDefaultValue())
	case descriptorpb.FieldDescriptorProto_TYPE_BYTES:
		// The descriptor holds bytes defaults already C-escaped.
		return `"` + f.GetDefaultValue() + `"`
	}
	return f.GetDefaultValue()
}

// DefaultJSONName returns protoc's default JSON name for a field name:
// underscores dropped and the letter after each one upper-cased.
func DefaultJSONName(name string) string {
	var b strings.Builder
	upper := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_':
			upper = true
		case upper && 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
			upper = false
		default:
			b.WriteByte(c)
			upper = false
		}
	}
	return b.String()
}

func editionName(e descriptorpb.Edition) string {
	return strings.TrimPrefix(e.String(), "EDITION_")
}
