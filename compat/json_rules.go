package compat

import "github.com/schemata-dev/schemata/schema"

// jsonValidation lists the categories of the JSON Schema compatibility
// rules: they run in both directions. A JSON Schema change is compatible in
// a direction when every value valid under the writer's schema is valid
// under the reader's, which is how the Confluent registry judges it.
var jsonValidation = []Category{CategoryBackward, CategoryForward}

// JSON Schema compatibility rules. Each compares one pair of subschemas
// matched by the walker in json_compare.go: the writer's ("original") and
// the reader's ("update"). The names follow the difference types of
// Confluent's JSON Schema provider.
var (
	ruleJSONSchemaRejectsAll = newJSONRule("JSON_SCHEMA_REJECTS_ALL",
		"A subschema may not become false (reject every value) where the writer's allowed values.")
	ruleJSONTypeNarrowed = newJSONRule("JSON_TYPE_NARROWED",
		"The reader may not add a type restriction or drop a type the writer allowed (integer counts as a subset of number).")
	ruleJSONTypeChanged = newJSONRule("JSON_TYPE_CHANGED",
		"The reader's types must share at least one with the writer's.")
	ruleJSONEnumNarrowed = newJSONRule("JSON_ENUM_NARROWED",
		"The reader may not add an enum or drop a value from it.")
	ruleJSONConstChanged = newJSONRule("JSON_CONST_CHANGED",
		"The reader may not add a const or change it to a value the writer's schema does not pin.")
	ruleJSONMaxLengthNarrowed = newJSONRule("JSON_MAX_LENGTH_NARROWED",
		"maxLength may not be added or decreased.")
	ruleJSONMinLengthNarrowed = newJSONRule("JSON_MIN_LENGTH_NARROWED",
		"minLength may not be added or increased.")
	ruleJSONPatternChanged = newJSONRule("JSON_PATTERN_CHANGED",
		"pattern may not be added or changed.")
	ruleJSONMaximumNarrowed = newJSONRule("JSON_MAXIMUM_NARROWED",
		"maximum may not be added or decreased.")
	ruleJSONMinimumNarrowed = newJSONRule("JSON_MINIMUM_NARROWED",
		"minimum may not be added or increased.")
	ruleJSONExclusiveMaximumNarrowed = newJSONRule("JSON_EXCLUSIVE_MAXIMUM_NARROWED",
		"exclusiveMaximum may not be added or decreased below the writer's upper bound.")
	ruleJSONExclusiveMinimumNarrowed = newJSONRule("JSON_EXCLUSIVE_MINIMUM_NARROWED",
		"exclusiveMinimum may not be added or increased above the writer's lower bound.")
	ruleJSONMultipleOfChanged = newJSONRule("JSON_MULTIPLE_OF_CHANGED",
		"multipleOf may not be added, and may change only to a divisor of the writer's.")
	ruleJSONMaxItemsNarrowed = newJSONRule("JSON_MAX_ITEMS_NARROWED",
		"maxItems may not be added or decreased.")
	ruleJSONMinItemsNarrowed = newJSONRule("JSON_MIN_ITEMS_NARROWED",
		"minItems may not be added or increased.")
	ruleJSONUniqueItemsAdded = newJSONRule("JSON_UNIQUE_ITEMS_ADDED",
		"uniqueItems may not be turned on.")
	ruleJSONContainsNarrowed = newJSONRule("JSON_CONTAINS_NARROWED",
		"contains may not be added or narrowed.")
	ruleJSONItemAddedToOpenContentModel = newJSONRule("JSON_ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
		"A tuple item with a non-empty schema may not be added where the writer allowed any item.")
	ruleJSONItemRemovedFromClosedContentModel = newJSONRule("JSON_ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
		"A tuple item may not be removed when the reader allows no further items.")
	ruleJSONAdditionalItemsNarrowed = newJSONRule("JSON_ADDITIONAL_ITEMS_NARROWED",
		"Items beyond the tuple (or all items of a list) may not be constrained or forbidden where the writer left them open.")
	ruleJSONPropertyAddedToOpenContentModel = newJSONRule("JSON_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
		"A property with a non-empty schema may not be added to an open content model, where the writer allowed any value under that name.")
	ruleJSONPropertyAddedNotCovered = newJSONRule("JSON_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
		"A property added to a partially open content model must accept every value the writer's patternProperties or additionalProperties allowed under its name.")
	ruleJSONPropertyRemovedFromClosedContentModel = newJSONRule("JSON_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
		"A property may not be removed from a closed content model (additionalProperties false), which would then reject it.")
	ruleJSONPropertyRemovedNotCovered = newJSONRule("JSON_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
		"A property removed from a partially open content model must still be accepted by the reader's patternProperties or additionalProperties.")
	ruleJSONAdditionalPropertiesNarrowed = newJSONRule("JSON_ADDITIONAL_PROPERTIES_NARROWED",
		"additionalProperties (or unevaluatedProperties) may not be added, narrowed or set to false where the writer allowed more.")
	ruleJSONPatternPropertiesNarrowed = newJSONRule("JSON_PATTERN_PROPERTIES_NARROWED",
		"patternProperties may not be added or removed in a way that rejects properties the writer allowed.")
	ruleJSONPropertyNamesNarrowed = newJSONRule("JSON_PROPERTY_NAMES_NARROWED",
		"propertyNames may not be added or narrowed.")
	ruleJSONRequiredAdded = newJSONRule("JSON_REQUIRED_ADDED",
		"A property may not become required unless it has a default (as in the Confluent registry).")
	ruleJSONMaxPropertiesNarrowed = newJSONRule("JSON_MAX_PROPERTIES_NARROWED",
		"maxProperties may not be added or decreased.")
	ruleJSONMinPropertiesNarrowed = newJSONRule("JSON_MIN_PROPERTIES_NARROWED",
		"minProperties may not be added or increased.")
	ruleJSONDependentRequiredExtended = newJSONRule("JSON_DEPENDENT_REQUIRED_EXTENDED",
		"A property dependency (dependencies array, dependentRequired) may not be added or require more properties.")
	ruleJSONDependentSchemaAdded = newJSONRule("JSON_DEPENDENT_SCHEMA_ADDED",
		"A schema dependency (dependencies schema, dependentSchemas) may not be added.")
	ruleJSONSumTypeNarrowed = newJSONRule("JSON_SUM_TYPE_NARROWED",
		"Every branch of the writer's oneOf/anyOf (or the writer's schema itself) must be accepted by a branch of the reader's.")
	ruleJSONProductTypeExtended = newJSONRule("JSON_PRODUCT_TYPE_EXTENDED",
		"Every branch of the reader's allOf must accept all values of a writer's allOf branch or of the writer's schema.")
	ruleJSONCombinedTypeChanged = newJSONRule("JSON_COMBINED_TYPE_CHANGED",
		"anyOf may not become oneOf (oneOf to anyOf is fine).")
	ruleJSONNotExtended = newJSONRule("JSON_NOT_EXTENDED",
		"not may not be added, and its schema may not match values it did not match before.")
)

