package compat

import "github.com/schemata-dev/schemata/schema"

// The additive-only policy ("deprecate, don't delete") is defined here, in
// one place: what it accepts as an addition, what it refuses as a change,
// and when it lets a removal through.
//
// Its guarantee is that every reader of a live version reads data written
// with the new schema, and the new schema reads data written with every
// live version, for every element that reader knows. It judges additions
// by that guarantee rather than by the quirks of Confluent's FULL level:
// an element an earlier version lacks (a message, a nested message, an
// enum, a service, an RPC, a field with a default, an enum value its
// readers tolerate, a named type reached only through a new field) is never
// met by that version's readers, so it is accepted. A change to an existing
// element is refused, even one the wire format would absorb, because the
// schema is also generated code and documentation. A removal is refused
// unless the element was deprecated in an earlier version, its sunset (or
// the minimum deprecation period) has passed, no registered consumer still
// reads it, and, for Protobuf, its number and name are reserved.
//
// Under the policy Check compares the new schema with every live version
// in both directions (the Confluent rules), drops the directional findings
// the policy judges on its own terms (policySupersedes), and applies the
// policy's own rules (category ADDITIVE) to the latest version.

// Verdict is how the additive-only policy judges one kind of change.
type Verdict string

// Verdicts of the additive-only policy.
const (
	// Accepted changes always pass.
	Accepted Verdict = "accepted"
	// AcceptedIf changes pass when PolicyEntry.Condition holds.
	AcceptedIf Verdict = "accepted if"
	// Refused changes never pass.
	Refused Verdict = "refused"
	// RemovableAfterDeprecation removals pass once the element's
	// deprecation has run its course (Policy.Removable) and, for Protobuf,
	// its number and name are reserved.
	RemovableAfterDeprecation Verdict = "removable after deprecation"
	// NotJudged changes are outside the policy's guarantee.
	NotJudged Verdict = "not judged"
)

// PolicyEntry is one line of the additive-only policy: how it judges one
// kind of change to one kind of element.
type PolicyEntry struct {
	Format schema.Format
	// Kind is Added, Changed or Removed.
	Kind ChangeKind
	// Element names what changes, e.g. "nested message" or "enum symbol".
	Element string
	Verdict Verdict
	// Condition is what must hold for AcceptedIf, or a short reason.
	Condition string
	// Rules are the IDs of the rules that enforce the entry.
	Rules []string
}

