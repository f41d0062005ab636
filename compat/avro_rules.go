package compat

import "github.com/schemata-dev/schemata/schema"

// avroResolution lists the categories of the schema-resolution rules: they
// run in both directions, and guard the binary encoding.
var avroResolution = []Category{CategoryBackward, CategoryForward, CategoryWire}

// Avro schema-resolution rules (Avro 1.12 specification, "Schema
// Resolution"). Each applies to one reader/writer pair matched by the
// resolver in avro_resolve.go.
var (
	ruleAvroTypeMismatch = newRule(Rule{
		ID:         "AVRO_TYPE_MISMATCH",
		Purpose:    "The reader's type must match the writer's type or be a permitted promotion of it.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroReaderFieldMissingDefault = newRule(Rule{
		ID:         "AVRO_READER_FIELD_MISSING_DEFAULT",
		Purpose:    "A reader field that the writer does not have must have a default value.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroEnumSymbolMissing = newRule(Rule{
		ID:         "AVRO_ENUM_SYMBOL_MISSING",
		Purpose:    "Every writer enum symbol must exist in the reader's enum, unless the reader's enum has a default.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroFixedSizeChanged = newRule(Rule{
		ID:         "AVRO_FIXED_SIZE_CHANGED",
		Purpose:    "A fixed type must have the same size in reader and writer.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroNameMismatch = newRule(Rule{
		ID:         "AVRO_NAME_MISMATCH",
		Purpose:    "A named type (record, enum, fixed) must keep its name, or the reader must list the writer's name as an alias.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroUnionBranchMissing = newRule(Rule{
		ID:         "AVRO_UNION_BRANCH_MISSING",
		Purpose:    "Every branch of a writer union must be readable by the reader (by a matching reader branch, or by the reader's type itself).",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroReaderUnionMissingType = newRule(Rule{
		ID:         "AVRO_READER_UNION_MISSING_TYPE",
		Purpose:    "When the reader is a union and the writer is not, some reader branch must match the writer's type.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroDecimalPrecisionChanged = newRule(Rule{
		ID:         "AVRO_DECIMAL_PRECISION_CHANGED",
		Purpose:    "Decimal logical types resolve only when their precisions are equal.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
	ruleAvroDecimalScaleChanged = newRule(Rule{
		ID:         "AVRO_DECIMAL_SCALE_CHANGED",
		Purpose:    "Decimal logical types resolve only when their scales are equal.",
		Format:     schema.Avro,
		Categories: avroResolution,
	})
)

// Additive-only policy rules ("deprecate, don't delete"), applied by
// avroChecker.additive to the latest version and the new schema.
var (
	ruleAvroAdditiveFieldRemoved = newRule(Rule{
		ID:         "AVRO_ADDITIVE_FIELD_REMOVED",
		Purpose:    "A field may be removed only after it was deprecated in an earlier version and its deprecation allows removal.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveFieldRenamed = newRule(Rule{
		ID:         "AVRO_ADDITIVE_FIELD_RENAMED",
		Purpose:    "A field may not be renamed (add the new field and deprecate the old one instead).",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveFieldTypeChanged = newRule(Rule{
		ID:         "AVRO_ADDITIVE_FIELD_TYPE_CHANGED",
		Purpose:    "A field's type may not change, not even by a promotion; only union branches may be added.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveFieldWithoutDefault = newRule(Rule{
		ID:         "AVRO_ADDITIVE_FIELD_WITHOUT_DEFAULT",
		Purpose:    "A new field must have a default value.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveEnumSymbolRemoved = newRule(Rule{
		ID:         "AVRO_ADDITIVE_ENUM_SYMBOL_REMOVED",
		Purpose:    "An enum symbol may not be removed unless it was deprecated and its deprecation allows removal.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveEnumSymbolWithoutDefault = newRule(Rule{
		ID:         "AVRO_ADDITIVE_ENUM_SYMBOL_WITHOUT_DEFAULT",
		Purpose:    "An enum symbol may be added only if the enum already had a default, so existing readers can read it.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveTypeRemoved = newRule(Rule{
		ID:         "AVRO_ADDITIVE_TYPE_REMOVED",
		Purpose:    "A named type may not disappear from the schema unless it was deprecated and its deprecation allows removal.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveTypeRenamed = newRule(Rule{
		ID:         "AVRO_ADDITIVE_TYPE_RENAMED",
		Purpose:    "A named type may not be renamed, even with an alias.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveUnionBranchRemoved = newRule(Rule{
		ID:         "AVRO_ADDITIVE_UNION_BRANCH_REMOVED",
		Purpose:    "A union branch may not be removed.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive},
	})
	ruleAvroAdditiveDeprecatedRemovedEarly = newRule(Rule{
		ID:         "AVRO_ADDITIVE_DEPRECATED_REMOVED_EARLY",
		Purpose:    "A deprecated element may be removed only after its sunset (or the minimum deprecation period) and once no registered consumer reads it.",
		Format:     schema.Avro,
		Categories: []Category{CategoryAdditive, CategoryConsumer},
	})
)