// Additive-only policy rules, applied by jsonChecker.additive to the
// latest version and the new schema. They are stricter than the Confluent
// levels where those let data be lost or rejected.
var (
	ruleJSONAdditivePropertyRemoved = newAdditiveRule(schema.JSON, "JSON_ADDITIVE_PROPERTY_REMOVED",
		"A property may be removed only after it was deprecated in an earlier version and its deprecation allows removal, even from an open content model.")
	ruleJSONAdditiveDefinitionRemoved = newAdditiveRule(schema.JSON, "JSON_ADDITIVE_DEFINITION_REMOVED",
		"A definition ($defs, definitions) may be removed only after it was deprecated and its deprecation allows removal.")
	ruleJSONAdditiveTypeChanged = newAdditiveRule(schema.JSON, "JSON_ADDITIVE_TYPE_CHANGED",
		"A subschema's type may not change, not even to a wider type.")
	ruleJSONAdditiveRequiredAdded = newAdditiveRule(schema.JSON, "JSON_ADDITIVE_REQUIRED_ADDED",
		"A property may not become required, even with a default: data written without it no longer validates.")
	ruleJSONAdditiveEnumValueRemoved = newAdditiveRule(schema.JSON, "JSON_ADDITIVE_ENUM_VALUE_REMOVED",
		"An enum value may not be removed.")
	ruleJSONAdditiveDeprecatedRemovedEarly = newAdditiveRule(schema.JSON, "JSON_ADDITIVE_DEPRECATED_REMOVED_EARLY",
		"A deprecated property or definition may be removed only after its sunset (or the minimum deprecation period) and once no registered consumer reads it.",
		CategoryConsumer)
)

// newJSONRule declares an error rule of JSON Schema validation.
func newJSONRule(id, purpose string) Rule {
	return newRule(Rule{ID: id, Purpose: purpose, Format: schema.JSON, Categories: jsonValidation})
}