// policyEntries is the additive-only policy, format by format, additions
// first, then changes, then removals.
var policyEntries = []PolicyEntry{
	// Avro.
	{schema.Avro, Added, "field", AcceptedIf, "it has a default, so the new schema reads earlier data",
		[]string{ruleAvroAdditiveFieldWithoutDefault.ID, ruleAvroReaderFieldMissingDefault.ID}},
	{schema.Avro, Added, "named type (record, enum, fixed) reached through a new field", AcceptedIf, "the new field has a default",
		[]string{ruleAvroAdditiveFieldWithoutDefault.ID}},
	{schema.Avro, Added, "enum symbol", AcceptedIf, "the enum already had a default, which earlier readers read the symbol as",
		[]string{ruleAvroAdditiveEnumSymbolWithoutDefault.ID, ruleAvroEnumSymbolMissing.ID}},
	{schema.Avro, Added, "union branch", AcceptedIf, "every earlier reader can read it (a promotion of one of its branches)",
		[]string{ruleAvroUnionBranchMissing.ID}},
	{schema.Avro, Added, "doc, alias, custom property, deprecation marker", Accepted, "", nil},
	{schema.Avro, Changed, "field type (promotions, fixed size and decimal included)", Refused, "",
		[]string{ruleAvroAdditiveFieldTypeChanged.ID}},
	{schema.Avro, Changed, "field name (even with an alias)", Refused, "",
		[]string{ruleAvroAdditiveFieldRenamed.ID}},
	{schema.Avro, Changed, "named type name (even with an alias)", Refused, "",
		[]string{ruleAvroAdditiveTypeRenamed.ID}},
	{schema.Avro, Changed, "default, doc, order", Accepted, "", nil},
	{schema.Avro, Removed, "field", RemovableAfterDeprecation, "",
		[]string{ruleAvroAdditiveFieldRemoved.ID, ruleAvroAdditiveDeprecatedRemovedEarly.ID}},
	{schema.Avro, Removed, "enum symbol", RemovableAfterDeprecation, "",
		[]string{ruleAvroAdditiveEnumSymbolRemoved.ID, ruleAvroAdditiveDeprecatedRemovedEarly.ID}},
	{schema.Avro, Removed, "union branch", RemovableAfterDeprecation, "",
		[]string{ruleAvroAdditiveUnionBranchRemoved.ID, ruleAvroAdditiveDeprecatedRemovedEarly.ID}},
	{schema.Avro, Removed, "named type", RemovableAfterDeprecation, "",
		[]string{ruleAvroAdditiveTypeRemoved.ID, ruleAvroAdditiveDeprecatedRemovedEarly.ID}},

	// Protobuf.
	{schema.Protobuf, Added, "message (top-level or nested, used by a new field or not)", Accepted,
		"readers of an earlier version never meet it", nil},
	{schema.Protobuf, Added, "enum (top-level or nested)", Accepted, "", nil},
	{schema.Protobuf, Added, "enum value", Accepted, "readers tolerate a value they do not know: an open enum keeps its number, a closed one an unknown field", nil},
	{schema.Protobuf, Added, "service, RPC", Accepted, "", nil},
	{schema.Protobuf, Added, "field (singular, optional, repeated, map, in a oneof)", AcceptedIf, "it is not required",
		[]string{ruleProtoAddRequiredFieldAdded.ID, ruleProtoRequiredFieldAdded.ID}},
	{schema.Protobuf, Added, "oneof of new fields, reservation, option", Accepted, "", nil},
	{schema.Protobuf, Changed, "field name, number, type, label or oneof", Refused, "",
		[]string{ruleProtoAddFieldRenamed.ID, ruleProtoAddFieldRenumbered.ID, ruleProtoAddFieldTypeChanged.ID,
			ruleProtoAddFieldLabelChanged.ID, ruleProtoAddFieldOneofChanged.ID}},
	{schema.Protobuf, Changed, "enum value name or number", Refused, "",
		[]string{ruleProtoAddEnumValueRenamed.ID, ruleProtoAddEnumValueRenumbered.ID}},
	{schema.Protobuf, Changed, "package", Refused, "",
		[]string{ruleProtoPackageChanged.ID}},
	{schema.Protobuf, Removed, "reservation", Refused, "",
		[]string{ruleProtoAddReservedRemoved.ID}},
	{schema.Protobuf, Removed, "required field", Refused, "readers of an earlier version require it",
		[]string{ruleProtoRequiredFieldRemoved.ID}},
	{schema.Protobuf, Removed, "message (top-level or nested)", RemovableAfterDeprecation, "",
		[]string{ruleProtoAddMessageRemoved.ID, ruleProtoAddDeprecatedRemovedEarly.ID}},
	{schema.Protobuf, Removed, "enum", RemovableAfterDeprecation, "",
		[]string{ruleProtoAddEnumRemoved.ID, ruleProtoAddDeprecatedRemovedEarly.ID}},
	{schema.Protobuf, Removed, "field", RemovableAfterDeprecation, "and its number and name are reserved",
		[]string{ruleProtoAddFieldRemoved.ID, ruleProtoAddDeprecatedRemovedEarly.ID, ruleProtoAddRemovedNotReserved.ID}},
	{schema.Protobuf, Removed, "enum value", RemovableAfterDeprecation, "and its number and name are reserved",
		[]string{ruleProtoAddEnumValueRemoved.ID, ruleProtoAddDeprecatedRemovedEarly.ID, ruleProtoAddRemovedNotReserved.ID}},
	{schema.Protobuf, Removed, "service, RPC", NotJudged, "they describe calls, not data", nil},

	// JSON Schema.
	{schema.JSON, Added, "optional property", AcceptedIf, "the content model lets earlier readers accept it (open, or covered by additionalProperties/patternProperties)",
		[]string{ruleJSONPropertyAddedToOpenContentModel.ID, ruleJSONPropertyAddedNotCovered.ID}},
	{schema.JSON, Added, "definition ($defs, definitions)", Accepted, "", nil},
	{schema.JSON, Added, "enum value, wider bound, wider type", AcceptedIf, "every earlier reader still accepts the data (FULL against every live version)",
		[]string{ruleJSONEnumNarrowed.ID, ruleJSONTypeNarrowed.ID}},
	{schema.JSON, Added, "title, description, examples, deprecation marker", Accepted, "", nil},
	{schema.JSON, Changed, "subschema type (even to a wider type)", Refused, "",
		[]string{ruleJSONAdditiveTypeChanged.ID}},
	{schema.JSON, Changed, "property made required (even with a default)", Refused, "",
		[]string{ruleJSONAdditiveRequiredAdded.ID}},
	{schema.JSON, Removed, "enum value", Refused, "data written with it no longer validates",
		[]string{ruleJSONAdditiveEnumValueRemoved.ID}},
	{schema.JSON, Removed, "property (open or closed content model)", RemovableAfterDeprecation, "",
		[]string{ruleJSONAdditivePropertyRemoved.ID, ruleJSONAdditiveDeprecatedRemovedEarly.ID}},
	{schema.JSON, Removed, "definition", RemovableAfterDeprecation, "",
		[]string{ruleJSONAdditiveDefinitionRemoved.ID, ruleJSONAdditiveDeprecatedRemovedEarly.ID}},
}

