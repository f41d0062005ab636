package compat

import "github.com/schemata-dev/schemata/schema"

// avroResolution lists the categories of the schema-resolution rules: they
// run in both directions, and guard the binary encoding.
var avroResolution = []Category{CategoryBackward, CategoryForward, CategoryWire}

// Avro schema-resolution rules (Avro 1.12 specification, "Schema
// Resolution"). Each applies to one reader/writer pair matched by the
// resolver in avro_resolve.go.
var (
	ruleAvroTypeMismatch = newAvroRule("AVRO_TYPE_MISMATCH",
		"The reader's type must match the writer's type or be a permitted promotion of it.")
	ruleAvroReaderFieldMissingDefault = newAvroRule("AVRO_READER_FIELD_MISSING_DEFAULT",
		"A reader field that the writer does not have must have a default value.")
	ruleAvroEnumSymbolMissing = newAvroRule("AVRO_ENUM_SYMBOL_MISSING",
		"Every writer enum symbol must exist in the reader's enum, unless the reader's enum has a default.")
	ruleAvroFixedSizeChanged = newAvroRule("AVRO_FIXED_SIZE_CHANGED",
		"A fixed type must have the same size in reader and writer.")
	ruleAvroNameMismatch = newAvroRule("AVRO_NAME_MISMATCH",
		"A named type (record, enum, fixed) must keep its name, or the reader must list the writer's name as an alias.")
	ruleAvroUnionBranchMissing = newAvroRule("AVRO_UNION_BRANCH_MISSING",
		"Every branch of a writer union must be readable by the reader (by a matching reader branch, or by the reader's type itself).")
	ruleAvroReaderUnionMissingType = newAvroRule("AVRO_READER_UNION_MISSING_TYPE",
		"When the reader is a union and the writer is not, some reader branch must match the writer's type.")
	ruleAvroDecimalPrecisionChanged = newAvroRule("AVRO_DECIMAL_PRECISION_CHANGED",
		"Decimal logical types resolve only when their precisions are equal.")
	ruleAvroDecimalScaleChanged = newAvroRule("AVRO_DECIMAL_SCALE_CHANGED",
		"Decimal logical types resolve only when their scales are equal.")
)

// Additive-only policy rules ("deprecate, don't delete"), applied by
// avroChecker.additive to the latest version and the new schema.
var (
	ruleAvroAdditiveFieldRemoved = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_FIELD_REMOVED",
		"A field may be removed only after it was deprecated in an earlier version and its deprecation allows removal.")
	ruleAvroAdditiveFieldRenamed = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_FIELD_RENAMED",
		"A field may not be renamed (add the new field and deprecate the old one instead).")
	ruleAvroAdditiveFieldTypeChanged = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_FIELD_TYPE_CHANGED",
		"A field's type may not change, not even by a promotion; only union branches may be added.")
	ruleAvroAdditiveFieldWithoutDefault = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_FIELD_WITHOUT_DEFAULT",
		"A new field must have a default value.")
	ruleAvroAdditiveEnumSymbolRemoved = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_ENUM_SYMBOL_REMOVED",
		"An enum symbol may not be removed unless it was deprecated and its deprecation allows removal.")
	ruleAvroAdditiveEnumSymbolWithoutDefault = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_ENUM_SYMBOL_WITHOUT_DEFAULT",
		"An enum symbol may be added only if the enum already had a default, so existing readers can read it.")
	ruleAvroAdditiveTypeRemoved = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_TYPE_REMOVED",
		"A named type may not disappear from the schema unless it was deprecated and its deprecation allows removal.")
	ruleAvroAdditiveTypeRenamed = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_TYPE_RENAMED",
		"A named type may not be renamed, even with an alias.")
	ruleAvroAdditiveUnionBranchRemoved = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_UNION_BRANCH_REMOVED",
		"A union branch may not be removed.")
	ruleAvroAdditiveDeprecatedRemovedEarly = newAdditiveRule(schema.Avro, "AVRO_ADDITIVE_DEPRECATED_REMOVED_EARLY",
		"A deprecated element may be removed only after its sunset (or the minimum deprecation period) and once no registered consumer reads it.",
		CategoryConsumer)
)

// newAvroRule declares an error rule of Avro schema resolution.
func newAvroRule(id, purpose string) Rule {
	return newRule(Rule{ID: id, Purpose: purpose, Format: schema.Avro, Categories: avroResolution})
}
