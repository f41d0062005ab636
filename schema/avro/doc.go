// Package avro parses and validates Avro schemas for the registry and
// renders the forms the registry needs: the stored text (Avro Java's
// Schema.toString), the identity and normalized forms, the Parsing
// Canonical Form and its CRC-64-AVRO fingerprint. It also reads
// deprecation markers and indexes where each element sits in the text, so
// that errors and compatibility findings can point at a line and column.
//
// Parsing uses github.com/hamba/avro/v2 for the schema tree the
// compatibility checker walks (Root), and its own position-aware JSON
// reader for validation the library does not do and for the text forms.
// docs/avro.md describes the identity, normalization and deprecation
// conventions.
//
// # Schema paths
//
// Schema paths name an element by where it sits in the schema, starting
// from the root type's unqualified name:
//
//	Order                      the root record (empty for an unnamed root)
//	Order.price                field price of Order
//	Order.items[]              the item type of array field items
//	Order.items[].sku          field sku of the array's item record
//	Order.meta{}               the value type of map field meta
//	Order.payment<Card>        branch Card of union field payment
//	Order.payment<null>        its null branch (branches are labelled by
//	                           the unqualified name of a named type, else
//	                           the type name: int, string, array, map, ...)
//	Order.status.ACTIVE        symbol ACTIVE of the enum at Order.status
//
// A named type is walked where it is defined; later references to it add
// no paths of their own beyond the reference itself.
//
// Every parse runs within schema.Limits (ParseWithLimits; Parse applies the
// defaults): text size before reading, JSON nesting as the text is read
// (before the Avro library parses it), and named types, fields and enum
// symbols as the schema is built.
//
// The package depends only on the standard library, package schema and the
// Avro library. It must not depend on compat, registry, storage or HTTP
// code.
package avro