// AdditivePolicy returns the additive-only policy, one entry per kind of
// change, ordered by format, then additions, changes and removals.
func AdditivePolicy() []PolicyEntry {
	out := make([]PolicyEntry, len(policyEntries))
	for i, e := range policyEntries {
		e.Rules = append([]string(nil), e.Rules...)
		out[i] = e
	}
	return out
}

// supersededKey names a directional rule applied in one direction.
type supersededKey struct {
	rule string
	dir  Direction
}

// policySupersedes lists the directional findings that the additive-only
// policy judges on its own terms, with the reason. Each stays a verdict of
// the Confluent levels; only under the policy is it replaced.
var policySupersedes = map[supersededKey]string{
	// Confluent's FULL reports every message the earlier version lacks as
	// unreadable by it. Readers of that version read only the messages they
	// define (Confluent's deserializers find a record's message in the
	// writer's schema), so a new message is an addition.
	{ruleProtoMessageRemoved.ID, DirForward}: "a message the earlier version lacks is an addition",
	// A removed message is a removal: the policy's own rules let it through
	// once its deprecation has run its course, and refuse it otherwise.
	{ruleProtoMessageRemoved.ID, DirBackward}: "a removed message is judged by " + ruleProtoAddMessageRemoved.ID,
}

// policyJudge is implemented by a format whose policy rules judge some
// directional findings only in some cases (when they concern an element
// whose deprecation has run its course); it drops, in place, those the
// policy judges itself.
type policyJudge interface {
	policyJudged(fs []Finding, history []Version, new schema.Schema, p Policy) []Finding
}

// policyJudged drops, in place, the findings that the additive-only policy
// supersedes with its own judgement (see policySupersedes).
func policyJudged(fs []Finding) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if _, superseded := policySupersedes[supersededKey{f.RuleID, f.Direction}]; !superseded {
			out = append(out, f)
		}
	}
	return out
}
